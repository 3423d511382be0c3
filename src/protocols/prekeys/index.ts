/**
 * @packageDocumentation
 *
 * Prekeys: what others need to start an end-to-end encrypted session with this node, even while
 * it is offline. A signed record in the DHT (`/parley-prekeys/<peer>`) carries the signed X25519
 * and ML-KEM-768 prekeys; `/parley/prekeys/1.0.0` hands out the same plus a one-time prekey.
 */
import { Prekeys as PrekeysClass } from './prekeys.ts'
import type { PrekeyBundle } from '../../crypto/pqxdh/pqxdh.ts'
import type { CryptoProvider } from '../../crypto/provider/types.ts'
import type { KeyStore } from '../../storage/types.ts'
import type { ComponentLogger, ContentRouting, PeerId, PrivateKey } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

export { PROTOCOL, DHT_NAMESPACE } from './constants.ts'
export * from './errors.ts'
export { prekeyRecordKey, readPrekeyRecord, selectPrekeyRecord, validatePrekeyRecord } from './record.ts'
export type { Prekeys } from './prekeys.ts'

/** A peer's bundle as fetched: with its requests mailbox key (raw Ed25519, verified) when it names one */
export interface FetchedBundle extends PrekeyBundle {
  requestsMailbox?: Uint8Array
}

export interface PrekeysInit {
  store: KeyStore
  provider: CryptoProvider
  /** @default ROTATION_INTERVAL_MS (7 days) */
  rotationIntervalMs?: number
  /** @default REPUBLISH_INTERVAL_MS (6 hours) */
  republishIntervalMs?: number
  /** Extra puts soon after start, as the routing table fills. @default EARLY_REPUBLISH_MS */
  earlyRepublishMs?: number[]
}

export interface PrekeysComponents {
  peerId: PeerId
  privateKey: PrivateKey
  registrar: Registrar
  connectionManager: ConnectionManager
  contentRouting: ContentRouting
  logger: ComponentLogger
}

export function prekeys (init: PrekeysInit): (components: PrekeysComponents) => PrekeysClass {
  return (components) => new PrekeysClass(components, init)
}
