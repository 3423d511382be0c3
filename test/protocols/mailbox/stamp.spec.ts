import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { mintStamp, verifyStamp, STAMP_BITS, STAMP_BYTES } from '../../../src/protocols/mailbox/stamp.ts'

/** Leading zero bits of the stamp hash as specified, computed with node:crypto */
function referenceZeros (key: Uint8Array, hash: Uint8Array, nonce: Uint8Array): number {
  const digest = createHash('sha256').update('parley/stamp/v1').update(key).update(hash).update(nonce).digest()
  let bits = 0
  for (const byte of digest) {
    if (byte !== 0) return bits + Math.clz32(byte) - 24
    bits += 8
  }
  return bits
}

const KEY = new Uint8Array(32).fill(3)
const HASH = new Uint8Array(32).fill(4)

describe('mailbox stamps', () => {
  it('a minted stamp has the work, by the specified hash', async () => {
    for (const bits of [0, 1, 8, 14]) {
      const stamp = await mintStamp(KEY, HASH, bits)
      assert.equal(stamp.byteLength, STAMP_BYTES)
      assert.ok(referenceZeros(KEY, HASH, stamp) >= bits, `${bits} bits`)
      assert.equal(verifyStamp(KEY, HASH, stamp, bits), true)
    }
  })

  it('a stamp below the difficulty is rejected', async () => {
    const stamp = await mintStamp(KEY, HASH, 10)
    const zeros = referenceZeros(KEY, HASH, stamp)
    assert.equal(verifyStamp(KEY, HASH, stamp, zeros), true)
    assert.equal(verifyStamp(KEY, HASH, stamp, zeros + 1), false)
    assert.equal(verifyStamp(KEY, HASH, new Uint8Array(STAMP_BYTES), 32), referenceZeros(KEY, HASH, new Uint8Array(STAMP_BYTES)) >= 32)
  })

  it('a stamp is worth one envelope in one mailbox', async () => {
    const stamp = await mintStamp(KEY, HASH, 12)
    // other envelopes and keys for which the stamp, by the reference hash, has too little work
    const otherHash = [...Array(8)].map(() => new Uint8Array(randomBytes(32))).find(h => referenceZeros(KEY, h, stamp) < 12)
    const otherKey = [...Array(8)].map(() => new Uint8Array(randomBytes(32))).find(k => referenceZeros(k, HASH, stamp) < 12)
    assert.ok(otherHash != null && otherKey != null)
    assert.equal(verifyStamp(KEY, otherHash, stamp, 12), false, 'another envelope')
    assert.equal(verifyStamp(otherKey, HASH, stamp, 12), false, 'another mailbox key')
  })

  it('verifying agrees with the specified hash for any stamp', () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ minLength: 8, maxLength: 8 }),
      fc.integer({ min: 0, max: 6 }),
      (key, hash, nonce, bits) => verifyStamp(key, hash, nonce, bits) === (referenceZeros(key, hash, nonce) >= bits)
    ), { numRuns: 2_000 })
  })

  it('a missing or malformed stamp is false', () => {
    assert.equal(verifyStamp(KEY, HASH, undefined, 0), false)
    assert.equal(verifyStamp(KEY, HASH, new Uint8Array(7), 0), false)
    assert.equal(verifyStamp(KEY, HASH, new Uint8Array(9), 0), false)
    assert.equal(verifyStamp(KEY, HASH, new Uint8Array(8), 0), true, 'any 8 bytes at difficulty 0')
  })

  it('bits outside 0 to 32 and keys or hashes not 32 bytes are RangeErrors', async () => {
    for (const bits of [-1, 33, 1.5, Number.NaN]) {
      assert.throws(() => verifyStamp(KEY, HASH, new Uint8Array(8), bits), RangeError)
      await assert.rejects(mintStamp(KEY, HASH, bits), RangeError)
    }
    assert.throws(() => verifyStamp(new Uint8Array(31), HASH, new Uint8Array(8), 0), RangeError)
    assert.throws(() => verifyStamp(KEY, new Uint8Array(33), new Uint8Array(8), 0), RangeError)
    await assert.rejects(mintStamp(KEY, new Uint8Array(0), 1), RangeError)
  })

  it('minting stops with the signal\'s reason, and lets the event loop run meanwhile', async () => {
    const reason = new Error('enough')
    await assert.rejects(mintStamp(KEY, HASH, 32, { signal: AbortSignal.abort(reason) }), reason)
    const controller = new AbortController()
    // runs only if minting yields; if it did not, 28 bits would be found (in ~1.5 min) instead.
    // One run in 65,000 finds a stamp in the first slice of hashes, before the abort.
    setImmediate(() => { controller.abort(reason) })
    await assert.rejects(mintStamp(KEY, HASH, 28, { signal: controller.signal }), reason)
  })

  it('the default difficulty is STAMP_BITS, about half a second to mint', async () => {
    assert.equal(STAMP_BITS, 20)
    const stamp = await mintStamp(KEY, HASH)
    assert.equal(verifyStamp(KEY, HASH, stamp), true)
    assert.ok(referenceZeros(KEY, HASH, stamp) >= STAMP_BITS)
  })
})
