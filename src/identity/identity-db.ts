import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { IdentityCorruptError } from './errors.ts'
import type { Identity } from './identity.ts'
import type { AbstractLevel, AbstractSublevel } from 'abstract-level'

/** The one key of the identity sublevel */
const IDENTITY_KEY = 'identity'

type AnyLevel = AbstractLevel<any, any, any>
/** A sublevel holding raw bytes (`valueEncoding: 'view'`) */
export type IdentityLevel = AbstractSublevel<AnyLevel, any, string, Uint8Array>

/** The sublevel of `db` that holds the identity key */
export function identityLevel (db: AnyLevel): IdentityLevel {
  return db.sublevel<string, Uint8Array>('identity', { valueEncoding: 'view' })
}

/**
 * The identity kept in a database rather than a key file: the browser's counterpart of
 * `loadOrCreateIdentity` (IndexedDB through browser-level). The key is libp2p's protobuf encoding,
 * as in `identity.key`. It is created once and never overwritten: a damaged record throws
 * `IdentityCorruptError`. The caller holds the database exclusively (a Web Lock in the browser),
 * so two creators cannot race.
 */
export async function loadOrCreateIdentityIn (level: IdentityLevel, where: string): Promise<Identity> {
  const bytes = await level.get(IDENTITY_KEY)
  if (bytes != null) {
    return { ...await decode(bytes, where), created: false }
  }
  const privateKey = await generateKeyPair('Ed25519')
  await level.put(IDENTITY_KEY, privateKeyToProtobuf(privateKey))
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey), created: true }
}

async function decode (bytes: Uint8Array, where: string): Promise<Omit<Identity, 'created'>> {
  const corrupt = (why: string, cause?: unknown): IdentityCorruptError => new IdentityCorruptError(
    `the identity in ${where} ${why}; it was NOT overwritten`,
    cause === undefined ? undefined : { cause }
  )
  let privateKey
  try {
    privateKey = privateKeyFromProtobuf(bytes)
  } catch (err) {
    throw corrupt(`is not a valid private key (${bytes.byteLength} bytes)`, err)
  }
  if (privateKey.type !== 'Ed25519') {
    throw corrupt(`holds a ${privateKey.type} key, but Parley identities are Ed25519`)
  }
  // both halves are stored: a damaged public half would give an address nobody can verify
  const probe = new TextEncoder().encode('parley identity self-test')
  if (!await privateKey.publicKey.verify(probe, await privateKey.sign(probe))) {
    throw corrupt('holds a private key that does not match its public key')
  }
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey) }
}
