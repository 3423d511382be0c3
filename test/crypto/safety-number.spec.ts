import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { sha512 } from '@noble/hashes/sha2.js'
import { safetyNumber, SAFETY_NUMBER_ITERATIONS } from '../../src/crypto/safety-number.ts'

async function party (): Promise<{ identityKey: Uint8Array, id: string }> {
  const key = await generateKeyPair('Ed25519')
  return { identityKey: key.publicKey.raw, id: peerIdFromPrivateKey(key).toString() }
}

describe('safety numbers', function () {
  it('are 60 digits in 12 groups of 5, the same on both sides', async () => {
    const [a, b] = [await party(), await party()]
    const seenByA = safetyNumber(a, b)
    assert.match(seenByA, /^(\d{5} ){11}\d{5}$/)
    assert.equal(safetyNumber(b, a), seenByA)
  })

  it('change when either identity key changes, or the identifier', async () => {
    const [a, b, c] = [await party(), await party(), await party()]
    const original = safetyNumber(a, b)
    assert.notEqual(safetyNumber(a, { ...b, identityKey: c.identityKey }), original)
    assert.notEqual(safetyNumber({ ...a, identityKey: c.identityKey }, b), original)
    assert.notEqual(safetyNumber(a, { ...b, id: c.id }), original)
  })

  it('follow the iterated SHA-512 construction over version, key and identifier', async () => {
    const [a, b] = [await party(), await party()]
    // recompute one half independently of the module
    const half = (p: { identityKey: Uint8Array, id: string }): string => {
      let hash = sha512(Buffer.concat([Buffer.from([0, 0]), p.identityKey, Buffer.from(p.id)]))
      for (let i = 0; i < SAFETY_NUMBER_ITERATIONS; i++) hash = sha512(Buffer.concat([hash, p.identityKey]))
      let digits = ''
      for (let i = 0; i < 30; i += 5) digits += String(Number(Buffer.from(hash.slice(i, i + 5)).readUIntBE(0, 5) % 100_000)).padStart(5, '0')
      return digits
    }
    const expected = [half(a), half(b)].sort().join('').match(/\d{5}/g)!.join(' ')
    assert.equal(safetyNumber(a, b), expected)
  })

  it('refuses keys of the wrong type or length', async () => {
    const a = await party()
    assert.throws(() => safetyNumber(a, { identityKey: new Uint8Array(31), id: 'x' }), RangeError)
    assert.throws(() => safetyNumber(a, { identityKey: 'nope' as any, id: 'x' }), TypeError)
  })
})
