import { sha256 } from '@noble/hashes/sha2.js'
import { framed, u64 } from './encoding.ts'
import { InvalidFetchProofError, InvalidReceiptError } from './errors.ts'
import type { PeerId, PrivateKey, PublicKey } from '@libp2p/interface'

const RECEIPT_LABEL = 'parley/mailbox-receipt/v1'
const FETCH_LABEL = 'parley/mailbox-fetch/v1'

/** An envelope's id everywhere in the mailbox protocol */
export function envelopeHash (envelope: Uint8Array): Uint8Array {
  return sha256(envelope)
}

/** What a storer signs: it holds the envelope with this hash under this key until expiresAt */
export interface ReceiptFields {
  key: Uint8Array
  hash: Uint8Array
  expiresAt: number
}

/** What a recipient signs to fetch: bound to one storer, its fresh challenge and the epochs */
export interface FetchProofFields {
  storer: PeerId
  challenge: Uint8Array
  epochs: number[]
}

export async function signReceipt (storerKey: PrivateKey, fields: ReceiptFields): Promise<Uint8Array> {
  return storerKey.sign(receiptBytes(fields))
}

/** False for a signature that does not verify (any length); throws for a non-Ed25519 storer */
export async function verifyReceipt (storer: PeerId, fields: ReceiptFields, signature: Uint8Array): Promise<boolean> {
  return verify(publicKeyOf(storer, InvalidReceiptError), receiptBytes(fields), signature)
}

export async function signFetchProof (recipientKey: PrivateKey, fields: FetchProofFields): Promise<Uint8Array> {
  return recipientKey.sign(fetchBytes(fields))
}

export async function verifyFetchProof (recipient: PeerId, fields: FetchProofFields, signature: Uint8Array): Promise<boolean> {
  return verify(publicKeyOf(recipient, InvalidFetchProofError), fetchBytes(fields), signature)
}

function receiptBytes ({ key, hash, expiresAt }: ReceiptFields): Uint8Array {
  return framed(RECEIPT_LABEL, key, hash, u64(expiresAt))
}

function fetchBytes ({ storer, challenge, epochs }: FetchProofFields): Uint8Array {
  const list = new Uint8Array(epochs.length * 4)
  epochs.forEach((e, i) => { new DataView(list.buffer).setUint32(i * 4, e) })
  return framed(FETCH_LABEL, storer.toMultihash().bytes, challenge, list)
}

function publicKeyOf (peer: PeerId, ErrorType: new (message?: string) => Error): PublicKey {
  if (peer.type !== 'Ed25519' || peer.publicKey == null) {
    throw new ErrorType(`${peer.toString()} is not an Ed25519 identity`)
  }
  return peer.publicKey
}

async function verify (key: PublicKey, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  if (signature.byteLength !== 64) return false
  try {
    return await key.verify(data, signature)
  } catch {
    return false
  }
}
