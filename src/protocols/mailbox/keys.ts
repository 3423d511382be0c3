import { sha256 } from '@noble/hashes/sha2.js'
import type { PeerId } from '@libp2p/interface'

/**
 * Mailbox keys change weekly, so a recipient's mail is held by different storers over time and
 * no storer sees all of it
 */
export const MAILBOX_EPOCH_MS = 7 * 24 * 60 * 60 * 1_000

const LABEL = new TextEncoder().encode('parley/mailbox-key/v1')
const MAX_EPOCH = 0xffff_ffff

function checkEpochMs (epochMs: number): void {
  if (!Number.isSafeInteger(epochMs) || epochMs <= 0) throw new RangeError(`epochMs must be a positive integer, got ${epochMs}`)
}

/**
 * The epoch `timeMs` falls in: whole `epochMs` since the Unix epoch
 *
 * @throws RangeError when `epochMs` is not a positive integer or `timeMs` is not finite
 */
export function epochAt (timeMs: number, epochMs = MAILBOX_EPOCH_MS): number {
  checkEpochMs(epochMs)
  if (!Number.isFinite(timeMs)) throw new RangeError(`timeMs must be finite, got ${timeMs}`)
  return Math.floor(timeMs / epochMs)
}

/**
 * Checks that `epoch` is one a mailbox key can be made for
 *
 * @throws RangeError when `epoch` is not an integer from 0 to 2^32 - 1
 */
export function checkEpoch (epoch: number): void {
  if (!Number.isSafeInteger(epoch) || epoch < 0 || epoch > MAX_EPOCH) {
    throw new RangeError(`epoch must be an integer from 0 to ${MAX_EPOCH}, got ${epoch}`)
  }
}

/**
 * The 32-byte key under which `recipient`'s mail of one epoch is stored (and whose DHT-closest
 * peers store it): SHA-256(utf8 "parley/mailbox-key/v1" || u32be(multihash length) ||
 * recipient multihash || u32be(epoch)). Storers see this hash, not the recipient.
 *
 * @throws RangeError when `epoch` is not an integer from 0 to 2^32 - 1
 */
export function mailboxKey (recipient: PeerId, epoch: number): Uint8Array {
  checkEpoch(epoch)
  const multihash = recipient.toMultihash().bytes
  const input = new Uint8Array(LABEL.byteLength + 4 + multihash.byteLength + 4)
  const view = new DataView(input.buffer)
  input.set(LABEL, 0)
  view.setUint32(LABEL.byteLength, multihash.byteLength)
  input.set(multihash, LABEL.byteLength + 4)
  view.setUint32(input.byteLength - 4, epoch)
  return sha256(input)
}

/**
 * The epochs a recipient reads so that anything stored in the last `ttlMs` is covered: from
 * the epoch of `nowMs` down to that of `nowMs - ttlMs`, newest first (none before epoch 0).
 * With the 14-day TTL and weekly epochs that is three epochs.
 *
 * @throws RangeError when `ttlMs` is negative, or as `epochAt`
 */
export function recentEpochs (nowMs: number, ttlMs: number, epochMs = MAILBOX_EPOCH_MS): number[] {
  if (!Number.isFinite(ttlMs) || ttlMs < 0) throw new RangeError(`ttlMs must be a non-negative number, got ${ttlMs}`)
  const newest = Math.min(epochAt(nowMs, epochMs), MAX_EPOCH)
  const oldest = Math.max(0, epochAt(nowMs - ttlMs, epochMs))
  const epochs: number[] = []
  for (let epoch = newest; epoch >= oldest; epoch--) epochs.push(epoch)
  return epochs
}
