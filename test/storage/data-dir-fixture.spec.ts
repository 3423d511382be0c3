import assert from 'node:assert/strict'
import { cp, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Level } from 'level'
import { MESSAGES_DIR } from '../../src/storage/constants.ts'
import { dataDirStore } from '../../src/storage/data-dir-store.ts'
import { SCHEMA_VERSION } from '../../src/storage/schema.ts'
import { untilAsync } from '../helpers/events.ts'
import { startNode } from '../helpers/nodes.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { Parley } from '../../src/parley.ts'

/** Data directories written by earlier releases (scripts/fixtures/write-data-dirs.ts says how) */
const FIXTURES = join(import.meta.dirname, '../fixtures/data-dirs')

interface Manifest {
  peers: { relay: string, alice: string, bob: string }
  file: { id: string, name: string, text: string }
  history: Record<'alice' | 'bob', Array<{ direction: string, text: string, status: string }>>
  /** From releases with groups: Alice's group with Bob, and its messages as Alice left them */
  group?: { id: string, name: string, texts: string[] }
  /** Set when the release encrypted the directories under it */
  passphrase?: string
}

/**
 * Users have data: each release's data directories must open with today's code and keep
 * everything in them. Each fixture holds a relay with mail held for Bob, and Alice and Bob, who
 * wrote both ways, are each other's contacts, and exchanged a file.
 */
describe('data directories written by earlier releases', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const running = new Set<Parley>()

  afterEach(async () => {
    await Promise.all([...running].map(async n => n.stop()))
    running.clear()
    await dirs.cleanup()
  })

  for (const release of ['cc56a94', '83664eb-passphrase', '8d057a1', '3982c17']) {
    it(`opens ${release}'s and keeps identities, contacts, history, files, sessions and held mail`, async () => {
      const manifest: Manifest = JSON.parse(await readFile(join(FIXTURES, release, 'manifest.json'), 'utf8'))
      // a copy: opening writes to a data directory, and the fixture must stay as the release left it
      const copy = async (name: string): Promise<string> => {
        const dir = await dirs.make()
        await cp(join(FIXTURES, release, name), dir, { recursive: true })
        return dir
      }
      const start = async (dataDir: string, extra: Record<string, unknown> = {}): Promise<Parley> => {
        const node = await startNode({ dataDir, ...(manifest.passphrase != null ? { passphrase: manifest.passphrase } : {}), ...extra })
        running.add(node)
        return node
      }
      const texts = (history: Array<{ direction: string, text: string, status: string }>): string[] =>
        history.map(m => `${m.direction} ${m.status} ${m.text}`)

      const relayDir = await copy('relay')
      const relay = await start(relayDir, { relay: true })
      const alice = await start(await copy('alice'), { bootstrap: relay.addresses() })
      const bobDir = await copy('bob')
      const bob = await start(bobDir, { bootstrap: relay.addresses() })
      assert.deepEqual([relay, alice, bob].map(n => n.peerId.toString()), [manifest.peers.relay, manifest.peers.alice, manifest.peers.bob], 'the same identities')

      // the mail the relay held for Bob while he was away reaches him
      await untilAsync(bob.messenger, ['message'], async () => (await bob.messenger.history()).some(m => m.text === 'While you were away'), 30_000, 'the held mail')
      assert.deepEqual(texts(await bob.messenger.history()).slice(0, manifest.history.bob.length), texts(manifest.history.bob), 'Bob\'s history as he left it')
      assert.deepEqual(texts(await alice.messenger.history()).slice(0, 3), texts(manifest.history.alice).slice(0, 3), 'Alice\'s history as she left it')
      assert.deepEqual((await alice.messenger.contacts()).map(c => [c.peerId, c.name]), [[manifest.peers.bob, 'Bob']])
      assert.deepEqual((await bob.messenger.contacts()).map(c => [c.peerId, c.name]), [[manifest.peers.alice, 'Alice']])
      // written before safety numbers could be marked as compared: none is, and a mark takes
      assert.equal((await alice.messenger.verification(manifest.peers.bob)).verified, false)
      assert.equal((await alice.messenger.setVerified(manifest.peers.bob, true)).verified, true)

      // the file: its transfer on both sides, and its bytes in Bob's download folder, which the
      // transfer names where the directory is now (it was written somewhere else)
      for (const node of [alice, bob]) {
        const transfer = await node.files!.get(manifest.file.id)
        assert.deepEqual([transfer.name, transfer.state], [manifest.file.name, 'done'])
      }
      assert.equal((await bob.files!.get(manifest.file.id)).path, join(bobDir, 'downloads', manifest.file.name))
      assert.equal(await (await bob.files!.blob(manifest.file.id)).text(), manifest.file.text, 'the download opens from the moved directory')

      // each has one conversation, everything from before the upgrade read: Bob has one new
      // message, the one the relay held for him
      for (const [node, other, unread] of [[alice, bob, 0], [bob, alice, 1]] as const) {
        const conversations = (await node.messenger.conversations()).filter(c => c.group !== true)
        assert.deepEqual(conversations.map(c => [c.id, c.peer, c.unread]), [[other.peerId.toString(), other.peerId.toString(), unread]])
      }
      assert.ok((await readdir(join(bobDir, 'downloads'))).includes(manifest.file.name))
      assert.equal(await readFile(join(bobDir, 'downloads', manifest.file.name), 'utf8'), manifest.file.text)

      // the sessions go on: both ways, delivered and read
      assert.equal((await alice.messenger.send(bob.peerId, 'After the upgrade')).status, 'delivered')
      assert.equal((await bob.messenger.send(alice.peerId, 'Still here')).status, 'delivered')
      assert.ok((await bob.messenger.history()).some(m => m.direction === 'in' && m.text === 'After the upgrade'))
      assert.ok((await alice.messenger.history()).some(m => m.direction === 'in' && m.text === 'Still here'))

      if (manifest.group != null) {
        // the group, its history, the message the group's mailbox held for Bob, and its keys,
        // which read what comes after
        const { id, name, texts: sent } = manifest.group
        const groupTexts = async (node: Parley): Promise<string[]> => (await node.messenger.history()).filter(m => m.conversation === id).map(m => m.text)
        for (const node of [alice, bob]) assert.deepEqual((await node.groups.get(name)).members, [manifest.peers.alice, manifest.peers.bob].sort())
        assert.deepEqual(await groupTexts(alice), sent)
        await untilAsync(bob.groupMessaging, ['message'], async () => (await groupTexts(bob)).length === sent.length, 30_000, 'the group mail')
        assert.deepEqual(await groupTexts(bob), sent)
        await alice.groupMessaging.send(id, 'Group after the upgrade')
        await untilAsync(bob.groupMessaging, ['message'], async () => (await groupTexts(bob)).includes('Group after the upgrade'), 30_000, 'a group message after the upgrade')
      }

      // the relay's tables name no depositor: earlier releases kept each item's depositor PeerId
      await relay.stop()
      running.delete(relay)
      const relayDb = new Level<string, Uint8Array>(join(relayDir, MESSAGES_DIR), { valueEncoding: 'view' })
      try {
        for (const table of ['items', 'index', 'sealed-items', 'sealed-index']) {
          for (const [key, value] of await relayDb.sublevel<string, Uint8Array>(`mailbox-${table}`, { valueEncoding: 'view' }).iterator().all()) {
            for (const who of [manifest.peers.alice, manifest.peers.bob]) {
              assert.ok(!key.includes(who) && !Buffer.from(value).includes(Buffer.from(who)), `mailbox-${table} ${key} names ${who}`)
            }
          }
        }
      } finally {
        await relayDb.close()
      }

      if (manifest.passphrase != null) {
        // the mail the relay held, in the clear in that release, is sealed now (held or acked)
        const db = new Level<string, Uint8Array>(join(relayDir, MESSAGES_DIR), { valueEncoding: 'view' })
        try {
          for (const table of ['items', 'index', 'gone', 'expiry']) {
            assert.deepEqual(await db.sublevel(`mailbox-${table}`).keys().all(), [], `mailbox-${table} left in the clear`)
          }
          const sealed = await Promise.all(['index', 'gone'].map(async t => db.sublevel(`mailbox-sealed-${t}`).keys().all()))
          assert.ok(sealed.flat().length > 0, 'the held mail (or its tombstone once fetched) is in the sealed tables')
        } finally {
          await db.close()
        }
      }
    })
  }

  it('finishes an upgrade cut short on the next start, with nothing lost', async () => {
    const release = '8d057a1'
    const manifest: Manifest = JSON.parse(await readFile(join(FIXTURES, release, 'manifest.json'), 'utf8'))
    const bobDir = await dirs.make()
    await cp(join(FIXTURES, release, 'bob'), bobDir, { recursive: true })

    // the upgrade stops after its first batch, as a crash or a kill would stop it
    const stop = new AbortController()
    let batches = 0
    const interrupted = dataDirStore(bobDir, undefined, { upgrade: { batchEntries: 1, signal: stop.signal, onBatch: () => { batches++; stop.abort() } } })
    await assert.rejects(interrupted.open(), { name: 'AbortError' })
    assert.equal(batches, 1)
    const db = new Level<string, unknown>(join(bobDir, MESSAGES_DIR), { valueEncoding: 'json' })
    try {
      assert.equal(await db.sublevel('schema', { valueEncoding: 'json' }).get('version'), undefined, 'no layout recorded for a half-done upgrade')
      const records = await db.sublevel<string, { conversation?: string }>('msg', { valueEncoding: 'json' }).values().all()
      assert.deepEqual(records.map(r => r.conversation != null), records.map((_, i) => i === 0), 'one record upgraded, the rest not yet')
    } finally {
      await db.close()
    }

    const bob = await startNode({ dataDir: bobDir })
    running.add(bob)
    assert.deepEqual((await bob.messenger.history()).map(m => `${m.direction} ${m.status} ${m.text}`), manifest.history.bob.map(m => `${m.direction} ${m.status} ${m.text}`))
    assert.ok((await bob.messenger.history()).every(m => m.conversation === manifest.peers.alice))
    assert.deepEqual((await bob.messenger.conversations()).map(c => [c.id, c.unread]), [[manifest.peers.alice, 0]])
    assert.equal(await (await bob.files!.blob(manifest.file.id)).text(), manifest.file.text)
    await bob.stop()
    running.delete(bob)

    // the transfer's path is stored relative to the data directory now, the layout recorded
    const after = new Level<string, unknown>(join(bobDir, MESSAGES_DIR), { valueEncoding: 'json' })
    try {
      assert.equal(await after.sublevel('schema', { valueEncoding: 'json' }).get('version'), SCHEMA_VERSION)
      const transfer = await after.sublevel<string, { path: string }>('files', { valueEncoding: 'json' }).get(manifest.file.id)
      assert.equal(transfer?.path, `downloads/${manifest.file.name}`)
    } finally {
      await after.close()
    }
  })
})
