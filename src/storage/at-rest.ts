import { gcm } from '@noble/ciphers/aes.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concat } from 'uint8arrays/concat'
import { toString as toHex } from 'uint8arrays/to-string'

const encoder = new TextEncoder()
const NONCE_BYTES = 12

/**
 * How the database stores what it holds. Plain: as it is. Encrypted (a passphrase is set):
 * every value sealed with AES-256-GCM under the data key, bound to the table and key it is
 * stored under, and every PeerId or name that would appear in a database key replaced by a
 * keyed hash, so the files show neither messages nor whom they are with, and a value moved to
 * another key or table no longer opens.
 */
export interface AtRestCodec {
  /** Values are sealed and key parts hashed */
  encrypted: boolean
  /** A PeerId or contact name as it appears inside database keys */
  key(part: string): string
  /** `value` as stored under `key` in `table` (the key as stored, its parts hashed) */
  seal(table: string, key: string, value: Uint8Array): Uint8Array
  /**
   * What `seal` was given for this `table` and `key`
   *
   * @throws Error when `stored` was sealed under another data key, table or key, or altered
   */
  open(table: string, key: string, stored: Uint8Array): Uint8Array
  /**
   * Opens a value an earlier release sealed without binding it to its place (none did once
   * `AT_REST_FORMAT` is recorded): only the migration of such a database calls it
   */
  openUnbound(stored: Uint8Array): Uint8Array
}

/**
 * The at-rest format: 2 binds every sealed value to its table and key. A database without this
 * recorded was written by a release that sealed values unbound (or wrote them in the clear).
 */
export const AT_REST_FORMAT = 2

const asIs = (_table: string, _key: string, bytes: Uint8Array): Uint8Array => bytes

export const plainCodec: AtRestCodec = { encrypted: false, key: part => part, seal: asIs, open: asIs, openUnbound: bytes => bytes }

/**
 * Values are sealed with random 96-bit nonces: at most 2^32 writes per data key keep the chance
 * of a repeated nonce negligible, far beyond a messenger's lifetime of writes.
 */
export function encryptedCodec (dataKey: Uint8Array): AtRestCodec {
  if (!(dataKey instanceof Uint8Array) || dataKey.byteLength !== 32) {
    throw new RangeError('the data key must be 32 bytes')
  }
  const encKey = hkdf(sha256, dataKey, undefined, encoder.encode('Parley_AtRest_Values'), 32)
  const macKey = hkdf(sha256, dataKey, undefined, encoder.encode('Parley_AtRest_Keys'), 32)
  return {
    encrypted: true,
    // 128 bits of HMAC-SHA-256: no collisions among any number of contacts a person has
    key: part => toHex(hmac(sha256, macKey, encoder.encode(part)).subarray(0, 16), 'base16'),
    seal: (table, key, value) => {
      const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES))
      return concat([nonce, gcm(encKey, nonce, placeOf(table, key)).encrypt(value)])
    },
    open: (table, key, stored) => gcm(encKey, stored.subarray(0, NONCE_BYTES), placeOf(table, key)).decrypt(stored.subarray(NONCE_BYTES)),
    openUnbound: stored => gcm(encKey, stored.subarray(0, NONCE_BYTES)).decrypt(stored.subarray(NONCE_BYTES))
  }
}

/**
 * The associated data binding a value to its place: table names hold no `!` (it is LevelDB's
 * sublevel separator), so `table!key` names exactly one place
 */
function placeOf (table: string, key: string): Uint8Array {
  return encoder.encode(`parley/at-rest/v${AT_REST_FORMAT}:${table}!${key}`)
}
