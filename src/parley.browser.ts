import { generateKeyPair } from '@libp2p/crypto/keys'
import { logger } from '@libp2p/logger'
import { BrowserLevel } from 'browser-level'
import { MemoryDatastore } from 'datastore-core'
import { IDBDatastore } from 'datastore-idb'
import { MemoryLevel } from 'memory-level'
import { collectFrom } from './backup/collect.ts'
import { exportBackup } from './backup/backup.ts'
import { defaultProvider } from './crypto/provider/default.ts'
import { identityLevel, loadOrCreateIdentityIn } from './identity/identity-db.ts'
import { startCore, stopGroups } from './assemble.ts'
import { createParleyNode } from './node/create-node.ts'
import { upgradeToDirect } from './node/direct-upgrade.ts'
import { PlatformUnsupportedError } from './node/errors.ts'
import { DataDirLockedError } from './storage/errors.ts'
import { DOWNLOADS_DIR, MESSAGES_DIR, PEERSTORE_DIR } from './storage/constants.ts'
import { LevelStore } from './storage/level-store.ts'
import type { Parley, ParleyInit } from './parley.ts'
import type { Core } from './assemble.ts'
import type { PrivateKey } from '@libp2p/interface'

export type { Parley, ParleyInit } from './parley.ts'

const log = logger('parley:browser')

/**
 * The browser's `createParley` (replaces parley.ts in browser bundles, through package.json's
 * `browser` field): the same node, sessions and messenger, kept in IndexedDB instead of a data
 * directory. `dataDir` names the databases (`<dataDir>-messages`, `<dataDir>-peerstore`); the
 * identity key lives in the message database. A Web Lock on that name is held while the node
 * runs, so a second tab on the same profile fails with `DataDirLockedError` instead of running a
 * second node under the same identity.
 *
 * Files (`parley.files`) live in the origin private file system: received ones in
 * `<dataDir>/downloads` (or `downloadDir`, a folder there), partial downloads and copies of
 * offered files in its `.partial` folder. A node without `dataDir` uses
 * `parley-ephemeral-<PeerId>/downloads`.
 *
 * A browser is a DHT client and never holds mail for others; it has no passphrase at rest yet
 * (the origin's storage is the boundary), so `passphrase`, `mailboxHost`, `relay` and `mdns`
 * are refused with `PlatformUnsupportedError`.
 */
export async function createParley (init: ParleyInit): Promise<Parley> {
  refuseUnsupported(init)
  const { dataDir } = init
  const releaseLock = dataDir != null ? await holdLock(dataDir) : () => {}
  const db = dataDir != null
    ? new BrowserLevel<string, unknown>(`${dataDir}-${MESSAGES_DIR}`, { valueEncoding: 'json' })
    : new MemoryLevel<string, unknown>({ valueEncoding: 'json' })
  const store = new LevelStore(db as any)
  const persisted = dataDir != null ? new IDBDatastore(`${dataDir}-${PEERSTORE_DIR}`) : undefined
  const provider = defaultProvider()
  let started: Core & { identity: PrivateKey }
  let stopUpgrades = (): void => {}
  try {
    await store.open()
    await persisted?.open()
    void requestPersistence()
    const identity = dataDir != null
      ? (await loadOrCreateIdentityIn(identityLevel(db), `IndexedDB "${dataDir}-${MESSAGES_DIR}"`)).privateKey
      : init.privateKey ?? await generateKeyPair('Ed25519')
    const { mailboxHost: _never, ...nodeInit } = init
    const node = await createParleyNode({
      ...nodeInit,
      privateKey: identity,
      datastore: persisted ?? new MemoryDatastore(),
      keys: store.keys,
      crypto: provider,
      // a page cannot be dialled directly, so it must never answer DHT queries (LAN mode too)
      dhtClient: true
    })
    const downloadDir = init.downloadDir ?? `${dataDir ?? `parley-ephemeral-${node.peerId.toString()}`}/${DOWNLOADS_DIR}`
    const core = await startCore(node, store, provider, identity, {
      downloadDir,
      ...(init.messenger != null ? { messenger: init.messenger } : {}),
      ...(init.calls != null ? { calls: init.calls } : {}),
      afterNodeStart: () => { stopUpgrades = upgradeToDirect(node) }
    })
    started = { ...core, identity }
  } catch (err) {
    stopUpgrades()
    await persisted?.close().catch(() => {})
    await store.close().catch(() => {})
    releaseLock()
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
      stopping ??= (async () => {
        try {
          stopUpgrades()
          await started.files.stop()
          await stopGroups(started)
          await started.calls.stop()
          await started.messenger.stop()
          await started.node.stop()
          await persisted?.close()
          await store.close()
        } finally {
          releaseLock()
        }
      })()
      return stopping
    }
  }
}

function refuseUnsupported (init: ParleyInit): void {
  if (init.passphrase != null) throw new PlatformUnsupportedError('a passphrase at rest is not available in browsers yet')
  if (init.mailboxHost != null && init.mailboxHost !== false) throw new PlatformUnsupportedError('browser nodes never hold mail for others')
  if (init.relay === true) throw new PlatformUnsupportedError('a browser cannot be a relay')
  if (init.mdns === true) throw new PlatformUnsupportedError('mDNS is not available in browsers')
}

/**
 * How long to wait for the Web Lock: on a reload the old document lets go of it as it unloads,
 * which may be a moment after the new one asks; another open tab keeps holding it
 */
const LOCK_WAIT_MS = 3_000

/**
 * Holds an exclusive Web Lock named after the databases until the returned function is called.
 * Throws `DataDirLockedError` when another tab of this origin keeps it for `LOCK_WAIT_MS`.
 */
async function holdLock (name: string): Promise<() => void> {
  const { promise: released, resolve: release } = Promise.withResolvers<void>()
  const { promise: acquired, resolve: granted } = Promise.withResolvers<void>()
  const request = navigator.locks.request(`parley:${name}`, { signal: AbortSignal.timeout(LOCK_WAIT_MS) }, async () => {
    granted()
    await released
  })
  try {
    await Promise.race([acquired, request])
  } catch (err: any) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      throw new DataDirLockedError(`"${name}" is open in another tab`)
    }
    throw err
  }
  return release
}

/**
 * Asks the browser not to evict this origin's storage under pressure: the identity key lives
 * there, and losing it loses the address. Browsers may say no (Chromium decides by engagement);
 * the answer is only logged.
 */
async function requestPersistence (): Promise<void> {
  try {
    const granted = await navigator.storage?.persist?.()
    log('persistent storage %s', granted === true ? 'granted' : 'not granted')
  } catch (err: any) {
    log('persistent storage request failed: %s', err.message)
  }
}
