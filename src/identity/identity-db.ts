import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { decodeIdentityKey } from './decode-key.ts'
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
    return { ...await decodeIdentityKey(bytes, `the identity in ${where}`), created: false }
  }
  const privateKey = await generateKeyPair('Ed25519')
  await level.put(IDENTITY_KEY, privateKeyToProtobuf(privateKey))
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey), created: true }
}

