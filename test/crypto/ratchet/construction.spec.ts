/**
 * Pins the Double Ratchet's construction (KDF chains, header, AEAD inputs) against an independent
 * computation with @noble primitives, so speed-ups in the ratchet or the providers cannot change
 * what goes on the wire.
 */
import assert from 'node:assert/strict'
import { gcm } from '@noble/ciphers/aes.js'
import { x25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concat } from 'uint8arrays/concat'
import { nobleCryptoProvider, nodeCryptoProvider } from '../../../src/crypto/provider/index.ts'
import { DoubleRatchet } from '../../../src/crypto/ratchet/double-ratchet.ts'
import { RatchetRecord } from '../../../src/crypto/ratchet/pb/ratchet.ts'
import { toHex, utf8 } from '../provider/helpers.ts'

const filled = (byte: number, length = 32): Uint8Array => new Uint8Array(length).fill(byte)
const u32 = (n: number): Uint8Array => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff)
const ZERO_SALT = new Uint8Array(32)

/** KDF_CK: [next chain key, message key] */
const chainStep = (ck: Uint8Array): [Uint8Array, Uint8Array] => [hmac(sha256, ck, Uint8Array.of(2)), hmac(sha256, ck, Uint8Array.of(1))]

/** A message sealed by hand under `messageKey` */
function seal (messageKey: Uint8Array, header: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const okm = hkdf(sha256, messageKey, ZERO_SALT, utf8('Parley_DoubleRatchet_MessageKeys'), 44)
  return gcm(okm.subarray(0, 32), okm.subarray(32), concat([ad, header])).encrypt(plaintext)
}

/** RatchetRecord's fields, any Uint8Array for the byte fields */
type RecordFields = { [K in keyof RatchetRecord]?: RatchetRecord[K] extends Uint8Array ? Uint8Array : RatchetRecord[K] }

function record (fields: RecordFields): Uint8Array {
  const empty = new Uint8Array(0)
  return RatchetRecord.encode({
    rootKey: filled(0x11),
    ownPublic: empty,
    ownPrivate: empty,
    remotePublic: empty,
    sendingChain: empty,
    receivingChain: empty,
    sent: 0,
    received: 0,
    previousSent: 0,
    skipped: [],
    previousRemoteKeys: [],
    associatedData: utf8('alice|bob'),
    ...fields
  } as RatchetRecord)
}

for (const provider of [nodeCryptoProvider(), nobleCryptoProvider()]) {
  describe(`Double Ratchet construction (${provider.name} provider)`, () => {
    it('sends: header = key || PN || N, HMAC chain, HKDF key and nonce, AES-GCM over AD || header', async () => {
      const ownPrivate = filled(0x22)
      const ownPublic = x25519.getPublicKey(ownPrivate)
      const ad = utf8('alice|bob')
      let ck = filled(0x33)
      const alice = DoubleRatchet.deserialize(provider, record({
        ownPublic, ownPrivate, remotePublic: x25519.getPublicKey(filled(0x44)), sendingChain: ck, sent: 3, previousSent: 7, associatedData: ad
      }))
      for (let n = 3; n < 6; n++) {
        const plaintext = utf8(`message ${n}`)
        const m = await alice.encrypt(plaintext)
        const header = concat([ownPublic, u32(7), u32(n)])
        assert.deepEqual(m.header, header)
        const [next, messageKey] = chainStep(ck)
        assert.deepEqual(m.ciphertext, seal(messageKey, header, ad, plaintext))
        if (n === 3) {
          // a literal too, in case the reference computation above and the code drift together
          assert.equal(toHex(m.ciphertext), '97bd745295c5a5be721f7594891adbd9ede7e112513d12b8e6')
        }
        ck = next
      }
      assert.deepEqual(RatchetRecord.decode(alice.serialize()).sendingChain, ck)
    })

    it('receives across a DH ratchet step, deriving a skipped key first', async () => {
      const ownPrivate = filled(0x55)
      const ownPublic = x25519.getPublicKey(ownPrivate)
      const rootKey = filled(0x66)
      const ad = utf8('alice|bob')
      const bob = DoubleRatchet.deserialize(provider, record({ rootKey, ownPublic, ownPrivate, associatedData: ad }))
      const senderPrivate = filled(0x77)
      const senderPublic = x25519.getPublicKey(senderPrivate)
      const okm = hkdf(sha256, x25519.getSharedSecret(senderPrivate, ownPublic), rootKey, utf8('Parley_DoubleRatchet_Root'), 64)
      const [ck1, mk0] = chainStep(okm.subarray(32))
      const [ck2, mk1] = chainStep(ck1)
      const headers = [0, 1].map(n => concat([senderPublic, u32(5), u32(n)]))
      const second = { header: headers[1], ciphertext: seal(mk1, headers[1], ad, utf8('second')) }
      const first = { header: headers[0], ciphertext: seal(mk0, headers[0], ad, utf8('first')) }
      assert.deepEqual(await bob.decrypt(second), utf8('second'))
      const afterStep = RatchetRecord.decode(bob.serialize())
      assert.deepEqual(afterStep.receivingChain, ck2)
      assert.deepEqual(afterStep.remotePublic, senderPublic)
      assert.deepEqual(afterStep.skipped.map(s => [s.remoteKey, s.n, s.messageKey]), [[senderPublic, 0, mk0]])
      assert.equal(afterStep.received, 2)
      assert.equal(afterStep.previousSent, 0)
      // the new root key came from the same HKDF output, then went through a second step with a new key pair
      const newOwn = afterStep.ownPrivate
      const sendingOkm = hkdf(sha256, x25519.getSharedSecret(newOwn, senderPublic), okm.subarray(0, 32), utf8('Parley_DoubleRatchet_Root'), 64)
      assert.deepEqual(afterStep.rootKey, sendingOkm.subarray(0, 32))
      assert.deepEqual(afterStep.sendingChain, sendingOkm.subarray(32))
      assert.deepEqual(afterStep.ownPublic, x25519.getPublicKey(newOwn))
      assert.deepEqual(await bob.decrypt(first), utf8('first'))
      assert.equal(RatchetRecord.decode(bob.serialize()).skipped.length, 0)
    })
  })
}
