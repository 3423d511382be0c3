import assert from 'node:assert/strict'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { collectBackup, exportBackup, readBackup, restoreBackup } from '../../src/backup/index.ts'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import { saveNewIdentity } from '../../src/identity/identity.ts'
import { MESSAGES_DIR } from '../../src/storage/constants.ts'
import { changePassphrase, openDataDir } from '../../src/storage/data-dir.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import { TempDirs } from '../helpers/temp-dir.ts'

const provider = defaultProvider()
const PASSPHRASE = 'correct horse battery staple'
const FRIEND = '12D3KooWFriendFriendFriendFriendFriendFriendFriendFr'
const SPAMMER = '12D3KooWSpammerSpammerSpammerSpammerSpammerSpammerSp'
const STRANGER = '12D3KooWStrangerStrangerStrangerStrangerStrangerStr'

describe('restoring a backup into a new data directory', function () {
  this.timeout(60_000)
  const dirs = new TempDirs()
  after(async () => { await dirs.cleanup() })

  for (const encrypted of [false, true]) {
    it(`keeps who is blocked and accepted, whose safety number was compared, and the pending message requests${encrypted ? ' (from a directory under a passphrase)' : ''}`, async () => {
      const dir = await dirs.make()
      await saveNewIdentity(dir, await generateKeyPair('Ed25519'))
      if (encrypted) await changePassphrase(dir, undefined, PASSPHRASE)
      const { codec } = await openDataDir(dir, encrypted ? PASSPHRASE : undefined)
      const store = new LevelStore(join(dir, MESSAGES_DIR), codec)
      await store.open()
      await store.contacts.put({ peerId: FRIEND, name: 'Friend', addedAt: 1 })
      await store.contacts.setStanding(FRIEND, 'accepted')
      // blocked without ever writing: nothing but the standing names this peer
      await store.contacts.setStanding(SPAMMER, 'blocked')
      // compared in person, a contact or not (a group's member)
      await store.contacts.setVerified(FRIEND, 7)
      await store.contacts.setVerified(STRANGER, 8)
      await store.messages.addIncoming({ id: 'ab'.repeat(16), peer: STRANGER, direction: 'in', text: 'hello?', timestamp: 5, status: 'delivered' }, {
        also: [store.contacts.requestWrite({ peerId: STRANGER, at: 5 })]
      })
      await store.close()

      const file = await exportBackup(provider, await collectBackup(dir, encrypted ? PASSPHRASE : undefined), PASSPHRASE)
      const restoredDir = await dirs.make()
      await restoreBackup(restoredDir, await readBackup(provider, file, PASSPHRASE))

      const restored = new LevelStore(join(restoredDir, MESSAGES_DIR))
      await restored.open()
      try {
        assert.equal(await restored.contacts.standing(SPAMMER), 'blocked', 'a blocked peer stays blocked')
        assert.equal(await restored.contacts.standing(FRIEND), 'accepted')
        assert.deepEqual((await restored.contacts.verifiedPeers()).sort((a, b) => a.at - b.at), [{ peerId: FRIEND, at: 7 }, { peerId: STRANGER, at: 8 }])
        assert.equal(await restored.contacts.verifiedAt(SPAMMER), undefined)
        assert.deepEqual(await restored.contacts.requests(), [{ peerId: STRANGER, at: 5 }])
        assert.deepEqual((await restored.messages.list()).map(m => m.text), ['hello?'])
        assert.deepEqual((await restored.messages.conversations()).map(c => [c.id, c.unread]), [[STRANGER, 0]], 'what was restored was seen before')
      } finally {
        await restored.close()
      }
    })
  }
})
