import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { logger } from '@libp2p/logger'
import { MemoryDatastore } from 'datastore-core'
import { LevelDatastore } from 'datastore-level'
import { MemoryLevel } from 'memory-level'
import { defaultProvider } from './crypto/provider/index.ts'
import { loadOrCreateIdentity } from './identity/index.ts'
import { startCore, stopGroups } from './assemble.ts'
import { createParleyNode } from './node/create-node.ts'
import { DOWNLOADS_DIR, PEERSTORE_DIR } from './storage/constants.ts'
import { plainCodec } from './storage/at-rest.ts'
import { openDataDir } from './storage/data-dir.ts'
import { LevelStore } from './storage/level-store.ts'
import { dataDirStore } from './storage/data-dir-store.ts'
import { collectFrom, exportBackup } from './backup/index.ts'
import { DELIVERY_GRACE_ON_STOP_MS, FILES_STOP_BUDGET_MS, LIBP2P_STOP_BUDGET_MS, MESSENGER_STOP_BUDGET_MS, STORE_CLOSE_BUDGET_MS } from './shutdown/constants.ts'
import { settledWithin, stopInSteps } from './shutdown/steps.ts'
import type { Core } from './assemble.ts'
import type { NodeEvents } from './events/node-events.ts'
import type { FileTransfers } from './files/transfers.ts'
import type { Calls, CallsInit } from './calls/calls.ts'
import type { GroupCatchUp } from './groups/group-catch-up.ts'
import type { GroupMessaging } from './groups/group-messaging.ts'
import type { Groups } from './groups/groups.ts'
import type { Messenger, MessengerInit } from './messenger/messenger.ts'
import type { ParleyNode, ParleyNodeInit } from './node/create-node.ts'
import type { MailboxHostInit } from './protocols/mailbox/index.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface ParleyInit extends Omit<ParleyNodeInit, 'privateKey' | 'datastore' | 'keys' | 'crypto' | 'mailboxHost'> {
  /**
   * Hold mailbox envelopes for others in this node's database, within these limits. Relays do
   * by default (`false` turns it off); user nodes only when this is given.
   */
  mailboxHost?: Omit<MailboxHostInit, 'db'> | false
  /**
   * Holds the identity key, the message database and libp2p's peer store. Without it the node
   * is ephemeral: a new identity, everything in memory, gone when it stops (simulations).
   */
  dataDir?: string
  /** The identity of an ephemeral node (one without `dataDir`); a fresh one if omitted */
  privateKey?: PrivateKey
  /** Needed when the data directory is encrypted (see `parley passphrase`) */
  passphrase?: string
  messenger?: MessengerInit
  /** How long a call rings, among others (src/calls) */
  calls?: CallsInit
  /**
   * Where received files go. @default DATA/downloads, or for an ephemeral node a folder in the
   * system's temporary directory
   */
  downloadDir?: string
  /** A known peer's file offer up to this size downloads at once. @default AUTO_DOWNLOAD_MAX_BYTES (2 GiB) */
  autoDownloadBytes?: number
}

export interface Parley {
  readonly peerId: PeerId
  readonly node: ParleyNode
  readonly messenger: Messenger
  /** File sharing (in browsers too, over the origin private file system) */
  readonly files?: FileTransfers
  /** The groups this node is a member of (src/groups) */
  readonly groups: Groups
  /** Messages to and from its groups */
  readonly groupMessaging: GroupMessaging
  /** Reads the groups' mailboxes: what was sent to them while this node was away */
  readonly groupCatchUp: GroupCatchUp
  /** Calls' signalling: ringing, accepting, declining, ending, and their history (src/calls) */
  readonly calls: Calls
  /** Everything the node announces, for every interface alike, free of secrets (see NodeEvents) */
  readonly events: NodeEvents
  /** Undefined for an ephemeral node */
  readonly dataDir?: string
  /** The node's full dialable addresses, each ending in `/p2p/<peerId>` */
  addresses(): Multiaddr[]
  /** An encrypted backup of the identity, contacts and history (see src/backup) */
  backup(passphrase: string): Promise<Uint8Array>
  /**
   * Stops file transfers; stops the messenger, whose deliveries under way get
   * `DELIVERY_GRACE_ON_STOP_MS` (what is not through stays in the outbox); stops libp2p, then
   * waits for the messenger to finish; closes the databases. Each step has a budget
   * (src/shutdown/constants.ts): one that overruns is abandoned and the next one runs, and then
   * this rejects with a `ShutdownError` naming it. Leaves node-datachannel to the process (see
   * `releaseNativeTransports`).
   */
  stop(): Promise<void>
}

const log = logger('parley:stop')

/**
 * Opens (or creates) the node kept in `dataDir` and starts it. The message database is opened
 * first, so a second daemon on the same directory fails with `DataDirLockedError` before it
 * touches the network.
 */
export async function createParley (init: ParleyInit): Promise<Parley> {
  const { dataDir } = init
  if (dataDir != null) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 })
  }
  const atRest = dataDir != null ? await openDataDir(dataDir, init.passphrase) : { codec: plainCodec }
  const store = dataDir != null ? dataDirStore(dataDir, atRest.codec) : new LevelStore(new MemoryLevel({ valueEncoding: 'json' }), atRest.codec)
  await store.open()
  // an encrypted node keeps libp2p's peer store (everyone it talked to, in the clear) in memory
  const persisted = dataDir != null && atRest.dataKey == null ? new LevelDatastore(join(dataDir, PEERSTORE_DIR)) : undefined
  const datastore = persisted ?? new MemoryDatastore()
  const provider = defaultProvider()
  let started: Core & { identity: PrivateKey }
  try {
    await persisted?.open()
    const identity = dataDir != null
      ? (await loadOrCreateIdentity(dataDir, atRest.dataKey != null ? { dataKey: atRest.dataKey } : {})).privateKey
      : init.privateKey ?? await generateKeyPair('Ed25519')
    const { mailboxHost: hostInit, autoDownloadBytes, ...nodeInit } = init
    const hosting = hostInit === false ? undefined : hostInit ?? (init.relay === true ? {} : undefined)
    const node = await createParleyNode({
      ...nodeInit,
      privateKey: identity,
      datastore,
      keys: store.keys,
      crypto: provider,
      ...(hosting != null ? { mailboxHost: { ...hosting, db: store.database, atRest: atRest.codec } } : {})
    })
    const downloadDir = init.downloadDir ?? (dataDir != null ? join(dataDir, DOWNLOADS_DIR) : join(tmpdir(), `parley-downloads-${node.peerId.toString()}`))
    const core = await startCore(node, store, provider, identity, {
      downloadDir,
      ...(init.messenger != null ? { messenger: init.messenger } : {}),
      ...(init.calls != null ? { calls: init.calls } : {}),
      ...(autoDownloadBytes != null ? { autoDownloadBytes } : {})
    })
    started = { ...core, identity }
  } catch (err) {
    await persisted?.close().catch(() => {})
    await store.close().catch(() => {})
    throw err
  }
  let stopping: Promise<void> | undefined
  return {
    peerId: started.node.peerId,
    node: started.node,
    messenger: started.messenger,
    files: started.files,
    groups: started.groups,
    groupMessaging: started.groupMessaging,
    groupCatchUp: started.groupCatchUp,
    calls: started.calls,
    events: started.events,
    ...(dataDir != null ? { dataDir } : {}),
    addresses: () => started.node.getMultiaddrs(),
    backup: async (passphrase) => exportBackup(provider, await collectFrom(store, started.identity), passphrase),
    stop: async () => {
      let messengerStopped: Promise<void> | undefined
      stopping ??= stopInSteps([
        { name: 'file transfers', budgetMs: FILES_STOP_BUDGET_MS, run: async () => started.files.stop() },
        { name: 'group messaging', budgetMs: FILES_STOP_BUDGET_MS, run: async () => stopGroups(started) },
        { name: 'calls', budgetMs: FILES_STOP_BUDGET_MS, run: async () => started.calls.stop() },
        {
          // the messenger would give them STOP_GRACE_MS; a stop that waits that long is cut
          // short by service managers (see DELIVERY_GRACE_ON_STOP_MS)
          name: 'deliveries under way',
          budgetMs: DELIVERY_GRACE_ON_STOP_MS + 1_000,
          run: async () => {
            const stopped = started.messenger.stop()
            messengerStopped = stopped
            await settledWithin(stopped, DELIVERY_GRACE_ON_STOP_MS)
          }
        },
        { name: 'libp2p', budgetMs: LIBP2P_STOP_BUDGET_MS, run: async () => started.node.stop() },
        // its deliveries failed with libp2p; their outcome is written before the store closes
        { name: 'messenger', budgetMs: MESSENGER_STOP_BUDGET_MS, run: async () => messengerStopped },
        { name: 'peer store', budgetMs: STORE_CLOSE_BUDGET_MS, run: async () => persisted?.close() },
        { name: 'message store', budgetMs: STORE_CLOSE_BUDGET_MS, run: async () => store.close() }
      ], log)
      return stopping
    }
  }
}
