import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { loadIdentity, saveNewIdentity } from '../identity/index.ts'
import { openDataDir } from '../storage/data-dir.ts'
import { dataDirStore } from '../storage/data-dir-store.ts'
import { collectFrom } from './collect.ts'
import { DataDirNotEmptyError, InvalidBackupError } from './errors.ts'
import type { BackupContents } from './backup.ts'
import type { PeerId } from '@libp2p/interface'

/** What goes into a backup, read from a data directory whose daemon is not running */
export async function collectBackup (dataDir: string, passphrase?: string): Promise<BackupContents> {
  const { codec, dataKey } = await openDataDir(dataDir, passphrase)
  const { privateKey } = await loadIdentity(dataDir, dataKey != null ? { dataKey } : {})
  const store = dataDirStore(dataDir, codec)
  await store.open()
  try {
    return await collectFrom(store, privateKey)
  } finally {
    await store.close()
  }
}

/**
 * Restores a backup into a data directory that has no identity yet: contacts, history,
 * standings, safety numbers compared and requests first, the identity key last, so a failure half-way leaves no node that looks complete.
 * Messages that were on their way are queued again; they will be encrypted afresh.
 */
export async function restoreBackup (dataDir: string, contents: BackupContents): Promise<{ peerId: PeerId, messages: number, contacts: number }> {
  const existing = await loadIdentity(dataDir).then(id => id.peerId, (err: any) => {
    if (err.name === 'IdentityNotFoundError') return undefined
    throw err
  })
  if (existing != null) {
    throw new DataDirNotEmptyError(`${dataDir} already holds the identity ${existing.toString()}: restore into a new data directory`)
  }
  if (!Array.isArray(contents.messages) || !Array.isArray(contents.contacts)) {
    throw new InvalidBackupError('the backup lacks its history or contacts')
  }
  const standings = contents.standings ?? []
  const requests = contents.requests ?? []
  const verified = contents.verified ?? []
  if (!Array.isArray(standings) || !Array.isArray(requests) || !Array.isArray(verified)) {
    throw new InvalidBackupError('the backup\'s standings, requests or verified peers are not lists')
  }
  const store = dataDirStore(dataDir)
  await store.open()
  try {
    for (const contact of contents.contacts) {
      await store.contacts.put(contact)
    }
    for (const message of contents.messages) {
      if (message.direction === 'in') {
        await store.messages.addIncoming(message)
      } else {
        const settled = message.status === 'delivered' || message.status === 'failed'
        await store.messages.addOutgoing({ ...message, status: settled ? message.status : 'queued' })
        if (settled) await store.messages.setStatus(message.conversation ?? message.peer, message.id, message.status, message.error)
      }
    }
    // what the backup holds was seen where it was made: nothing restored counts as unread
    for (const { id } of await store.messages.conversations()) await store.messages.markRead(id)
    // after the history: setting a standing settles a request, and the requests come last
    for (const { peerId, standing } of standings) {
      if (standing !== 'blocked' && standing !== 'accepted') throw new InvalidBackupError(`unknown standing ${String(standing)}`)
      await store.contacts.setStanding(peerId, standing)
    }
    for (const { peerId, at } of verified) {
      if (typeof peerId !== 'string' || !Number.isSafeInteger(at)) throw new InvalidBackupError('a verified peer without its PeerId or time')
      await store.contacts.setVerified(peerId, at)
    }
    await store.apply(requests.map(request => store.contacts.requestWrite(request)))
  } finally {
    await store.close()
  }
  if (!await saveNewIdentity(dataDir, contents.identity)) {
    throw new DataDirNotEmptyError(`${dataDir} got an identity while restoring`)
  }
  return { peerId: peerIdFromPrivateKey(contents.identity), messages: contents.messages.length, contacts: contents.contacts.length }
}
