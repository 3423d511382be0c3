import { gcm } from '@noble/ciphers/aes.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concat } from 'uint8arrays/concat'
import { equals } from 'uint8arrays/equals'

/** A key file sealed under the data key (a passphrase is set) starts with this */
const MAGIC = new TextEncoder().encode('PARLEY-SEALED-KEY\n')
const INFO = new TextEncoder().encode('Parley_AtRest_Identity')

export function isSealed (bytes: Uint8Array): boolean {
  return bytes.byteLength > MAGIC.byteLength && equals(bytes.subarray(0, MAGIC.byteLength), MAGIC)
}

/** Seals the key's protobuf encoding under a key derived from the data key (AES-256-GCM) */
export function sealKey (encoded: Uint8Array, dataKey: Uint8Array): Uint8Array {
  const nonce = crypto.getRandomValues(new Uint8Array(12))
  return concat([MAGIC, nonce, gcm(hkdf(sha256, dataKey, undefined, INFO, 32), nonce).encrypt(encoded)])
}

/** Throws if the data key is not the one it was sealed under */
export function openKey (sealed: Uint8Array, dataKey: Uint8Array): Uint8Array {
  const body = sealed.subarray(MAGIC.byteLength)
  return gcm(hkdf(sha256, dataKey, undefined, INFO, 32), body.subarray(0, 12)).decrypt(body.subarray(12))
}
