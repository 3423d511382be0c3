import assert from 'node:assert/strict'
import { access, cp, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { Level } from 'level'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { MailboxStore } from '../../src/protocols/mailbox/store.ts'
import { saveNewIdentity } from '../../src/identity/identity.ts'
import { plainCodec } from '../../src/storage/at-rest.ts'
import { MESSAGES_DIR } from '../../src/storage/constants.ts'
import { changePassphrase, openDataDir } from '../../src/storage/data-dir.ts'
import { dataDirStore } from '../../src/storage/data-dir-store.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import { TABLES } from '../../src/storage/tables.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { AtRestCodec } from '../../src/storage/at-rest.ts'
import type { NewMessage, TransferRecord } from '../../src/storage/types.ts'

const ALICE = '12D3KooWAliceAliceAliceAliceAliceAliceAliceAliceAlice'
const BOB = '12D3KooWBobBobBobBobBobBobBobBobBobBobBobBobBobBobBob'
/** What a storer charges a deposit to (src/protocols/mailbox/source-tag.ts) */
const BOBS_SOURCE = `s${'5b'.repeat(16)}`
/** Wrote once and was never answered: a message request */
const STRANGER = '12D3KooWStrangerStrangerStrangerStrangerStrangerStr'
/** Blocked by id without ever writing: nothing but the standing names it */
const SPAMMER = '12D3KooWSpammerSpammerSpammerSpammerSpammerSpammerSp'
/** A session whose messages are gone from history: nothing but the session names it */
const QUIET = '12D3KooWQuietQuietQuietQuietQuietQuietQuietQuietQuiet'
const PASSPHRASE = 'a passphrase long enough'
/** Data directories written by earlier releases (see data-dir-fixture.spec.ts) */
const FIXTURES = join(import.meta.dirname, '../fixtures/data-dirs')

const MAILBOX_TABLES = ['mailbox-items', 'mailbox-index', 'mailbox-gone', 'mailbox-expiry', 'mailbox-meta']
const MAILBOX_KEY = 'ab'.repeat(32)
const HELD = 'cd'.repeat(32)

const message = (id: number, overrides: Partial<NewMessage>): NewMessage => ({
  id: id.toString(16).padStart(32, '0'),
  peer: ALICE,
  direction: 'out',
  text: `message ${id}`,
  timestamp: 1_700_000_000_000 + id,
  status: 'sending',
  ...overrides
})

const transfer: TransferRecord = {
  id: 'f'.repeat(32),
  name: 'notes.txt',
  size: 5,
  type: 'text/plain',
  peer: BOB,
  direction: 'out',
  root: 'a'.repeat(64),
  key: 'c2VjcmV0IGtleQ==',
  state: 'done',
  path: '/tmp/notes.txt',
  bytes: 5,
  createdAt: 1,
  updatedAt: 2
}

interface FillOptions {
  keyOnly: boolean
  /** Write a group and its sender chains, and a peer's mailbox identities, too (releases before groups never wrote them). @default true */
  groups?: boolean
}

/**
 * Writes to every table a node keeps: its own (history, outbox and envelopes, contacts and
 * names, standing, requests, verified, sessions, prekeys, files) and a storer's `mailbox-*`. With
 * `keyOnly`, also peers named by nothing but a database key (SPAMMER, QUIET).
 */
async function fill (store: LevelStore, options: FillOptions): Promise<void> {
  await store.contacts.put({ peerId: ALICE, name: 'Alice! of the wood', addedAt: 1 })
  await store.contacts.put({ peerId: BOB, name: 'Bob', addedAt: 2 })
  await store.contacts.setStanding(ALICE, 'accepted')
  await store.contacts.setStanding(BOB, 'accepted')
  await store.contacts.setVerified(BOB, 1_700_000_000_000)
  await store.messages.addOutgoing(message(1, { status: 'queued' }))
  await store.messages.setEnvelope(ALICE, message(1, {}).id, new Uint8Array([1, 2, 3]))
  await store.messages.addOutgoing(message(2, { peer: BOB }))
  await store.messages.setStatus(BOB, message(2, {}).id, 'delivered')
  await store.messages.addOutgoing(message(3, { kind: 'receipt', delivers: [message(9, {}).id], text: '' }))
  await store.messages.addOutgoing(message(5, { peer: BOB, expiresAt: 1_900_000_000_000 }))
  await store.settings.set({ typingIndicators: true })
  if (options.groups !== false) {
    await store.apply([store.senderChains.putWrite('0a'.repeat(16), BOB, new Uint8Array([7, 7, 7])), store.groups.putWrite('0a'.repeat(16), new Uint8Array([8, 8]))])
    await store.groupMailbox.setCursors('0a'.repeat(16), BOB, new Map([[ALICE, 1_700_000_000_000]]))
    await store.groupMailbox.putPending({ group: '0a'.repeat(16), id: '0b'.repeat(16), epoch: '0c'.repeat(32), from: BOB, envelope: new Uint8Array([9, 9]), holders: [ALICE], sentAt: 1_700_000_000_000 })
    await store.apply([store.mailboxAddresses.theirsWrite(BOB, [{ epoch: 2_900, publicKey: new Uint8Array(32).fill(3) }])])
    await store.mailboxAddresses.setAnnouncedThrough(BOB, 2_901)
    await store.mailboxAddresses.setRequests(BOB, new Uint8Array(32).fill(4))
  }
  await store.messages.addIncoming(message(4, { peer: STRANGER, direction: 'in', status: 'delivered' }), {
    also: [store.keys.sessionWrite(STRANGER, new Uint8Array([4, 4])), store.contacts.requestWrite({ peerId: STRANGER, at: 4 })]
  })
  await store.apply([store.keys.sessionWrite(ALICE, new Uint8Array([1, 1])), store.keys.sessionWrite(BOB, new Uint8Array([2, 2]))])
  if (options.keyOnly) {
    await store.contacts.setStanding(SPAMMER, 'blocked')
    await store.apply([store.keys.sessionWrite(QUIET, new Uint8Array([5, 5]))])
  }
  for (const [n, kind] of (['signed', 'pq', 'one-time'] as const).entries()) {
    await store.keys.putPrekey(kind, { id: n + 1, publicKey: new Uint8Array([n]), privateKey: new Uint8Array([n, n]), createdAt: n, ...(kind === 'one-time' ? {} : { signature: new Uint8Array([9]) }) })
  }
  await store.keys.setCurrentPrekeys({ signed: 1, pq: 2 })
  await store.files.put(transfer)
  await fillMailbox(store.database)
}

/**
 * A storer's plain tables, laid out and encoded as src/protocols/mailbox/store.ts keeps them,
 * written directly: one item (envelope 9 9 9 9 from Bob's network, charged to its source tag)
 * and one tombstone, so that the bytes a switch gives back can be compared with these
 */
async function fillMailbox (db: LevelStore['database']): Promise<void> {
  const item = new Uint8Array(2 + 8 + 4 + BOBS_SOURCE.length + 4)
  const view = new DataView(item.buffer)
  item[0] = 1 // format; no flags: no stamp
  view.setBigUint64(2, 1_800_000_000_000n)
  view.setUint32(10, BOBS_SOURCE.length)
  item.set(new TextEncoder().encode(BOBS_SOURCE), 14)
  item.set([9, 9, 9, 9], 14 + BOBS_SOURCE.length)
  await db.sublevel<string, Uint8Array>('mailbox-items', { valueEncoding: 'view' }).put(`${MAILBOX_KEY}!0001700000000000!${HELD}`, item)
  await db.sublevel<string, object>('mailbox-index', { valueEncoding: 'json' }).put(`${MAILBOX_KEY}!${HELD}`, { storedAt: 1_700_000_000_000, expiresAt: 1_800_000_000_000, size: 4, depositor: BOBS_SOURCE })
  await db.sublevel<string, number>('mailbox-gone', { valueEncoding: 'json' }).put(`${MAILBOX_KEY}!${'ef'.repeat(32)}`, 1_800_000_000_000)
  await db.sublevel('mailbox-expiry', { valueEncoding: 'utf8' }).put(`0001800000000000!i!${MAILBOX_KEY}!${HELD}`, '')
  await db.sublevel('mailbox-expiry', { valueEncoding: 'utf8' }).put(`0001800000000000!g!${MAILBOX_KEY}!${'ef'.repeat(32)}`, '')
  await db.sublevel<string, number>('mailbox-meta', { valueEncoding: 'json' }).put('format', 1)
  await db.sublevel<string, string>('mailbox-meta', { valueEncoding: 'json' }).put('depositors', 'sources')
}

type Dump = Record<string, Record<string, string>>

/** Everything in a database's files, by sublevel: hex key -> hex value, as stored */
async function dump (dataDir: string): Promise<Dump> {
  const db = new Level<Uint8Array, Uint8Array>(join(dataDir, MESSAGES_DIR), { keyEncoding: 'view', valueEncoding: 'view' })
  const tables: Dump = {}
  try {
    for await (const [key, value] of db.iterator()) {
      const text = Buffer.from(key).toString('latin1')
      const end = text.indexOf('!', 1)
      const table = text.startsWith('!') && end > 0 ? text.slice(1, end) : ''
      const local = key.subarray(table === '' ? 0 : end + 1)
      tables[table] ??= {}
      tables[table][toHex(local, 'base16')] = toHex(value, 'base16')
    }
  } finally {
    await db.close()
  }
  return tables
}

/** A table's values as the codec reads them, sorted: keys differ between codecs, values do not */
function values (name: string, table: Record<string, string>, codec: AtRestCodec, sealed: boolean): string[] {
  const open = ([key, value]: [string, string]): string => sealed ? toHex(codec.open(name, Buffer.from(key, 'hex').toString('utf8'), Buffer.from(value, 'hex')), 'base16') : value
  return Object.entries(table).map(open).sort()
}

async function newDataDir (dirs: TempDirs): Promise<string> {
  const dir = await dirs.make()
  await saveNewIdentity(dir, await generateKeyPair('Ed25519'))
  return dir
}

async function withStore (dataDir: string, codec: AtRestCodec, fn: (store: LevelStore) => Promise<void>): Promise<void> {
  const store = new LevelStore(join(dataDir, MESSAGES_DIR), codec)
  await store.open()
  try {
    await fn(store)
  } finally {
    await store.close()
  }
}

/** A directory filled in the clear: what every round trip must come back to, byte for byte */
async function reference (dirs: TempDirs, options: FillOptions): Promise<Dump> {
  const dir = await newDataDir(dirs)
  await withStore(dir, plainCodec, async store => { await fill(store, options) })
  return dump(dir)
}

describe('setting and removing a passphrase', function () {
  const dirs = new TempDirs()
  after(async () => { await dirs.cleanup() })

  it('keeps every table, byte for byte, through passphrase set and remove', async () => {
    const expected = await reference(dirs, { keyOnly: true })
    const dir = await newDataDir(dirs)
    await withStore(dir, plainCodec, async store => { await fill(store, { keyOnly: true }) })
    assert.deepEqual(await dump(dir), expected, 'the same fill writes the same bytes')
    // a table added to LevelStore fails here until the fill writes it
    for (const table of [...Object.keys(TABLES).filter(t => t !== 'keyParts'), ...MAILBOX_TABLES]) {
      assert.ok(expected[table] != null, `the fill writes ${table}`)
    }

    assert.equal(await changePassphrase(dir, undefined, PASSPHRASE), 'set')
    const { codec } = await openDataDir(dir, PASSPHRASE)
    const encrypted = await dump(dir)
    for (const [table, entries] of Object.entries(expected)) {
      if (table.startsWith('mailbox-') && table !== 'mailbox-meta') {
        // the storer's tables move to their sealed layout: as many entries, none in the clear
        assert.equal(encrypted[table], undefined, `${table} while encrypted`)
        const sealedTable = table.replace('mailbox-', 'mailbox-sealed-')
        assert.equal(Object.keys(encrypted[sealedTable] ?? {}).length, Object.keys(entries).length, sealedTable)
        for (const [key, value] of Object.entries(encrypted[sealedTable] ?? {})) {
          for (const secret of [MAILBOX_KEY, HELD, BOB]) {
            const hex = toHex(new TextEncoder().encode(secret), 'base16')
            assert.ok(!key.includes(hex) && !value.includes(hex), `${secret} in ${sealedTable}`)
          }
        }
        continue
      }
      assert.deepEqual(values(table, encrypted[table] ?? {}, codec, table !== 'mailbox-meta'), values(table, entries, plainCodec, false), `${table} while encrypted`)
    }
    assert.equal(Object.keys(encrypted.keyParts ?? {}).length, 8, 'a record of each of the 5 PeerIds, 2 names and 1 group member hashed into keys')
    // not even deleted entries (LevelDB keeps them in its files until a compaction) name them
    for (const file of await readdir(join(dir, MESSAGES_DIR))) {
      const bytes = await readFile(join(dir, MESSAGES_DIR, file))
      for (const secret of [BOB, MAILBOX_KEY, HELD, 'Alice! of the wood']) assert.equal(bytes.indexOf(secret), -1, `${secret} in ${file}`)
    }
    await withStore(dir, codec, async store => {
      assert.equal(await store.contacts.standing(SPAMMER), 'blocked', 'a blocked peer stays blocked')
      assert.deepEqual(await store.contacts.requests(), [{ peerId: STRANGER, at: 4 }])
      assert.deepEqual(await store.keys.loadSession(QUIET), new Uint8Array([5, 5]))
      assert.equal((await store.contacts.getByName('Alice! of the wood'))?.peerId, ALICE)
      assert.deepEqual(await store.messages.envelope(ALICE, message(1, {}).id), new Uint8Array([1, 2, 3]))
      // mail held for others, and a tombstone, as the mailbox store reads them under the passphrase
      const mailbox = new MailboxStore(store.database, { maxBytes: 1e6, maxBytesPerKey: 1e6, maxItemsPerKey: 100, maxBytesPerDepositor: 1e6, ttlMs: 1e11, atRest: codec, now: () => 1_750_000_000_000 })
      await mailbox.open()
      const key = fromHex(MAILBOX_KEY, 'base16')
      assert.deepEqual((await mailbox.list(key)).map(i => [toHex(i.envelope, 'base16'), i.depositor, i.storedAt, i.expiresAt]), [['09090909', BOBS_SOURCE, 1_700_000_000_000, 1_800_000_000_000]])
      assert.deepEqual(await mailbox.missing(key, [fromHex('ef'.repeat(32), 'base16')]), [], 'the tombstone holds')
      assert.deepEqual(mailbox.usage(), { bytes: 4, items: 1 })
    })

    assert.equal(await changePassphrase(dir, PASSPHRASE, undefined), 'removed')
    assert.deepEqual(await dump(dir), expected)
  })

  it('keeps what was written while encrypted when the passphrase is removed', async () => {
    const expected = await reference(dirs, { keyOnly: true })
    const dir = await newDataDir(dirs)
    assert.equal(await changePassphrase(dir, undefined, PASSPHRASE), 'set')
    const { codec } = await openDataDir(dir, PASSPHRASE)
    await withStore(dir, codec, async store => { await fill(store, { keyOnly: true }) })

    assert.equal(await changePassphrase(dir, PASSPHRASE, undefined), 'removed')
    assert.deepEqual(await dump(dir), expected)
  })

  it('keeps the data directories earlier releases wrote, byte for byte, through set and remove', async () => {
    for (const release of await readdir(FIXTURES)) {
      const manifest = JSON.parse(await readFile(join(FIXTURES, release, 'manifest.json'), 'utf8'))
      for (const node of ['alice', 'bob', 'relay']) {
        // a copy: the fixture must stay as the release left it
        const dir = await dirs.make()
        await cp(join(FIXTURES, release, node), dir, { recursive: true })
        if (manifest.passphrase != null) {
          // sealed with random nonces: compared in the clear, after a first removal
          assert.equal(await changePassphrase(dir, manifest.passphrase, undefined), 'removed')
        }
        // today's code brings the release's layout up to date on the first open (schema.ts)
        const upgraded = dataDirStore(dir)
        await upgraded.open()
        await upgraded.close()
        const before = await dump(dir)
        assert.equal(await changePassphrase(dir, undefined, PASSPHRASE), 'set')
        assert.equal(await changePassphrase(dir, PASSPHRASE, undefined), 'removed')
        const after = await dump(dir)
        assert.deepEqual(Object.keys(after.atRest ?? {}), [toHex(new TextEncoder().encode('format'), 'base16')], `${release}/${node}: the format recorded`)
        assert.deepEqual(after, before, `${release}/${node}`)
      }
    }
  })

  describe('a directory encrypted by an earlier release, which kept no record of hashed key parts', function () {
    /** Writes under a passphrase, then drops every table an earlier release did not write */
    async function earlierRelease (options: FillOptions): Promise<string> {
      const plain = await reference(dirs, options)
      const dir = await newDataDir(dirs)
      await changePassphrase(dir, undefined, PASSPHRASE)
      const { codec } = await openDataDir(dir, PASSPHRASE)
      await withStore(dir, codec, async store => {
        await fill(store, options)
        const db = store.database
        for await (const key of db.keys({ keyEncoding: 'utf8' })) {
          const table = key.startsWith('!') ? key.slice(1, key.indexOf('!', 1)) : ''
          if (plain[table] == null) await db.del(key, { keyEncoding: 'utf8' })
        }
      })
      return dir
    }

    it('restores the keys from the PeerIds and names its values hold', async () => {
      const dir = await earlierRelease({ keyOnly: false, groups: false })
      assert.equal(await changePassphrase(dir, PASSPHRASE, undefined), 'removed')
      assert.deepEqual(await dump(dir), await reference(dirs, { keyOnly: false, groups: false }))
    })

    it('refuses, changing nothing, when a key names a peer nothing else records', async () => {
      const dir = await earlierRelease({ keyOnly: true, groups: false })
      const before = await dump(dir)
      await assert.rejects(changePassphrase(dir, PASSPHRASE, undefined), (err: any) => {
        assert.equal(err.name, 'UnrecoverableKeyError')
        assert.match(err.message, /standing/)
        assert.match(err.message, /sessions/)
        return true
      })
      assert.deepEqual(await dump(dir), before, 'still encrypted, nothing lost')
      await assert.rejects(access(join(dir, `${MESSAGES_DIR}.new`)), 'the partial copy is removed')
      const { codec } = await openDataDir(dir, PASSPHRASE)
      await withStore(dir, codec, async store => {
        assert.equal(await store.contacts.standing(SPAMMER), 'blocked')
      })
    })
  })
})
