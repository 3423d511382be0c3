import type { BackupContents } from './backup.ts'
import type { LevelStore } from '../storage/level-store.ts'
import type { PrivateKey } from '@libp2p/interface'

/**
 * What goes into a backup, from an open store. Apart from restore.ts (which opens data
 * directories with node:fs), so the browser build can back up too.
 */
export async function collectFrom (store: LevelStore, identity: PrivateKey): Promise<BackupContents> {
  return {
    identity,
    contacts: await store.contacts.list(),
    standings: await store.contacts.standings(),
    requests: await store.contacts.requests(),
    verified: await store.contacts.verifiedPeers(),
    messages: (await store.messages.list()).map(({ seq: _seq, ...message }) => message),
    createdAt: Date.now()
  }
}
