import { sha256 } from '@noble/hashes/sha2.js'
import { framed, u32 } from './encoding.ts'
import type { PeerId } from '@libp2p/interface'

/** Mailbox keys change weekly: a recipient's mail is spread over different storers over time */
export const MAILBOX_EPOCH_MS = 7 * 24 * 60 * 60 * 1_000

const KEY_LABEL = 'parley/mailbox-key/v1'

export function epochAt (timeMs: number, epochMs = MAILBOX_EPOCH_MS): number {
  return Math.floor(timeMs / epochMs)
}

/** The 32-byte DHT key under which `recipient`'s mail of one epoch is stored */
export function mailboxKey (recipient: PeerId, epoch: number): Uint8Array {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffff_ffff) {
    throw new RangeError(`epoch must be a 32-bit unsigned integer, got ${epoch}`)
  }
  return sha256(framed(KEY_LABEL, recipient.toMultihash().bytes, u32(epoch)))
}

/** The epochs holding anything stored in the last `ttlMs`, newest first */
export function recentEpochs (nowMs: number, ttlMs: number, epochMs = MAILBOX_EPOCH_MS): number[] {
  const newest = epochAt(nowMs, epochMs)
  const oldest = Math.max(0, epochAt(nowMs - ttlMs, epochMs))
  const epochs: number[] = []
  for (let e = newest; e >= oldest; e--) epochs.push(e)
  return epochs
}
