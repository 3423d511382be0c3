import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { exportBackup, readBackup } from '../../src/backup/index.ts'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import type { BackupContents } from '../../src/backup/index.ts'

const provider = defaultProvider()
const PASSPHRASE = 'correct horse battery staple'

describe('encrypted backups', function () {
  let contents: BackupContents
  let file: Uint8Array

  before(async () => {
    contents = {
      identity: await generateKeyPair('Ed25519'),
      contacts: [{ peerId: '12D3KooWexample', name: 'bob', addedAt: 1 }],
      messages: [{ id: 'ab'.repeat(16), peer: '12D3KooWexample', direction: 'in', text: 'a private thought', timestamp: 5, status: 'delivered' }],
      createdAt: 10
    }
    file = await exportBackup(provider, contents, PASSPHRASE)
  })

  it('round-trips identity, contacts and history under the passphrase', async () => {
    const read = await readBackup(provider, file, PASSPHRASE)
    assert.ok(read.identity.equals(contents.identity))
    assert.deepEqual(read.contacts, contents.contacts)
    assert.deepEqual(read.messages, contents.messages)
  })

  it('shows nothing in the clear', () => {
    const bytes = Buffer.from(file)
    assert.equal(bytes.indexOf('a private thought'), -1)
    assert.equal(bytes.indexOf('bob'), -1)
    assert.equal(bytes.indexOf(Buffer.from(contents.identity.raw.subarray(0, 16))), -1)
  })

  it('refuses a wrong passphrase, a changed byte, and files that are not backups', async () => {
    await assert.rejects(readBackup(provider, file, 'wrong horse battery staple'), { name: 'InvalidBackupError' })
    const tampered = file.slice()
    tampered[tampered.length - 40] ^= 1
    await assert.rejects(readBackup(provider, tampered, PASSPHRASE), { name: 'InvalidBackupError' })
    await assert.rejects(readBackup(provider, new TextEncoder().encode('hello'), PASSPHRASE), { name: 'InvalidBackupError' })
  })

  it('refuses key derivation parameters other than its own (a file could demand any cost)', async () => {
    const header = 'PARLEY-BACKUP\n1\n'.length
    const heavier = file.slice()
    new DataView(heavier.buffer).setUint32(header, 2 ** 30, true)
    await assert.rejects(readBackup(provider, heavier, PASSPHRASE), /parameters/)
  })

  it('refuses short passphrases', async () => {
    await assert.rejects(exportBackup(provider, contents, 'short'), { name: 'WeakPassphraseError' })
  })
})
