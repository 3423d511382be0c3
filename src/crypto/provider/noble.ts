import { gcm } from '@noble/ciphers/aes.js'
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256, sha512 } from '@noble/hashes/sha2.js'
import { randomBytes } from '@noble/hashes/utils.js'
import { ml_kem768 as mlKem768 } from '@noble/post-quantum/ml-kem.js'
import {
  AES_256_GCM_KEY_LENGTH,
  AES_GCM_NONCE_LENGTH,
  AES_GCM_TAG_LENGTH,
  HKDF_MAX_INFO_LENGTH,
  HKDF_SHA256_MAX_LENGTH,
  MAX_RANDOM_BYTES,
  ML_KEM_768_CIPHERTEXT_LENGTH,
  ML_KEM_768_PUBLIC_KEY_LENGTH,
  ML_KEM_768_SEED_LENGTH,
  X25519_KEY_LENGTH
} from './constants.ts'
import { DecryptionError, InvalidKeyError, LowOrderPointError } from './errors.ts'
import { assertBytes, assertBytesArray, assertBytesLength, assertInteger, assertOptionalBytes, isAllZero } from './validate.ts'
import type { CryptoProvider, Encapsulation, KeyPair } from './types.ts'

/**
 * The @noble/* provider: audited pure JavaScript, the same code in Node and browsers. Slower than
 * node:crypto, and JavaScript gives no constant-time guarantees; prefer `node` where available.
 * Methods are async only to share the interface: the work runs on the calling thread.
 */
export class NobleCryptoProvider implements CryptoProvider {
  readonly name = 'noble'

  randomBytes (length: number): Uint8Array {
    assertInteger(length, 'length', 0, MAX_RANDOM_BYTES)
    return randomBytes(length)
  }

  async x25519GenerateKeyPair (): Promise<KeyPair> {
    const { secretKey, publicKey } = nobleX25519.keygen()
    return { publicKey, privateKey: secretKey }
  }

  async x25519PublicKey (privateKey: Uint8Array): Promise<Uint8Array> {
    assertBytes(privateKey, 'privateKey', X25519_KEY_LENGTH)
    return nobleX25519.getPublicKey(privateKey)
  }

  async x25519 (privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
    assertBytes(privateKey, 'privateKey', X25519_KEY_LENGTH)
    assertBytes(publicKey, 'publicKey', X25519_KEY_LENGTH)
    let secret: Uint8Array
    try {
      // with both lengths checked, noble throws only for a low-order public key (rejected before
      // the ladder runs) or an all-zero result
      secret = nobleX25519.getSharedSecret(privateKey, publicKey)
    } catch (err) {
      throw new LowOrderPointError(undefined, { cause: err })
    }
    if (isAllZero(secret)) {
      throw new LowOrderPointError()
    }
    return secret
  }

  async mlKem768GenerateKeyPair (seed?: Uint8Array): Promise<KeyPair> {
    if (seed !== undefined) {
      assertBytes(seed, 'seed', ML_KEM_768_SEED_LENGTH)
    }
    const privateKey = seed === undefined ? randomBytes(ML_KEM_768_SEED_LENGTH) : Uint8Array.from(seed)
    const { publicKey, secretKey } = mlKem768.keygen(privateKey)
    secretKey.fill(0)
    return { publicKey, privateKey }
  }

  async mlKem768Encapsulate (publicKey: Uint8Array): Promise<Encapsulation> {
    assertBytes(publicKey, 'publicKey', ML_KEM_768_PUBLIC_KEY_LENGTH)
    let result: { cipherText: Uint8Array, sharedSecret: Uint8Array }
    try {
      // with the length checked, noble throws only when the FIPS 203 §7.2 modulus check fails
      result = mlKem768.encapsulate(publicKey)
    } catch (err) {
      throw new InvalidKeyError('ML-KEM-768 public key fails the FIPS 203 modulus check', { cause: err })
    }
    return { ciphertext: result.cipherText, sharedSecret: result.sharedSecret }
  }

  async mlKem768Decapsulate (privateKey: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
    assertBytes(privateKey, 'privateKey', ML_KEM_768_SEED_LENGTH)
    assertBytes(ciphertext, 'ciphertext', ML_KEM_768_CIPHERTEXT_LENGTH)
    // the private key is the seed: expand it to the 2400-byte decapsulation key for this call only
    const { secretKey } = mlKem768.keygen(privateKey)
    try {
      return mlKem768.decapsulate(ciphertext, secretKey)
    } finally {
      secretKey.fill(0)
    }
  }

  async aes256GcmEncrypt (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData?: Uint8Array): Promise<Uint8Array> {
    assertBytes(key, 'key', AES_256_GCM_KEY_LENGTH)
    assertBytes(nonce, 'nonce', AES_GCM_NONCE_LENGTH)
    assertBytes(plaintext, 'plaintext')
    assertOptionalBytes(associatedData, 'associatedData')
    return gcm(key, nonce, associatedData).encrypt(plaintext)
  }

  async aes256GcmDecrypt (key: Uint8Array, nonce: Uint8Array, ciphertextWithTag: Uint8Array, associatedData?: Uint8Array): Promise<Uint8Array> {
    assertBytes(key, 'key', AES_256_GCM_KEY_LENGTH)
    assertBytes(nonce, 'nonce', AES_GCM_NONCE_LENGTH)
    assertBytesLength(ciphertextWithTag, 'ciphertextWithTag', AES_GCM_TAG_LENGTH)
    assertOptionalBytes(associatedData, 'associatedData')
    try {
      // noble checks the tag (in constant time) before decrypting anything
      return gcm(key, nonce, associatedData).decrypt(ciphertextWithTag)
    } catch (err) {
      throw new DecryptionError(undefined, { cause: err })
    }
  }

  async hkdfSha256 (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array> {
    assertBytes(ikm, 'ikm')
    assertBytes(salt, 'salt')
    assertBytesLength(info, 'info', 0, HKDF_MAX_INFO_LENGTH)
    assertInteger(length, 'length', 1, HKDF_SHA256_MAX_LENGTH)
    return hkdf(sha256, ikm, salt, info, length)
  }

  async hmacSha256 (key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
    assertBytes(key, 'key')
    assertBytes(data, 'data')
    return hmac(sha256, key, data)
  }

  async hmacSha256Each (key: Uint8Array, messages: readonly Uint8Array[]): Promise<Uint8Array[]> {
    assertBytes(key, 'key')
    assertBytesArray(messages, 'messages')
    // the keyed state (both padded key blocks) is computed once and cloned per message
    const keyed = hmac.create(sha256, key)
    const macs = messages.map(data => keyed.clone().update(data).digest())
    keyed.destroy()
    return macs
  }

  sha256 (data: Uint8Array): Uint8Array {
    assertBytes(data, 'data')
    return sha256(data)
  }

  sha512 (data: Uint8Array): Uint8Array {
    assertBytes(data, 'data')
    return sha512(data)
  }
}

/** A @noble/* provider */
export function nobleCryptoProvider (): CryptoProvider {
  return new NobleCryptoProvider()
}
