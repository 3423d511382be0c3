import assert from 'node:assert/strict'
import { sha3_256, shake128, shake256 } from '@noble/hashes/sha3.js'
import {
  ML_KEM_768_CIPHERTEXT_LENGTH,
  ML_KEM_768_PUBLIC_KEY_LENGTH,
  ML_KEM_768_SEED_LENGTH,
  ML_KEM_SHARED_SECRET_LENGTH
} from '../../../src/crypto/provider/index.ts'
import { NOT_BYTES, PROVIDERS, flipBit, hex, toHex } from './helpers.ts'
import { ML_KEM_768_CCTV_IMPLICIT_REJECTION, ML_KEM_768_LAMPS_EXAMPLE, XWING_DRAFT08_VECTOR_1 } from './vectors.ts'

/** Length of the DER header in front of the raw key in an ML-KEM-768 SubjectPublicKeyInfo */
const SPKI_HEADER_LENGTH = 22

function concat (...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

for (const provider of PROVIDERS) {
  describe(`ML-KEM-768 (${provider.name})`, () => {
    it('derives the draft-ietf-lamps-kyber-certificates example public key from its seed', async () => {
      const spki = Buffer.from(ML_KEM_768_LAMPS_EXAMPLE.spkiBase64, 'base64')
      assert.equal(spki.length, SPKI_HEADER_LENGTH + ML_KEM_768_PUBLIC_KEY_LENGTH)
      const seed = hex(ML_KEM_768_LAMPS_EXAMPLE.seed)
      const { publicKey, privateKey } = await provider.mlKem768GenerateKeyPair(seed)
      assert.deepEqual(publicKey, new Uint8Array(spki.subarray(SPKI_HEADER_LENGTH)))
      assert.deepEqual(privateKey, seed, 'the private key is the seed')
    })

    it('decapsulates the X-Wing draft-08 vector (FIPS 203 final) to the published shared secret', async () => {
      const v = XWING_DRAFT08_VECTOR_1
      const pk = hex(v.pk)
      const ct = hex(v.ct)
      const expanded = shake256(hex(v.sk), { dkLen: 96 })
      const seed = expanded.subarray(0, ML_KEM_768_SEED_LENGTH)
      const x25519Private = expanded.subarray(ML_KEM_768_SEED_LENGTH)
      const pkX = pk.subarray(ML_KEM_768_PUBLIC_KEY_LENGTH)
      const ctM = ct.subarray(0, ML_KEM_768_CIPHERTEXT_LENGTH)
      const ctX = ct.subarray(ML_KEM_768_CIPHERTEXT_LENGTH)

      const { publicKey } = await provider.mlKem768GenerateKeyPair(seed)
      assert.deepEqual(publicKey, pk.subarray(0, ML_KEM_768_PUBLIC_KEY_LENGTH))
      assert.deepEqual(await provider.x25519PublicKey(x25519Private), pkX)

      const ssM = await provider.mlKem768Decapsulate(seed, ctM)
      const ssX = await provider.x25519(x25519Private, ctX)
      const ss = sha3_256(concat(ssM, ssX, ctX, pkX, hex(v.label)))
      assert.equal(toHex(ss), v.ss)
    })

    it('implicitly rejects the C2SP CCTV pseudorandom ciphertext with the published secret', async () => {
      const stream = shake128(new Uint8Array(0), { dkLen: 64 + 32 + ML_KEM_768_CIPHERTEXT_LENGTH })
      assert.equal(toHex(stream.subarray(0, 16)), ML_KEM_768_CCTV_IMPLICIT_REJECTION.streamFirstBytes)
      const seed = stream.subarray(0, 64)
      const ciphertext = stream.subarray(96)
      const secret = await provider.mlKem768Decapsulate(seed, ciphertext)
      assert.equal(toHex(secret), ML_KEM_768_CCTV_IMPLICIT_REJECTION.sharedSecret)
    })

    it('round-trips: encapsulate to a fresh key pair, decapsulate the same secret', async () => {
      const { publicKey, privateKey } = await provider.mlKem768GenerateKeyPair()
      assert.equal(publicKey.length, ML_KEM_768_PUBLIC_KEY_LENGTH)
      assert.equal(privateKey.length, ML_KEM_768_SEED_LENGTH)
      const { ciphertext, sharedSecret } = await provider.mlKem768Encapsulate(publicKey)
      assert.equal(ciphertext.length, ML_KEM_768_CIPHERTEXT_LENGTH)
      assert.equal(sharedSecret.length, ML_KEM_SHARED_SECRET_LENGTH)
      assert.deepEqual(await provider.mlKem768Decapsulate(privateKey, ciphertext), sharedSecret)
      for (const out of [publicKey, privateKey, ciphertext, sharedSecret]) {
        assert.equal(Object.getPrototypeOf(out), Uint8Array.prototype)
      }
    })

    it('derives the same key pair from the same seed, different pairs from different seeds', async () => {
      const seed = provider.randomBytes(ML_KEM_768_SEED_LENGTH)
      const a = await provider.mlKem768GenerateKeyPair(seed)
      const b = await provider.mlKem768GenerateKeyPair(Uint8Array.from(seed))
      const c = await provider.mlKem768GenerateKeyPair()
      assert.deepEqual(a, b)
      assert.notDeepEqual(a.publicKey, c.publicKey)
      assert.notDeepEqual(a.privateKey, c.privateKey)
    })

    it('does not keep a reference to the seed it was given', async () => {
      const seed = provider.randomBytes(ML_KEM_768_SEED_LENGTH)
      const { privateKey } = await provider.mlKem768GenerateKeyPair(seed)
      const before = Uint8Array.from(privateKey)
      seed.fill(0)
      assert.deepEqual(privateKey, before)
    })

    it('encapsulates fresh randomness each time', async () => {
      const { publicKey } = await provider.mlKem768GenerateKeyPair()
      const a = await provider.mlKem768Encapsulate(publicKey)
      const b = await provider.mlKem768Encapsulate(publicKey)
      assert.notDeepEqual(a.ciphertext, b.ciphertext)
      assert.notDeepEqual(a.sharedSecret, b.sharedSecret)
    })

    it('returns a different secret, without throwing, for a tampered ciphertext', async () => {
      const { publicKey, privateKey } = await provider.mlKem768GenerateKeyPair()
      const { ciphertext, sharedSecret } = await provider.mlKem768Encapsulate(publicKey)
      const rejections = new Set<string>()
      for (const bit of [0, 7, 4000, 8 * ML_KEM_768_CIPHERTEXT_LENGTH - 1]) {
        const secret = await provider.mlKem768Decapsulate(privateKey, flipBit(ciphertext, bit))
        assert.equal(secret.length, ML_KEM_SHARED_SECRET_LENGTH)
        assert.notDeepEqual(secret, sharedSecret)
        rejections.add(toHex(secret))
      }
      assert.equal(rejections.size, 4, 'each tampered ciphertext gives its own pseudorandom secret')
    })

    it('returns a different secret for the right ciphertext under another key', async () => {
      const alice = await provider.mlKem768GenerateKeyPair()
      const eve = await provider.mlKem768GenerateKeyPair()
      const { ciphertext, sharedSecret } = await provider.mlKem768Encapsulate(alice.publicKey)
      assert.notDeepEqual(await provider.mlKem768Decapsulate(eve.privateKey, ciphertext), sharedSecret)
    })

    it('rejects a public key failing the FIPS 203 modulus check with InvalidKeyError', async () => {
      // every 12-bit coefficient 0xfff >= q = 3329
      await assert.rejects(provider.mlKem768Encapsulate(new Uint8Array(ML_KEM_768_PUBLIC_KEY_LENGTH).fill(0xff)), { name: 'InvalidKeyError' })
      // a single out-of-range coefficient in an otherwise valid key: set coefficient 0 to 3329
      const { publicKey } = await provider.mlKem768GenerateKeyPair()
      const bad = Uint8Array.from(publicKey)
      bad[0] = 3329 & 0xff
      bad[1] = (bad[1] & 0xf0) | (3329 >> 8)
      await assert.rejects(provider.mlKem768Encapsulate(bad), { name: 'InvalidKeyError' })
    })

    it('rejects wrong lengths with RangeError', async () => {
      const { publicKey, privateKey } = await provider.mlKem768GenerateKeyPair()
      const { ciphertext } = await provider.mlKem768Encapsulate(publicKey)
      for (const length of [0, ML_KEM_768_PUBLIC_KEY_LENGTH - 1, ML_KEM_768_PUBLIC_KEY_LENGTH + 1]) {
        await assert.rejects(provider.mlKem768Encapsulate(new Uint8Array(length)), { name: 'RangeError', message: /"publicKey"/ })
      }
      // 2400 is the expanded decapsulation key, which is not the encoding used here
      for (const length of [0, 32, ML_KEM_768_SEED_LENGTH - 1, ML_KEM_768_SEED_LENGTH + 1, 2400]) {
        await assert.rejects(provider.mlKem768GenerateKeyPair(new Uint8Array(length)), { name: 'RangeError', message: /"seed"/ })
        await assert.rejects(provider.mlKem768Decapsulate(new Uint8Array(length), ciphertext), { name: 'RangeError', message: /"privateKey"/ })
      }
      for (const length of [0, ML_KEM_768_CIPHERTEXT_LENGTH - 1, ML_KEM_768_CIPHERTEXT_LENGTH + 1]) {
        await assert.rejects(provider.mlKem768Decapsulate(privateKey, new Uint8Array(length)), { name: 'RangeError', message: /"ciphertext"/ })
      }
    })

    it('rejects non-Uint8Array arguments with TypeError', async () => {
      const { publicKey, privateKey } = await provider.mlKem768GenerateKeyPair()
      const { ciphertext } = await provider.mlKem768Encapsulate(publicKey)
      for (const wrong of NOT_BYTES) {
        await assert.rejects(provider.mlKem768GenerateKeyPair(wrong as any), { name: 'TypeError', message: /"seed"/ })
        await assert.rejects(provider.mlKem768Encapsulate(wrong as any), { name: 'TypeError', message: /"publicKey"/ })
        await assert.rejects(provider.mlKem768Decapsulate(wrong as any, ciphertext), { name: 'TypeError', message: /"privateKey"/ })
        await assert.rejects(provider.mlKem768Decapsulate(privateKey, wrong as any), { name: 'TypeError', message: /"ciphertext"/ })
      }
    })
  })
}
