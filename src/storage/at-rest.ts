import { gcm } from '@noble/ciphers/aes.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concat } from 'uint8arrays/concat'
import { toString as toHex } from 'uint8arrays/to-string'

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const NONCE_BYTES = 12

/** A level value encoding, as level-transcoder takes them */
export interface ValueEncoding<T> {
  name: string
  format: 'view'
  encode(value: T): Uint8Array
  decode(bytes: Uint8Array): T
}

/**
 * How the database stores what it holds. Plain: as it is. Encrypted (a passphrase is set):
 * every value sealed with AES-256-GCM under the data key, and every PeerId or name that would
 * appear in a database key replaced by a keyed hash, so the files show neither messages nor
 * whom they are with.
 */
export interface AtRestCodec {
  /** Values are sealed and key parts hashed */
  encrypted: boolean
  /** A PeerId or contact name as it appears inside database keys */
  key(part: string): string
  json: 'json' | ValueEncoding<any>
  view: 'view' | ValueEncoding<Uint8Array>
  /**
   * What `json` and `view` do to a value's bytes (JSON is stored as its UTF-8 text): a copy to
   * another codec re-seals every value without knowing what it holds
   */
  bytes: BytesCodec
}

export interface BytesCodec {
  encode(value: Uint8Array): Uint8Array
  decode(stored: Uint8Array): Uint8Array
}

const asIs = (bytes: Uint8Array): Uint8Array => bytes

export const plainCodec: AtRestCodec = { encrypted: false, key: part => part, json: 'json', view: 'view', bytes: { encode: asIs, decode: asIs } }

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
  const seal = (plain: Uint8Array): Uint8Array => {
    const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES))
    return concat([nonce, gcm(encKey, nonce).encrypt(plain)])
  }
  const open = (sealed: Uint8Array): Uint8Array => gcm(encKey, sealed.subarray(0, NONCE_BYTES)).decrypt(sealed.subarray(NONCE_BYTES))
  return {
    encrypted: true,
    // 128 bits of HMAC-SHA-256: no collisions among any number of contacts a person has
    key: part => toHex(hmac(sha256, macKey, encoder.encode(part)).subarray(0, 16), 'base16'),
    json: {
      name: 'parley-sealed-json',
      format: 'view',
      encode: value => seal(encoder.encode(JSON.stringify(value))),
      decode: bytes => JSON.parse(decoder.decode(open(bytes)))
    },
    view: {
      name: 'parley-sealed-view',
      format: 'view',
      encode: value => seal(value),
      decode: bytes => open(bytes)
    },
    bytes: { encode: seal, decode: open }
  }
}
