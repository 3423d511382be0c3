import { sha256 } from '@noble/hashes/sha2.js'
import type { AbortOptions } from '@libp2p/interface'

/**
 * Proof-of-work difficulty of a stamp: 2^20 SHA-256 on average to mint (~0.5 s at the ~2.2 M
 * hashes/s measured on one core of the machine in docs/BENCHMARKS.md), one to verify. A stranger
 * pays it per message left in a mailbox; contacts never do.
 */
export const STAMP_BITS = 20

const STAMP_LABEL = new TextEncoder().encode('parley/stamp/v1')
const NONCE_BYTES = 8
/** Hashes between yields to the event loop, so a node minting a stamp stays responsive */
const HASHES_PER_SLICE = 4_096

function prefixHasher (key: Uint8Array, hash: Uint8Array): ReturnType<typeof sha256.create> {
  return sha256.create().update(STAMP_LABEL).update(key).update(hash)
}

function leadingZeroBits (digest: Uint8Array): number {
  let bits = 0
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8
      continue
    }
    return bits + Math.clz32(byte) - 24
  }
  return bits
}

function checkBits (bits: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw new RangeError(`stamp bits must be 0 to 32, got ${bits}`)
}

const yieldToLoop = async (): Promise<void> => new Promise(resolve => {
  if (typeof globalThis.setImmediate === 'function') globalThis.setImmediate(resolve)
  else setTimeout(resolve, 0)
})

/** Finds an 8-byte nonce making the stamp hash of (key, hash) start with `bits` zero bits */
export async function mintStamp (key: Uint8Array, hash: Uint8Array, bits = STAMP_BITS, options: AbortOptions = {}): Promise<Uint8Array> {
  checkBits(bits)
  const prefix = prefixHasher(key, hash)
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES))
  const view = new DataView(nonce.buffer)
  while (true) {
    options.signal?.throwIfAborted()
    for (let i = 0; i < HASHES_PER_SLICE; i++) {
      if (leadingZeroBits(prefix.clone().update(nonce).digest()) >= bits) return nonce
      view.setUint32(4, view.getUint32(4) + 1)
      if (view.getUint32(4) === 0) view.setUint32(0, view.getUint32(0) + 1)
    }
    await yieldToLoop()
  }
}

/** Whether `stamp` proves `bits` of work for (key, hash); false when missing or malformed */
export function verifyStamp (key: Uint8Array, hash: Uint8Array, stamp: Uint8Array | undefined, bits = STAMP_BITS): boolean {
  checkBits(bits)
  if (stamp == null || stamp.byteLength !== NONCE_BYTES) return false
  return leadingZeroBits(prefixHasher(key, hash).update(stamp).digest()) >= bits
}
