import { sha256 } from '@noble/hashes/sha2.js'
import { InvalidFetchProofError, InvalidReceiptError } from './errors.ts'
import type { PeerId, PrivateKey, PublicKey } from '@libp2p/interface'

/*
 * Every signed message starts with its own label (none is a prefix of another) and puts a u32be
 * length before each variable-length field, so bytes signed as one kind of message, or as one
 * split into fields, never read as another.
 */
const encoder = new TextEncoder()
const RECEIPT_LABEL = encoder.encode('parley/mailbox-receipt/v1')
const FETCH_LABEL = encoder.encode('parley/mailbox-fetch/v1')

const HASH_BYTES = 32
/** What a storer's fetch challenge is: fresh random bytes */
const CHALLENGE_BYTES = 32
const SIGNATURE_BYTES = 64

/** An envelope's id everywhere in the mailbox protocol: SHA-256 of its bytes, 32 bytes */
export function envelopeHash (envelope: Uint8Array): Uint8Array {
  return sha256(envelope)
}

/** What a storer signs: it holds the envelope with `hash` under mailbox `key` until `expiresAt` */
export interface ReceiptFields {
  /** The 32-byte mailbox key */
  key: Uint8Array
  /** The envelope's 32-byte `envelopeHash` */
  hash: Uint8Array
  /** Unix time in ms, a non-negative integer (signed as u64be) */
  expiresAt: number
}

/**
 * What a recipient signs to fetch its mail: bound to one storer (so a proof shown to one cannot
 * be replayed to another), to that storer's fresh challenge (so it cannot be replayed later)
 * and to the epochs asked for
 */
export interface FetchProofFields {
  storer: PeerId
  /** The storer's 32 fresh random bytes */
  challenge: Uint8Array
  /** Epoch numbers, each 0 to 2^32 - 1, in the order they are asked for */
  epochs: number[]
}

/**
 * A storer's receipt: its Ed25519 signature over utf8 "parley/mailbox-receipt/v1" ||
 * u32be(32) || key || u32be(32) || hash || u64be(expiresAt)
 *
 * @throws RangeError when key or hash is not 32 bytes or expiresAt not a non-negative integer
 */
export async function signReceipt (storerKey: PrivateKey, fields: ReceiptFields): Promise<Uint8Array> {
  return storerKey.sign(receiptBytes(fields))
}

/**
 * Whether `signature` is `storer`'s receipt for exactly these fields. False for any signature
 * that does not verify, whatever its length.
 *
 * @throws InvalidReceiptError when `storer` is not an Ed25519 PeerId with its public key
 * @throws RangeError for malformed fields, as `signReceipt`
 */
export async function verifyReceipt (storer: PeerId, fields: ReceiptFields, signature: Uint8Array): Promise<boolean> {
  const key = publicKeyOf(storer, InvalidReceiptError)
  return verify(key, receiptBytes(fields), signature)
}

/**
 * A recipient's fetch proof: its Ed25519 signature over utf8 "parley/mailbox-fetch/v1" ||
 * u32be(length) || storer multihash || u32be(32) || challenge || u32be(count) || u32be(epoch)...
 *
 * @throws RangeError when the challenge is not 32 bytes or an epoch not a u32
 */
export async function signFetchProof (recipientKey: PrivateKey, fields: FetchProofFields): Promise<Uint8Array> {
  return recipientKey.sign(fetchBytes(fields))
}

/**
 * Whether `signature` proves that `recipient` (the mailbox owner) asked this storer, with this
 * challenge, for these epochs. False for any signature that does not verify.
 *
 * @throws InvalidFetchProofError when `recipient` is not an Ed25519 PeerId with its public key
 * @throws RangeError for malformed fields, as `signFetchProof`
 */
export async function verifyFetchProof (recipient: PeerId, fields: FetchProofFields, signature: Uint8Array): Promise<boolean> {
  const key = publicKeyOf(recipient, InvalidFetchProofError)
  return verify(key, fetchBytes(fields), signature)
}

function receiptBytes ({ key, hash, expiresAt }: ReceiptFields): Uint8Array {
  checkBytes('key', key, HASH_BYTES)
  checkBytes('hash', hash, HASH_BYTES)
  if (!Number.isSafeInteger(expiresAt) || expiresAt < 0) {
    throw new RangeError(`expiresAt must be a non-negative integer, got ${expiresAt}`)
  }
  const out = new Writer(RECEIPT_LABEL.byteLength + 4 + key.byteLength + 4 + hash.byteLength + 8)
  out.bytes(RECEIPT_LABEL)
  out.field(key)
  out.field(hash)
  out.u64(expiresAt)
  return out.done()
}

function fetchBytes ({ storer, challenge, epochs }: FetchProofFields): Uint8Array {
  checkBytes('challenge', challenge, CHALLENGE_BYTES)
  for (const epoch of epochs) {
    if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffff_ffff) {
      throw new RangeError(`an epoch must be an integer from 0 to ${0xffff_ffff}, got ${epoch}`)
    }
  }
  const storerId = storer.toMultihash().bytes
  const out = new Writer(FETCH_LABEL.byteLength + 4 + storerId.byteLength + 4 + challenge.byteLength + 4 + 4 * epochs.length)
  out.bytes(FETCH_LABEL)
  out.field(storerId)
  out.field(challenge)
  out.u32(epochs.length)
  for (const epoch of epochs) out.u32(epoch)
  return out.done()
}

function checkBytes (name: string, bytes: Uint8Array, length: number): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`)
  if (bytes.byteLength !== length) throw new RangeError(`${name} must be ${length} bytes, got ${bytes.byteLength}`)
}

/** Fills a buffer of known size front to back */
class Writer {
  private readonly buffer: Uint8Array
  private readonly view: DataView
  private offset = 0

  constructor (size: number) {
    this.buffer = new Uint8Array(size)
    this.view = new DataView(this.buffer.buffer)
  }

  bytes (bytes: Uint8Array): void {
    this.buffer.set(bytes, this.offset)
    this.offset += bytes.byteLength
  }

  /** A variable-length field: its u32be length, then its bytes */
  field (bytes: Uint8Array): void {
    this.u32(bytes.byteLength)
    this.bytes(bytes)
  }

  u32 (value: number): void {
    this.view.setUint32(this.offset, value)
    this.offset += 4
  }

  u64 (value: number): void {
    this.view.setBigUint64(this.offset, BigInt(value))
    this.offset += 8
  }

  done (): Uint8Array {
    if (this.offset !== this.buffer.byteLength) throw new Error(`wrote ${this.offset} of ${this.buffer.byteLength} bytes`)
    return this.buffer
  }
}

function publicKeyOf (peer: PeerId, ErrorType: new (message?: string) => Error): PublicKey {
  // an RSA or secp256k1 PeerId would need its key fetched; Parley identities are all Ed25519
  if (peer.type !== 'Ed25519' || peer.publicKey == null) {
    throw new ErrorType(`${peer.toString()} is not an Ed25519 identity with an inline public key`)
  }
  return peer.publicKey
}

/** Ed25519 signatures are 64 bytes; anything else, or a verifier that throws, is a bad one */
async function verify (key: PublicKey, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  if (!(signature instanceof Uint8Array) || signature.byteLength !== SIGNATURE_BYTES) return false
  try {
    return await key.verify(data, signature)
  } catch {
    return false
  }
}
