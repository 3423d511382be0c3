import { sha256 } from '@noble/hashes/sha2.js'
import type { AbortOptions } from '@libp2p/interface'

/**
 * Proof-of-work difficulty of a stamp: 2^20 SHA-256 on average to mint, one to verify. Minting
 * runs 2.5-3 M hashes/s on one core of the 2-core AMD EPYC in docs/BENCHMARKS.md (Node 24), so
 * a stamp takes ~0.4 s on average there: measured 0.43 s mean over 100 mints (median 0.30 s,
 * 95th percentile 1.3 s; the number of tries is geometric, so one mint in twenty takes over
 * three times the mean). Each extra bit doubles it. A stranger pays it per message left in a
 * mailbox; contacts never do.
 */
export const STAMP_BITS = 20

/** A stamp is this many bytes: a nonce */
export const STAMP_BYTES = 8

const LABEL = new TextEncoder().encode('parley/stamp/v1')
const FIELD_BYTES = 32
/**
 * Hashes between yields to the event loop: ~1.6 ms of work at the rate above, so a node minting
 * a stamp still answers its streams, while the yields cost well under 1 % of the time
 */
const HASHES_PER_SLICE = 4_096

type Sha256 = ReturnType<typeof sha256.create>

/**
 * The hash state after the label, key and hash: 79 bytes, so the first 64-byte block is
 * compressed once here and every try costs one compression (the last block, with the nonce)
 */
function midstate (key: Uint8Array, hash: Uint8Array): Sha256 {
  checkField('key', key)
  checkField('hash', hash)
  return sha256.create().update(LABEL).update(key).update(hash)
}

function checkField (name: string, bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`)
  if (bytes.byteLength !== FIELD_BYTES) throw new RangeError(`${name} must be ${FIELD_BYTES} bytes, got ${bytes.byteLength}`)
}

function checkBits (bits: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw new RangeError(`stamp bits must be an integer from 0 to 32, got ${bits}`)
}

/** Whether the digest starts with `bits` (at most 32) zero bits */
function meets (digest: Uint8Array, bits: number): boolean {
  if (bits === 0) return true
  const word = ((digest[0] << 24) | (digest[1] << 16) | (digest[2] << 8) | digest[3]) >>> 0
  // `>>> 32` would be a no-op in JS, hence the bits === 0 case above
  return word >>> (32 - bits) === 0
}

/**
 * Lets other tasks run. Node's setImmediate comes right after pending I/O; browsers have no
 * setImmediate and clamp nested `setTimeout(0)` to 4 ms (which would triple the minting time),
 * so they get a MessageChannel round trip, which is not clamped.
 */
async function yieldToLoop (): Promise<void> {
  await new Promise<void>(resolve => {
    if (typeof globalThis.setImmediate === 'function') {
      globalThis.setImmediate(resolve)
    } else if (typeof globalThis.MessageChannel === 'function') {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => {
        channel.port1.close()
        resolve()
      }
      channel.port2.postMessage(null)
    } else {
      setTimeout(resolve, 0)
    }
  })
}

/**
 * Finds a stamp for an envelope: an 8-byte nonce such that
 * SHA-256(utf8 "parley/stamp/v1" || key || hash || nonce) starts with `bits` zero bits.
 * `key` is the 32-byte mailbox key and `hash` the envelope's `envelopeHash`, so a stamp is
 * worth one envelope in one mailbox. Takes 2^bits hashes on average, yielding to the event loop
 * every few thousand; throws the signal's reason once aborted.
 *
 * @throws RangeError when `bits` is not 0 to 32 or key or hash is not 32 bytes
 */
export async function mintStamp (key: Uint8Array, hash: Uint8Array, bits = STAMP_BITS, options: AbortOptions = {}): Promise<Uint8Array> {
  checkBits(bits)
  const prefix = midstate(key, hash)
  // a random start, so two senders (or two tries) do not walk the same nonces
  const nonce = crypto.getRandomValues(new Uint8Array(STAMP_BYTES))
  const view = new DataView(nonce.buffer)
  const hasher = sha256.create()
  const digest = new Uint8Array(32)
  while (true) {
    options.signal?.throwIfAborted()
    for (let i = 0; i < HASHES_PER_SLICE; i++) {
      // one hasher and one digest buffer for every try: only the nonce bytes change
      prefix._cloneInto(hasher).update(nonce).digestInto(digest)
      if (meets(digest, bits)) return nonce
      const low = (view.getUint32(4) + 1) >>> 0
      view.setUint32(4, low)
      if (low === 0) view.setUint32(0, (view.getUint32(0) + 1) >>> 0)
    }
    await yieldToLoop()
  }
}

/**
 * Whether `stamp` proves `bits` of work for the envelope `hash` in mailbox `key`: one hash.
 * False for a missing stamp or one that is not 8 bytes.
 *
 * @throws RangeError when `bits` is not 0 to 32 or key or hash is not 32 bytes
 */
export function verifyStamp (key: Uint8Array, hash: Uint8Array, stamp: Uint8Array | undefined, bits = STAMP_BITS): boolean {
  checkBits(bits)
  const prefix = midstate(key, hash)
  if (!(stamp instanceof Uint8Array) || stamp.byteLength !== STAMP_BYTES) return false
  return meets(prefix.update(stamp).digest(), bits)
}
