import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  AES_256_GCM_KEY_LENGTH,
  AES_GCM_NONCE_LENGTH,
  HKDF_SHA256_MAX_LENGTH,
  ML_KEM_768_CIPHERTEXT_LENGTH,
  ML_KEM_768_SEED_LENGTH,
  NobleCryptoProvider,
  NodeCryptoProvider,
  X25519_KEY_LENGTH
} from '../../../src/crypto/provider/index.ts'
import { flipBit, hex } from './helpers.ts'
import { X25519_LOW_ORDER_POINTS } from './vectors.ts'
import type { CryptoProvider } from '../../../src/crypto/provider/index.ts'

const node = new NodeCryptoProvider()
const noble = new NobleCryptoProvider()
/** Both orders, so every property is checked with each provider on each side */
const PAIRS: Array<[CryptoProvider, CryptoProvider]> = [[node, noble], [noble, node]]

const bytes = (length: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: length, maxLength: length })

/** Outcome of a call: the value, or the name of the error it threw */
async function outcome (fn: () => Promise<Uint8Array>): Promise<Uint8Array | string> {
  try {
    return await fn()
  } catch (err: any) {
    return err.name
  }
}

describe('node and noble providers agree', () => {
  it('X25519: same public keys, and DH agrees both ways across providers', async () => {
    await fc.assert(fc.asyncProperty(bytes(X25519_KEY_LENGTH), bytes(X25519_KEY_LENGTH), async (a, b) => {
      const aPublic = await node.x25519PublicKey(a)
      const bPublic = await noble.x25519PublicKey(b)
      assert.deepEqual(await noble.x25519PublicKey(a), aPublic)
      assert.deepEqual(await node.x25519PublicKey(b), bPublic)
      const ab = await node.x25519(a, bPublic)
      assert.deepEqual(await noble.x25519(b, aPublic), ab)
      assert.deepEqual(await noble.x25519(a, bPublic), ab)
      assert.deepEqual(await node.x25519(b, aPublic), ab)
    }), { numRuns: 100 })
  })

  it('X25519: same result or same error for any 32 bytes as public key, low-order points included', async () => {
    const publicKey = fc.oneof(bytes(X25519_KEY_LENGTH), fc.constantFrom(...X25519_LOW_ORDER_POINTS.map(hex)))
    await fc.assert(fc.asyncProperty(bytes(X25519_KEY_LENGTH), publicKey, async (privateKey, u) => {
      const a = await outcome(async () => node.x25519(privateKey, u))
      const b = await outcome(async () => noble.x25519(privateKey, u))
      assert.deepEqual(a, b)
      if (X25519_LOW_ORDER_POINTS.includes(Buffer.from(u).toString('hex'))) {
        assert.equal(a, 'LowOrderPointError')
      }
    }), { numRuns: 200 })
  })

  it('ML-KEM-768: same key pair from a seed; keys from one, encapsulated by the other, decapsulated by the first', async function () {
    this.timeout(60_000)
    await fc.assert(fc.asyncProperty(bytes(ML_KEM_768_SEED_LENGTH), fc.constantFrom(...PAIRS), async (seed, [owner, sender]) => {
      const keys = await owner.mlKem768GenerateKeyPair(seed)
      assert.deepEqual(await sender.mlKem768GenerateKeyPair(seed), keys)
      const { ciphertext, sharedSecret } = await sender.mlKem768Encapsulate(keys.publicKey)
      assert.deepEqual(await owner.mlKem768Decapsulate(keys.privateKey, ciphertext), sharedSecret)
      assert.deepEqual(await sender.mlKem768Decapsulate(keys.privateKey, ciphertext), sharedSecret)
    }), { numRuns: 40 })
  })

  it('ML-KEM-768: a tampered ciphertext gives the same implicit-rejection secret on both', async function () {
    this.timeout(60_000)
    await fc.assert(fc.asyncProperty(bytes(ML_KEM_768_SEED_LENGTH), fc.nat(ML_KEM_768_CIPHERTEXT_LENGTH * 8 - 1), async (seed, bit) => {
      const { publicKey, privateKey } = await noble.mlKem768GenerateKeyPair(seed)
      const { ciphertext, sharedSecret } = await node.mlKem768Encapsulate(publicKey)
      const tampered = flipBit(ciphertext, bit)
      const rejected = await node.mlKem768Decapsulate(privateKey, tampered)
      assert.notDeepEqual(rejected, sharedSecret)
      assert.deepEqual(await noble.mlKem768Decapsulate(privateKey, tampered), rejected)
    }), { numRuns: 25 })
  })

  it('ML-KEM-768: decapsulating arbitrary ciphertext bytes gives the same secret on both', async function () {
    this.timeout(60_000)
    await fc.assert(fc.asyncProperty(bytes(ML_KEM_768_SEED_LENGTH), bytes(ML_KEM_768_CIPHERTEXT_LENGTH), async (seed, ciphertext) => {
      assert.deepEqual(await node.mlKem768Decapsulate(seed, ciphertext), await noble.mlKem768Decapsulate(seed, ciphertext))
    }), { numRuns: 25 })
  })

  it('AES-256-GCM: identical ciphertexts, and each decrypts the other\'s', async () => {
    const aad = fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined })
    await fc.assert(fc.asyncProperty(
      bytes(AES_256_GCM_KEY_LENGTH), bytes(AES_GCM_NONCE_LENGTH), fc.uint8Array({ maxLength: 300 }), aad,
      async (key, nonce, plaintext, associatedData) => {
        const sealed = await node.aes256GcmEncrypt(key, nonce, plaintext, associatedData)
        assert.deepEqual(await noble.aes256GcmEncrypt(key, nonce, plaintext, associatedData), sealed)
        assert.deepEqual(await noble.aes256GcmDecrypt(key, nonce, sealed, associatedData), plaintext)
        assert.deepEqual(await node.aes256GcmDecrypt(key, nonce, sealed, associatedData), plaintext)
      }), { numRuns: 200 })
  })

  it('AES-256-GCM: both reject the same tampering', async () => {
    await fc.assert(fc.asyncProperty(
      bytes(AES_256_GCM_KEY_LENGTH), bytes(AES_GCM_NONCE_LENGTH), fc.uint8Array({ maxLength: 64 }), fc.nat(),
      async (key, nonce, plaintext, bitSeed) => {
        const sealed = await noble.aes256GcmEncrypt(key, nonce, plaintext)
        const tampered = flipBit(sealed, bitSeed % (sealed.length * 8))
        assert.equal(await outcome(async () => node.aes256GcmDecrypt(key, nonce, tampered)), 'DecryptionError')
        assert.equal(await outcome(async () => noble.aes256GcmDecrypt(key, nonce, tampered)), 'DecryptionError')
      }), { numRuns: 100 })
  })

  it('HKDF-SHA256: identical output for any inputs and length', async () => {
    const length = fc.oneof(fc.integer({ min: 1, max: 128 }), fc.integer({ min: 1, max: HKDF_SHA256_MAX_LENGTH }))
    await fc.assert(fc.asyncProperty(
      fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 200 }), length,
      async (ikm, salt, info, len) => {
        assert.deepEqual(await noble.hkdfSha256(ikm, salt, info, len), await node.hkdfSha256(ikm, salt, info, len))
      }), { numRuns: 200 })
  })

  it('HMAC-SHA256, SHA-256 and SHA-512: identical output for any inputs', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 500 }), async (key, data) => {
      assert.deepEqual(await noble.hmacSha256(key, data), await node.hmacSha256(key, data))
      assert.deepEqual(noble.sha256(data), node.sha256(data))
      assert.deepEqual(noble.sha512(data), node.sha512(data))
    }), { numRuns: 300 })
  })

  it('HMAC-SHA256 of several messages under one key: identical output', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 4 }), async (key, messages) => {
      assert.deepEqual(await noble.hmacSha256Each(key, messages), await node.hmacSha256Each(key, messages))
    }), { numRuns: 200 })
  })

  it('check arguments identically: same error name for the same bad input', async () => {
    const badBytes = fc.oneof(
      fc.uint8Array({ maxLength: 70 }),
      fc.constantFrom<unknown>('x', null, undefined, 7, [1, 2], new ArrayBuffer(32), new Uint16Array(16))
    )
    const calls: Array<(p: CryptoProvider, v: any) => Promise<unknown>> = [
      async (p, v) => p.x25519(v, new Uint8Array(32).fill(9)),
      async (p, v) => p.x25519PublicKey(v),
      async (p, v) => p.mlKem768GenerateKeyPair(v),
      async (p, v) => p.mlKem768Decapsulate(v, new Uint8Array(ML_KEM_768_CIPHERTEXT_LENGTH)),
      async (p, v) => p.aes256GcmEncrypt(v, new Uint8Array(12), new Uint8Array(0)),
      async (p, v) => p.aes256GcmEncrypt(new Uint8Array(32), v, new Uint8Array(0)),
      async (p, v) => p.aes256GcmDecrypt(new Uint8Array(32), new Uint8Array(12), v),
      async (p, v) => p.hmacSha256Each(v, [new Uint8Array(1)]),
      async (p, v) => p.hmacSha256Each(new Uint8Array(32), [v])
    ]
    const name = async (fn: () => Promise<unknown>): Promise<string> => {
      try {
        await fn()
        return 'ok'
      } catch (err: any) {
        return err.name
      }
    }
    await fc.assert(fc.asyncProperty(badBytes, fc.nat(calls.length - 1), async (value, i) => {
      assert.equal(await name(async () => calls[i](noble, value)), await name(async () => calls[i](node, value)))
    }), { numRuns: 300 })
  })
})
