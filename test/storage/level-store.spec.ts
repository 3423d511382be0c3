import assert from 'node:assert/strict'
import { join } from 'node:path'
import { cp, readdir, readFile } from 'node:fs/promises'
import { Level } from 'level'
import { encryptedCodec, plainCodec } from '../../src/storage/at-rest.ts'
import { openDataDir } from '../../src/storage/data-dir.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import { TABLES } from '../../src/storage/tables.ts'
import type { AtRestCodec } from '../../src/storage/at-rest.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { NewMessage } from '../../src/storage/types.ts'

const PEER_A = '12D3KooWAAAA'
const PEER_B = '12D3KooWBBBB'

function message (overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    id: crypto.randomUUID().replaceAll('-', ''),
    peer: PEER_A,
    direction: 'out',
    text: 'hello',
    timestamp: 1_700_000_000_000,
    status: 'sending',
    ...overrides
  }
}

const DATA_KEY = crypto.getRandomValues(new Uint8Array(32))

for (const [label, codec] of [['plain', plainCodec], ['encrypted at rest', encryptedCodec(DATA_KEY)]] as const) describe(`LevelStore (${label})`, function () {
  const dirs = new TempDirs()
  let path: string
  let store: LevelStore

  beforeEach(async () => {
    path = join(await dirs.make(), 'messages')
    store = new LevelStore(path, codec)
    await store.open()
  })

  afterEach(async () => {
    await store.close()
  })

  after(async () => { await dirs.cleanup() })

  it('lists history in arrival order, per peer and in all', async () => {
    const a1 = await store.messages.addOutgoing(message({ text: 'a1', timestamp: 3 }))
    await store.messages.addIncoming(message({ peer: PEER_B, direction: 'in', text: 'b1', timestamp: 1, status: 'delivered' }))
    await store.messages.addIncoming(message({ direction: 'in', text: 'a2', timestamp: 2, status: 'delivered' }))
    assert.deepEqual((await store.messages.list()).map(m => m.text), ['a1', 'b1', 'a2'])
    assert.deepEqual((await store.messages.list({ conversation: PEER_A })).map(m => m.text), ['a1', 'a2'])
    assert.deepEqual((await store.messages.list({ limit: 2 })).map(m => m.text), ['b1', 'a2'], 'the newest, oldest first')
    assert.equal(a1.seq, 1)
  })

  it('keeps a peer\'s conversation apart from peers whose id it prefixes', async () => {
    await store.messages.addOutgoing(message({ peer: PEER_A, text: 'short' }))
    await store.messages.addOutgoing(message({ peer: `${PEER_A}X`, text: 'longer' }))
    assert.deepEqual((await store.messages.list({ conversation: PEER_A })).map(m => m.text), ['short'])
    assert.deepEqual((await store.messages.outbox(PEER_A)).map(m => m.text), ['short'])
  })

  it('stores a repeated incoming id once and says so', async () => {
    const first = await store.messages.addIncoming(message({ direction: 'in', id: 'ab'.repeat(16), status: 'delivered' }))
    const again = await store.messages.addIncoming(message({ direction: 'in', id: 'ab'.repeat(16), text: 'changed', status: 'delivered' }))
    assert.equal(first.added, true)
    assert.equal(again.added, false)
    assert.equal(again.record.text, 'hello')
    assert.equal((await store.messages.list()).length, 1)
  })

  it('serialises concurrent repeats of one id to a single stored message', async () => {
    const id = 'cd'.repeat(16)
    const results = await Promise.all(Array.from({ length: 10 }, async () =>
      store.messages.addIncoming(message({ direction: 'in', id, status: 'delivered' }))))
    assert.equal(results.filter(r => r.added).length, 1)
    assert.equal((await store.messages.list()).length, 1)
  })

  it('deletes incoming messages with the writes given, and leaves the rest of the history', async () => {
    const old = await store.messages.addIncoming(message({ direction: 'in', text: 'old', status: 'delivered' }), { also: [store.contacts.requestWrite({ peerId: PEER_A, at: 1 })] })
    const kept = await store.messages.addIncoming(message({ direction: 'in', text: 'kept', status: 'delivered' }))
    await store.messages.addIncoming(message({ peer: PEER_B, direction: 'in', text: 'other', status: 'delivered' }))
    await store.messages.deleteIncoming(PEER_A, [old.record.id, 'ff'.repeat(16)], { also: [store.contacts.requestDelete(PEER_A)] })
    assert.deepEqual((await store.messages.list({ conversation: PEER_A })).map(m => m.text), ['kept'])
    assert.deepEqual((await store.messages.list()).map(m => m.text), ['kept', 'other'])
    assert.equal(await store.messages.get(PEER_A, 'in', old.record.id), undefined)
    assert.equal((await store.messages.get(PEER_A, 'in', kept.record.id))?.text, 'kept')
    assert.deepEqual(await store.contacts.requests(), [])
    // an id deleted is new again: a repeat of it is stored
    assert.equal((await store.messages.addIncoming(message({ direction: 'in', id: old.record.id, text: 'old', status: 'delivered' }))).added, true)
  })

  it('refuses a duplicate outgoing id', async () => {
    const m = message()
    await store.messages.addOutgoing(m)
    await assert.rejects(store.messages.addOutgoing(m), { name: 'DuplicateMessageError' })
  })

  it('keeps undelivered messages in the outbox until delivered or failed', async () => {
    const m1 = await store.messages.addOutgoing(message({ text: '1' }))
    const m2 = await store.messages.addOutgoing(message({ text: '2' }))
    const m3 = await store.messages.addOutgoing(message({ text: '3', peer: PEER_B }))
    assert.deepEqual((await store.messages.outbox()).map(m => m.text), ['1', '2', '3'])
    await store.messages.setStatus(PEER_A, m1.id, 'queued')
    assert.deepEqual((await store.messages.outbox(PEER_A)).map(m => [m.text, m.status]), [['1', 'queued'], ['2', 'sending']])
    await store.messages.setStatus(PEER_A, m1.id, 'delivered')
    const failed = await store.messages.setStatus(PEER_B, m3.id, 'failed', 'refused')
    assert.equal(failed?.error, 'refused')
    assert.deepEqual((await store.messages.outbox()).map(m => m.text), ['2'])
    assert.equal((await store.messages.get(PEER_A, 'out', m2.id))?.status, 'sending')
    assert.equal(await store.messages.setStatus(PEER_A, 'ff'.repeat(16), 'delivered'), undefined)
  })

  it('survives a close and reopen with history, outbox and the sequence intact', async () => {
    await store.messages.addOutgoing(message({ text: 'kept' }))
    await store.contacts.put({ peerId: PEER_B, name: 'bob', addedAt: 1 })
    await store.close()
    store = new LevelStore(path, codec)
    await store.open()
    assert.deepEqual((await store.messages.outbox()).map(m => m.text), ['kept'])
    const next = await store.messages.addIncoming(message({ direction: 'in', status: 'delivered' }))
    assert.equal(next.record.seq, 2, 'numbering continues after the last stored message')
    assert.equal((await store.contacts.getByName('bob'))?.peerId, PEER_B)
  })

  it('keeps the group mailbox\'s cursors and pending deposits across a reopen, and drops a deposit once done', async () => {
    const group = '0a'.repeat(16)
    assert.deepEqual(await store.groupMailbox.cursors(group, PEER_A), new Map(), 'none before the first fetch')
    await store.groupMailbox.setCursors(group, PEER_A, new Map([[PEER_B, 1_700_000_000_123]]))
    const pending = { group, id: '0b'.repeat(16), epoch: '0c'.repeat(32), from: PEER_B, envelope: new Uint8Array([1, 2, 250]), holders: [PEER_A], sentAt: 5 }
    await store.groupMailbox.putPending(pending)
    await store.groupMailbox.putPending({ ...pending, id: '0d'.repeat(16) })
    await store.close()
    store = new LevelStore(path, codec)
    await store.open()
    assert.deepEqual(await store.groupMailbox.cursors(group, PEER_A), new Map([[PEER_B, 1_700_000_000_123]]))
    assert.deepEqual(await store.groupMailbox.cursors(group, PEER_B), new Map(), 'cursors are per mailbox')
    assert.deepEqual(await store.groupMailbox.pending(), [pending, { ...pending, id: '0d'.repeat(16) }])
    await store.groupMailbox.deletePending(group, pending.id)
    assert.deepEqual((await store.groupMailbox.pending()).map(p => p.id), ['0d'.repeat(16)])
  })

  it('keeps contact names unique and renames cleanly', async () => {
    await store.contacts.put({ peerId: PEER_A, name: 'alice', addedAt: 1 })
    await assert.rejects(store.contacts.put({ peerId: PEER_B, name: 'alice', addedAt: 2 }), { name: 'ContactNameTakenError' })
    await store.contacts.put({ peerId: PEER_A, name: 'ally', addedAt: 1 })
    assert.equal(await store.contacts.getByName('alice'), undefined)
    await store.contacts.put({ peerId: PEER_B, name: 'alice', addedAt: 2 })
    assert.deepEqual((await store.contacts.list()).map(c => c.name), ['alice', 'ally'])
    await store.contacts.delete(PEER_A)
    assert.equal(await store.contacts.getByName('ally'), undefined)
    assert.equal(await store.contacts.get(PEER_A), undefined)
  })

  it('refuses a second opener of the same directory', async () => {
    const second = new LevelStore(path, codec)
    await assert.rejects(second.open(), { name: 'DataDirLockedError' })
  })
})

describe('LevelStore encrypted at rest', function () {
  const dirs = new TempDirs()
  after(async () => { await dirs.cleanup() })

  it('writes neither message text, names nor PeerIds to disk, and needs the key to read', async () => {
    const path = join(await dirs.make(), 'messages')
    const store = new LevelStore(path, encryptedCodec(DATA_KEY))
    await store.open()
    await store.messages.addIncoming(message({ direction: 'in', text: 'TOPSECRETTEXT', peer: '12D3KooWSomePeerIdValue', status: 'delivered' }))
    await store.contacts.put({ peerId: '12D3KooWSomePeerIdValue', name: 'SECRETNAME', addedAt: 1 })
    await store.close()
    for (const file of await readdir(path)) {
      const bytes = await readFile(join(path, file))
      for (const secret of ['TOPSECRETTEXT', 'SECRETNAME', '12D3KooWSomePeerIdValue']) {
        assert.equal(bytes.indexOf(secret), -1, `${secret} found in ${file}`)
      }
    }
    const wrongKey = new LevelStore(path, encryptedCodec(crypto.getRandomValues(new Uint8Array(32))))
    await assert.rejects(wrongKey.open(), { name: 'StorageCorruptError' })
    const plain = new LevelStore(path)
    await assert.rejects(plain.open(), { name: 'StorageCorruptError' })
    const right = new LevelStore(path, encryptedCodec(DATA_KEY))
    await right.open()
    assert.equal((await right.messages.list())[0].text, 'TOPSECRETTEXT')
    assert.equal((await right.contacts.getByName('SECRETNAME'))?.peerId, '12D3KooWSomePeerIdValue')
    await right.close()
  })
})

describe('LevelStore values bound to where they are stored', function () {
  const dirs = new TempDirs()
  after(async () => { await dirs.cleanup() })

  /** The raw database behind a store's directory: keys and values as stored */
  async function raw (path: string): Promise<Level<Uint8Array, Uint8Array>> {
    const db = new Level<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' })
    await db.open()
    return db
  }
  const rawKey = (table: string, local: string): Uint8Array => new TextEncoder().encode(`!${table}!${local}`)

  it('refuses a sealed value moved to another key: a blocked peer is not unblocked by swapping standings', async () => {
    const path = join(await dirs.make(), 'messages')
    const codec = encryptedCodec(DATA_KEY)
    const store = new LevelStore(path, codec)
    await store.open()
    await store.contacts.setStanding(PEER_A, 'blocked')
    await store.contacts.setStanding(PEER_B, 'accepted')
    await store.close()

    // someone with the disk but not the passphrase swaps the two sealed values
    const db = await raw(path)
    const [a, b] = [rawKey('standing', codec.key(PEER_A)), rawKey('standing', codec.key(PEER_B))]
    const [sealedA, sealedB] = await db.getMany([a, b])
    assert.ok(sealedA != null && sealedB != null)
    await db.batch().put(a, sealedB).put(b, sealedA).write()
    await db.close()

    const reopened = new LevelStore(path, codec)
    await reopened.open()
    try {
      await assert.rejects(reopened.contacts.standing(PEER_A), { name: 'StorageCorruptError' })
      await assert.rejects(reopened.contacts.standing(PEER_B), { name: 'StorageCorruptError' })
    } finally {
      await reopened.close()
    }
  })

  it('refuses a sealed value moved to another table under the same key', async () => {
    const path = join(await dirs.make(), 'messages')
    const codec = encryptedCodec(DATA_KEY)
    const store = new LevelStore(path, codec)
    await store.open()
    await store.contacts.setStanding(PEER_A, 'blocked')
    await store.close()

    const db = await raw(path)
    const sealed = await db.get(rawKey('standing', codec.key(PEER_A)))
    assert.ok(sealed != null)
    // `requests` holds JSON under the same hashed PeerId: the value would parse there
    await db.put(rawKey('requests', codec.key(PEER_A)), sealed)
    await db.close()

    const reopened = new LevelStore(path, codec)
    await reopened.open()
    try {
      await assert.rejects(reopened.contacts.requests(), { name: 'StorageCorruptError' })
      assert.equal(await reopened.contacts.standing(PEER_A), 'blocked')
    } finally {
      await reopened.close()
    }
  })
})

describe('LevelStore opening a directory an earlier release encrypted', function () {
  this.timeout(30_000)
  const dirs = new TempDirs()
  after(async () => { await dirs.cleanup() })
  const FIXTURE = join(import.meta.dirname, '../fixtures/data-dirs/83664eb-passphrase')

  /** Per table: how many of its values open bound to their place, and how many do not */
  async function bound (path: string, codec: AtRestCodec): Promise<Record<string, { bound: number, unbound: number }>> {
    const db = new Level<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' })
    const counts: Record<string, { bound: number, unbound: number }> = {}
    try {
      for (const table of Object.keys(TABLES)) {
        for await (const [key, value] of db.sublevel<string, Uint8Array>(table, { valueEncoding: 'view' }).iterator()) {
          counts[table] ??= { bound: 0, unbound: 0 }
          try {
            codec.open(table, key, value)
            counts[table].bound++
          } catch {
            counts[table].unbound++
          }
        }
      }
    } finally {
      await db.close()
    }
    return counts
  }

  it('seals every value again bound to its table and key, and survives doing it twice', async () => {
    const { passphrase } = JSON.parse(await readFile(join(FIXTURE, 'manifest.json'), 'utf8'))
    const dir = await dirs.make()
    await cp(join(FIXTURE, 'alice'), dir, { recursive: true })
    const { codec } = await openDataDir(dir, passphrase)
    const path = join(dir, 'messages')

    const before = await bound(path, codec)
    assert.ok(Object.keys(before).length >= 8, `the release wrote most tables: ${JSON.stringify(before)}`)
    for (const [table, { bound }] of Object.entries(before)) assert.equal(bound, 0, `${table}: none bound before`)

    const store = new LevelStore(path, codec)
    await store.open()
    const history = await store.messages.list()
    await store.close()
    const after = await bound(path, codec)
    // besides, the layout upgrade records its version and a state for the one conversation
    const added: Record<string, number> = { atRest: 1, schema: 1, conversations: 1 }
    for (const [table, { bound, unbound }] of Object.entries(after)) {
      assert.equal(unbound, 0, `${table}: all bound after`)
      assert.equal(bound, (before[table]?.unbound ?? 0) + (added[table] ?? 0), `${table}: every value kept`)
    }

    // as if a crash had come before the format was recorded: the bound values are left as they are
    const db = new Level(path)
    await db.sublevel('atRest').clear()
    await db.close()
    const again = new LevelStore(path, codec)
    await again.open()
    assert.deepEqual(await again.messages.list(), history)
    assert.equal((await again.contacts.list()).length, 1)
    await again.close()
  })
})
