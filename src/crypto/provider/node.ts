import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  createPrivateKey,
  createPublicKey,
  decapsulate,
  diffieHellman,
  encapsulate,
  generateKeyPair,
  generateKeyPairSync,
  hkdfSync,
  randomFillSync,
  timingSafeEqual
} from 'node:crypto'
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
import type { KeyObject } from 'node:crypto'

/** A Buffer over the same memory, for node:crypto APIs typed to take Buffers (no copy) */
function buf (bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** A plain Uint8Array copy, so callers never get a Buffer, a pool slice or shared memory */
function plain (bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes)
}

/** A plain Uint8Array of `length` bytes that are not zeroed first: for the caller to overwrite whole */
function uninitialized (length: number): Uint8Array {
  return new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length)
}

/**
 * A plain Uint8Array of a Buffer node:crypto just returned: over the same memory when the Buffer
 * spans its whole ArrayBuffer (digests, key exports, DH secrets: no one else holds that memory),
 * a copy otherwise (a slice of the Buffer pool)
 */
function owned (buffer: Buffer): Uint8Array {
  return buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength && buffer.buffer instanceof ArrayBuffer
    ? new Uint8Array(buffer.buffer)
    : plain(buffer)
}

/**
 * KeyObjects of private keys this provider generated, by their byte array: a ratchet step
 * generates a key and uses it at once, and importing it again cost more than the agreement.
 * With a copy of the bytes, so an array changed since (wiped, say) is not taken for its old key.
 */
const generatedKeys = new WeakMap<Uint8Array, { bytes: Uint8Array, key: KeyObject }>()

function x25519PrivateKeyObject (privateKey: Uint8Array): KeyObject {
  const generated = generatedKeys.get(privateKey)
  if (generated !== undefined && timingSafeEqual(generated.bytes, privateKey)) {
    return generated.key
  }
  return createPrivateKey({ key: buf(privateKey), format: 'raw-private', asymmetricKeyType: 'x25519' })
}

/** Byte equality for public values (not constant-time) */
function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) {
    return false
  }
  for (let i = 0; i < a.byteLength; i++) {
    if (a[i] !== b[i]) {
      return false
    }
  }
  return true
}

function mlKemPrivateKeyObject (seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: buf(seed), format: 'raw-seed', asymmetricKeyType: 'ml-kem-768' })
}

function mlKemKeyPair (privateKey: KeyObject): KeyPair {
  return {
    publicKey: plain(createPublicKey(privateKey).export({ format: 'raw-public' })),
    privateKey: plain(privateKey.export({ format: 'raw-seed' }))
  }
}

/** OpenSSL's X25519 derivation fails exactly when the shared secret would be all zero */
const DERIVATION_FAILED = 'ERR_OSSL_FAILED_DURING_DERIVATION'

/**
 * The node:crypto (OpenSSL) provider. Key generation, ML-KEM and HKDF run on libuv's thread
 * pool; the cheap operations (X25519, AES-GCM, HMAC, hashes) run inline.
 */
/**
 * Raw key bytes as a KeyObject. node:crypto accepts bytes, but then runs two failing brand checks
 * (is it a KeyObject? a CryptoKey?) that cost ~7 µs each call: a ratchet step's HMACs, HKDF and
 * AES-GCM ran 4x slower for it (measured with Node 24.21)
 */
function secretKey (key: Uint8Array): KeyObject {
  return createSecretKey(key)
}

export class NodeCryptoProvider implements CryptoProvider {
  readonly name = 'node'

  /**
   * The X25519 public key agreed with last, imported, with a copy of its bytes: a DH ratchet step
   * agrees twice with the same remote key, and an import costs more than half an agreement
   */
  private lastPublicKey?: { bytes: Uint8Array, key: KeyObject }

  randomBytes (length: number): Uint8Array {
    assertInteger(length, 'length', 0, MAX_RANDOM_BYTES)
    return randomFillSync(new Uint8Array(length))
  }

  async x25519GenerateKeyPair (): Promise<KeyPair> {
    // synchronous: an X25519 key pair takes microseconds, less than a thread-pool round trip
    const { privateKey, publicKey } = generateKeyPairSync('x25519')
    const pair = {
      publicKey: owned(publicKey.export({ format: 'raw-public' })),
      privateKey: owned(privateKey.export({ format: 'raw-private' }))
    }
    generatedKeys.set(pair.privateKey, { bytes: plain(pair.privateKey), key: privateKey })
    return pair
  }

  async x25519PublicKey (privateKey: Uint8Array): Promise<Uint8Array> {
    assertBytes(privateKey, 'privateKey', X25519_KEY_LENGTH)
    return plain(createPublicKey(x25519PrivateKeyObject(privateKey)).export({ format: 'raw-public' }))
  }

  async x25519 (privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
    assertBytes(privateKey, 'privateKey', X25519_KEY_LENGTH)
    assertBytes(publicKey, 'publicKey', X25519_KEY_LENGTH)
    const options = {
      privateKey: x25519PrivateKeyObject(privateKey),
      publicKey: this.x25519PublicKeyObject(publicKey)
    }
    let secret: Uint8Array
    try {
      // synchronous on purpose: one X25519 is cheaper than a thread-pool round trip, and only the
      // synchronous form sets `code` on OpenSSL errors
      secret = owned(diffieHellman(options))
    } catch (err) {
      if ((err as { code?: unknown }).code === DERIVATION_FAILED) {
        throw new LowOrderPointError(undefined, { cause: err })
      }
      throw err
    }
    // belt and braces: never hand out an all-zero secret, whatever the OpenSSL build does
    if (isAllZero(secret)) {
      throw new LowOrderPointError()
    }
    return secret
  }

  private x25519PublicKeyObject (publicKey: Uint8Array): KeyObject {
    const last = this.lastPublicKey
    if (last !== undefined && equalBytes(last.bytes, publicKey)) {
      return last.key
    }
    const key = createPublicKey({ key: buf(publicKey), format: 'raw-public', asymmetricKeyType: 'x25519' })
    this.lastPublicKey = { bytes: plain(publicKey), key }
    return key
  }

  async mlKem768GenerateKeyPair (seed?: Uint8Array): Promise<KeyPair> {
    if (seed !== undefined) {
      assertBytes(seed, 'seed', ML_KEM_768_SEED_LENGTH)
      return mlKemKeyPair(mlKemPrivateKeyObject(seed))
    }
    const privateKey = await new Promise<KeyObject>((resolve, reject) => {
      generateKeyPair('ml-kem-768', {}, (err, _publicKey, privateKey) => {
        if (err != null) {
          reject(err)
        } else {
          resolve(privateKey)
        }
      })
    })
    return mlKemKeyPair(privateKey)
  }

  async mlKem768Encapsulate (publicKey: Uint8Array): Promise<Encapsulation> {
    assertBytes(publicKey, 'publicKey', ML_KEM_768_PUBLIC_KEY_LENGTH)
    let key: KeyObject
    try {
      // the import runs the FIPS 203 §7.2 modulus check
      key = createPublicKey({ key: buf(publicKey), format: 'raw-public', asymmetricKeyType: 'ml-kem-768' })
    } catch (err) {
      throw new InvalidKeyError('ML-KEM-768 public key fails the FIPS 203 modulus check', { cause: err })
    }
    return new Promise((resolve, reject) => {
      encapsulate(key, (err, result) => {
        if (err != null) {
          reject(err)
        } else {
          resolve({ ciphertext: plain(result.ciphertext), sharedSecret: plain(result.sharedKey) })
        }
      })
    })
  }

  async mlKem768Decapsulate (privateKey: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
    assertBytes(privateKey, 'privateKey', ML_KEM_768_SEED_LENGTH)
    assertBytes(ciphertext, 'ciphertext', ML_KEM_768_CIPHERTEXT_LENGTH)
    const key = mlKemPrivateKeyObject(privateKey)
    return new Promise((resolve, reject) => {
      decapsulate(key, ciphertext, (err, sharedKey) => {
        if (err != null) {
          reject(err)
        } else {
          resolve(plain(sharedKey))
        }
      })
    })
  }

  async aes256GcmEncrypt (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData?: Uint8Array): Promise<Uint8Array> {
    assertBytes(key, 'key', AES_256_GCM_KEY_LENGTH)
    assertBytes(nonce, 'nonce', AES_GCM_NONCE_LENGTH)
    assertBytes(plaintext, 'plaintext')
    assertOptionalBytes(associatedData, 'associatedData')
    const cipher = createCipheriv('aes-256-gcm', secretKey(key), nonce, { authTagLength: AES_GCM_TAG_LENGTH })
    if (associatedData !== undefined) {
      cipher.setAAD(associatedData)
    }
    const head = cipher.update(plaintext)
    const tail = cipher.final()
    // every byte is written below: no need to zero a buffer as large as the message first
    const out = uninitialized(head.length + tail.length + AES_GCM_TAG_LENGTH)
    out.set(head, 0)
    out.set(tail, head.length)
    out.set(cipher.getAuthTag(), head.length + tail.length)
    return out
  }

  async aes256GcmDecrypt (key: Uint8Array, nonce: Uint8Array, ciphertextWithTag: Uint8Array, associatedData?: Uint8Array): Promise<Uint8Array> {
    assertBytes(key, 'key', AES_256_GCM_KEY_LENGTH)
    assertBytes(nonce, 'nonce', AES_GCM_NONCE_LENGTH)
    assertBytesLength(ciphertextWithTag, 'ciphertextWithTag', AES_GCM_TAG_LENGTH)
    assertOptionalBytes(associatedData, 'associatedData')
    const split = ciphertextWithTag.length - AES_GCM_TAG_LENGTH
    let head: Buffer | undefined
    let verified = false
    try {
      const decipher = createDecipheriv('aes-256-gcm', secretKey(key), nonce, { authTagLength: AES_GCM_TAG_LENGTH })
      decipher.setAuthTag(ciphertextWithTag.subarray(split))
      if (associatedData !== undefined) {
        decipher.setAAD(associatedData)
      }
      head = decipher.update(ciphertextWithTag.subarray(0, split))
      // final() verifies the tag: unverified plaintext in `head` never leaves this function
      const tail = decipher.final()
      verified = true
      if (tail.length === 0) {
        // GCM is a stream mode: update() returned all of it, in memory of its own or a pool
        // slice, which is copied and then wiped
        const out = owned(head)
        if (out.buffer !== head.buffer) head.fill(0)
        return out
      }
      const out = uninitialized(head.length + tail.length)
      out.set(head, 0)
      out.set(tail, head.length)
      head.fill(0)
      return out
    } catch (err) {
      throw new DecryptionError(undefined, { cause: err })
    } finally {
      if (!verified) head?.fill(0)
    }
  }

  async hkdfSha256 (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array> {
    assertBytes(ikm, 'ikm')
    assertBytes(salt, 'salt')
    assertBytesLength(info, 'info', 0, HKDF_MAX_INFO_LENGTH)
    assertInteger(length, 'length', 1, HKDF_SHA256_MAX_LENGTH)
    // synchronous: a derivation of a few dozen bytes takes microseconds, far less than a round
    // trip through libuv's thread pool (which made the ratchet 3x slower)
    return new Uint8Array(hkdfSync('sha256', secretKey(ikm), salt, info, length))
  }

  async hmacSha256 (key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
    assertBytes(key, 'key')
    assertBytes(data, 'data')
    return owned(createHmac('sha256', secretKey(key)).update(data).digest())
  }

  async hmacSha256Each (key: Uint8Array, messages: readonly Uint8Array[]): Promise<Uint8Array[]> {
    assertBytes(key, 'key')
    assertBytesArray(messages, 'messages')
    // one KeyObject for all: importing the key costs about as much as one short MAC
    const keyObject = secretKey(key)
    return messages.map(data => owned(createHmac('sha256', keyObject).update(data).digest()))
  }

  sha256 (data: Uint8Array): Uint8Array {
    assertBytes(data, 'data')
    return plain(createHash('sha256').update(data).digest())
  }

  sha512 (data: Uint8Array): Uint8Array {
    assertBytes(data, 'data')
    return plain(createHash('sha512').update(data).digest())
  }
}

/** A node:crypto provider */
export function nodeCryptoProvider (): CryptoProvider {
  return new NodeCryptoProvider()
}
