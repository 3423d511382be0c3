/**
 * Noise's ChaCha20-Poly1305 on node:crypto with each key prepared once, for bulk transfers.
 *
 * `@libp2p/noise`'s default crypto already seals frames of 1,200 bytes and more with node:crypto,
 * but passes the raw 32-byte key to `createCipheriv` for every frame, and Node turns it into a
 * key object each time: ~8 µs of the ~45 µs a full 64 KiB frame costs, on each side. Here each
 * cipher state's key becomes a `KeyObject` once.
 *
 * Everything else is the default's, so the wire format is unchanged and any Noise peer
 * interoperates: X25519, SHA-256, HKDF, and frames under 1,200 bytes (window updates, chat) on
 * its WebAssembly ChaCha, which is about as fast there as a node:crypto call. Node only;
 * browsers get the default (`noise-crypto.browser.ts`).
 */
import { createCipheriv, createDecipheriv, createSecretKey } from 'node:crypto'
import { defaultCrypto } from '@libp2p/noise/crypto'
import { Uint8ArrayList } from 'uint8arraylist'
import type { ICryptoInterface } from '@libp2p/noise'
import type { KeyObject } from 'node:crypto'

const CHACHA20_POLY1305 = 'chacha20-poly1305'
const TAG_BYTES = 16
/** Smaller frames go to the default (WebAssembly) implementation, at the default's own threshold */
const NODE_CRYPTO_MIN_BYTES = 1_200

interface PreparedKey {
  /** A copy of the bytes `key` was made from */
  bytes: Uint8Array
  key: KeyObject
}

/** Noise keeps one key array per cipher state for the connection's life: one entry each */
const prepared = new WeakMap<Uint8Array, PreparedKey>()

function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) {
    if (a[i] !== b[i]) return false
  }
  return true
}

/** The `KeyObject` for `k`, made on first use; made again if the array was rewritten since */
function keyObject (k: Uint8Array): KeyObject {
  const entry = prepared.get(k)
  if (entry != null && sameBytes(entry.bytes, k)) return entry.key
  const fresh = { bytes: Uint8Array.from(k), key: createSecretKey(k) }
  prepared.set(k, fresh)
  return fresh.key
}

function encrypt (plaintext: Uint8Array | Uint8ArrayList, nonce: Uint8Array, ad: Uint8Array, k: Uint8Array): Uint8Array | Uint8ArrayList {
  if (plaintext.byteLength < NODE_CRYPTO_MIN_BYTES) {
    return defaultCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
  }
  const cipher = createCipheriv(CHACHA20_POLY1305, keyObject(k), nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(ad, { plaintextLength: plaintext.byteLength })
  const output = new Uint8ArrayList()
  // a stream cipher: update() returns as many bytes as it is given, and final() none
  if (plaintext instanceof Uint8Array) {
    output.append(cipher.update(plaintext))
  } else {
    for (const piece of plaintext) output.append(cipher.update(piece))
  }
  cipher.final()
  output.append(cipher.getAuthTag())
  return output
}

/**
 * Throws if the tag does not match (node:crypto's "unable to authenticate data"), as the default
 * does. `dst` is ignored: node:crypto cannot decrypt into a given buffer.
 */
function decrypt (ciphertext: Uint8Array | Uint8ArrayList, nonce: Uint8Array, ad: Uint8Array, k: Uint8Array, dst?: Uint8Array): Uint8Array | Uint8ArrayList {
  if (ciphertext.byteLength < NODE_CRYPTO_MIN_BYTES) {
    return defaultCrypto.chaCha20Poly1305Decrypt(ciphertext, nonce, ad, k, dst)
  }
  const textBytes = ciphertext.byteLength - TAG_BYTES
  const decipher = createDecipheriv(CHACHA20_POLY1305, keyObject(k), nonce, { authTagLength: TAG_BYTES })
  decipher.setAAD(ad, { plaintextLength: textBytes })
  decipher.setAuthTag(ciphertext.subarray(textBytes))
  if (ciphertext instanceof Uint8Array) {
    const plaintext = decipher.update(ciphertext.subarray(0, textBytes))
    decipher.final()
    return plaintext
  }
  const plaintext = new Uint8ArrayList()
  for (const piece of ciphertext.sublist(0, textBytes)) plaintext.append(decipher.update(piece))
  decipher.final()
  return plaintext
}

/** For `noise({ crypto: noiseCrypto })` */
export const noiseCrypto: ICryptoInterface = {
  ...defaultCrypto,
  chaCha20Poly1305Encrypt: encrypt,
  chaCha20Poly1305Decrypt: decrypt
}
