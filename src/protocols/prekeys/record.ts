import { concat } from 'uint8arrays/concat'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromMultihash, peerIdFromPublicKey } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { equals } from 'uint8arrays/equals'
import { fromString } from 'uint8arrays/from-string'
import { verifyBundle } from '../../crypto/pqxdh/pqxdh.ts'
import { DHT_NAMESPACE, MAX_CLOCK_SKEW_MS, MAX_RECORD_AGE_MS, MAX_RECORD_BYTES, RECORD_SIGNATURE_LABEL } from './constants.ts'
import { InvalidPrekeyRecordError } from './errors.ts'
import { PrekeyRecord } from './pb/prekeys.ts'
import { verifyRequestsMailbox } from './requests-mailbox.ts'
import type { PrekeyBundle } from '../../crypto/pqxdh/pqxdh.ts'
import type { PrekeyBundle as PbBundle, RequestsMailbox } from './pb/prekeys.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'

const PREFIX = fromString(`/${DHT_NAMESPACE}/`)
const LABEL = fromString(RECORD_SIGNATURE_LABEL)

/** The DHT key of a peer's prekey record */
export function prekeyRecordKey (peer: PeerId): Uint8Array {
  return concat([PREFIX, peer.toMultihash().bytes])
}

export function toPb (bundle: PrekeyBundle): PbBundle {
  const b = (x: Uint8Array): Uint8Array<ArrayBuffer> => x as Uint8Array<ArrayBuffer>
  return {
    identityKey: b(bundle.identityKey),
    signedPrekey: { id: bundle.signedPrekey.id, publicKey: b(bundle.signedPrekey.publicKey), signature: b(bundle.signedPrekey.signature) },
    pqPrekey: { id: bundle.pqPrekey.id, publicKey: b(bundle.pqPrekey.publicKey), signature: b(bundle.pqPrekey.signature) },
    ...(bundle.oneTimePrekey != null ? { oneTimePrekey: { id: bundle.oneTimePrekey.id, publicKey: b(bundle.oneTimePrekey.publicKey) } } : {})
  }
}

export function fromPb (pb: PbBundle | undefined): PrekeyBundle {
  if (pb?.signedPrekey == null || pb.pqPrekey == null) {
    throw new InvalidPrekeyRecordError('the bundle lacks a signed prekey')
  }
  return {
    identityKey: pb.identityKey,
    signedPrekey: pb.signedPrekey,
    pqPrekey: pb.pqPrekey,
    ...(pb.oneTimePrekey != null ? { oneTimePrekey: pb.oneTimePrekey } : {})
  }
}

/**
 * A signed record of `bundle`; `requests`, the requests mailbox's signed key, rides beside the
 * signed part, so a release that does not know it checks the same bytes
 */
export async function createPrekeyRecord (identity: PrivateKey, bundle: PrekeyBundle, createdMs: number, requests?: RequestsMailbox): Promise<Uint8Array> {
  const unsigned = { bundle: toPb({ ...bundle, oneTimePrekey: undefined }), createdMs: BigInt(createdMs), signature: new Uint8Array(0) }
  const signature = await identity.sign(concat([LABEL, PrekeyRecord.encode(unsigned)]))
  return PrekeyRecord.encode({ ...unsigned, signature: signature as Uint8Array<ArrayBuffer>, ...(requests != null ? { requests } : {}) })
}

/**
 * Reads and checks a record: its size, its owner (the PeerId in the DHT key must be the
 * bundle's identity), its signature, the prekey signatures, and its date (neither ahead of
 * `now` by more than the clock skew allowed, nor older than MAX_RECORD_AGE_MS); and the requests
 * mailbox key it carries, if any (`requestsMailbox`, raw), by its own signature.
 */
export async function readPrekeyRecord (key: Uint8Array, value: Uint8Array, now = Date.now()): Promise<{ bundle: PrekeyBundle, createdMs: number, requestsMailbox?: Uint8Array }> {
  if (value.byteLength > MAX_RECORD_BYTES) {
    throw new InvalidPrekeyRecordError(`the record is over ${MAX_RECORD_BYTES} bytes`)
  }
  if (key.byteLength <= PREFIX.byteLength || !equals(key.subarray(0, PREFIX.byteLength), PREFIX)) {
    throw new InvalidPrekeyRecordError(`the key is not in /${DHT_NAMESPACE}/`)
  }
  let owner: PeerId
  let record: PrekeyRecord
  try {
    owner = peerIdFromMultihash(Digest.decode(key.subarray(PREFIX.byteLength)))
    record = PrekeyRecord.decode(value)
  } catch (err: any) {
    throw new InvalidPrekeyRecordError(`the record does not decode: ${err.message}`)
  }
  const bundle = fromPb(record.bundle)
  let identity
  try {
    identity = publicKeyFromRaw(bundle.identityKey)
  } catch (err: any) {
    throw new InvalidPrekeyRecordError(`the identity key is invalid: ${err.message}`)
  }
  if (!peerIdFromPublicKey(identity).equals(owner)) {
    throw new InvalidPrekeyRecordError(`the record under ${owner.toString()} holds another identity's bundle`)
  }
  if (bundle.oneTimePrekey != null) {
    throw new InvalidPrekeyRecordError('a published record carries no one-time prekey')
  }
  const unsigned = PrekeyRecord.encode({ ...record, signature: new Uint8Array(0), requests: undefined })
  if (!await identity.verify(concat([LABEL, unsigned]), record.signature)) {
    throw new InvalidPrekeyRecordError('the record signature does not verify')
  }
  try {
    await verifyBundle(bundle)
  } catch (err: any) {
    throw new InvalidPrekeyRecordError(err.message)
  }
  const createdMs = Number(record.createdMs)
  if (createdMs > now + MAX_CLOCK_SKEW_MS) {
    throw new InvalidPrekeyRecordError('the record is dated in the future')
  }
  if (createdMs < now - MAX_RECORD_AGE_MS) {
    throw new InvalidPrekeyRecordError(`the record is older than ${MAX_RECORD_AGE_MS / 86_400_000} days: its prekeys may be gone`)
  }
  // an earlier release's record has none; a wrong one fails the record (its owner signs it)
  const requestsMailbox = record.requests != null ? await verifyRequestsMailbox(bundle.identityKey, record.requests) : undefined
  return { bundle, createdMs, ...(requestsMailbox != null ? { requestsMailbox } : {}) }
}

/** kad-dht validator for the namespace */
export async function validatePrekeyRecord (key: Uint8Array, value: Uint8Array): Promise<void> {
  await readPrekeyRecord(key, value)
}

/** kad-dht selector for the namespace: the newest valid record wins */
export async function selectPrekeyRecord (key: Uint8Array, records: Uint8Array[]): Promise<number> {
  let best = 0
  let bestCreated = -1
  for (const [i, value] of records.entries()) {
    try {
      const { createdMs } = await readPrekeyRecord(key, value)
      if (createdMs > bestCreated) {
        best = i
        bestCreated = createdMs
      }
    } catch {
      // an invalid record never wins
    }
  }
  return best
}
