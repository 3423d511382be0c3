import { concat } from 'uint8arrays/concat'
import { sha512 } from '@noble/hashes/sha2.js'

/** Signal's iteration count: slows down a search for a colliding key (2^112 work for 30 digits) */
export const SAFETY_NUMBER_ITERATIONS = 5_200

/** Format version, hashed in so a future format can never produce the same digits */
const VERSION = Uint8Array.of(0, 0)

const encoder = new TextEncoder()

/**
 * Signal's numeric fingerprint: 30 digits per party, from its identity key and a stable
 * identifier (here the PeerId string), hashed with SHA-512 5,200 times; the two halves are
 * sorted so both parties see the same 60 digits.
 *
 * @param local - this party's Ed25519 identity public key (raw, 32 bytes) and PeerId string
 * @param remote - the contact's
 * @returns 60 digits in 12 groups of 5, separated by spaces
 */
export function safetyNumber (local: { identityKey: Uint8Array, id: string }, remote: { identityKey: Uint8Array, id: string }): string {
  const halves = [displayHalf(local.identityKey, local.id), displayHalf(remote.identityKey, remote.id)].sort()
  const digits = halves.join('')
  return digits.match(/\d{5}/g)!.join(' ')
}

function displayHalf (identityKey: Uint8Array, id: string): string {
  if (!(identityKey instanceof Uint8Array)) throw new TypeError('identityKey must be a Uint8Array')
  if (identityKey.byteLength !== 32) throw new RangeError('identityKey must be 32 bytes')
  let hash: Uint8Array = sha512(concat([VERSION, identityKey, encoder.encode(id)]))
  for (let i = 0; i < SAFETY_NUMBER_ITERATIONS; i++) {
    hash = sha512(concat([hash, identityKey]))
  }
  let out = ''
  for (let chunk = 0; chunk < 6; chunk++) {
    let value = 0
    for (let i = 0; i < 5; i++) {
      value = value * 256 + hash[chunk * 5 + i]
    }
    out += String(value % 100_000).padStart(5, '0')
  }
  return out
}
