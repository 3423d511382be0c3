import assert from 'node:assert/strict'
import fc from 'fast-check'
import { Level } from 'level'
import { MemoryLevel } from 'memory-level'
import { toString as toHex } from 'uint8arrays/to-string'
import { envelopeHash } from '../../../src/protocols/mailbox/proofs.ts'
import { mintStamp, verifyStamp } from '../../../src/protocols/mailbox/stamp.ts'
import { MailboxStore } from '../../../src/protocols/mailbox/store.ts'
import { convertMailboxTables } from '../../../src/protocols/mailbox/store-tables.ts'
import { encryptedCodec, plainCodec } from '../../../src/storage/at-rest.ts'
import { TempDirs } from '../../helpers/temp-dir.ts'
import type { MailboxStoreInit } from '../../../src/protocols/mailbox/store.ts'

const DATA_KEY = new Uint8Array(32).fill(0x5e)
const KEY_A = new Uint8Array(32).fill(0xa)
const KEY_B = new Uint8Array(32).fill(0xb)
const KEY_C = new Uint8Array(32).fill(0xc)
/** Distinct envelopes: byte 0 and 1 carry n, the rest fills up to `size` */
const envelope = (n: number, size = 100): Uint8Array => new Uint8Array(size).fill(7).map((v, i) => i === 0 ? n >> 8 : i === 1 ? n & 0xff : v)
const hashOf = (n: number, size = 100): Uint8Array => envelopeHash(envelope(n, size))
const numbers = (items: Array<{ envelope: Uint8Array }>): number[] => items.map(i => (i.envelope[0] << 8) | i.envelope[1])

/** Stamps and the minimum charge out of the way: the tests that want them say so */
const NO_STAMP_LIMITS = {
  minItemBytes: 0,
  stampBits: 0,
  stampAfterItemsPerKey: 1_000_000,
  stampAfterBytesPerKey: 1_000_000,
  maxUnstampedItemsPerDepositorKey: 1_000_000,
  maxUnstampedBytesPerDepositorKey: 1_000_000
}
const LIMITS: MailboxStoreInit = { maxBytes: 10_000, maxBytesPerKey: 5_000, maxItemsPerKey: 10, maxBytesPerDepositor: 4_000, ttlMs: 1_000, ...NO_STAMP_LIMITS }
/** A stamp that verifies at 4 bits for envelope `n` under `key` */
const stampFor = async (key: Uint8Array, n: number, size = 100): Promise<Uint8Array> => mintStamp(key, hashOf(n, size), 4)
/** One that does not */
const badStampFor = (key: Uint8Array, n: number, size = 100): Uint8Array => {
  for (let i = 0; ; i++) {
    const stamp = new Uint8Array(8).fill(i)
    if (!verifyStamp(key, hashOf(n, size), stamp, 4)) return stamp
  }
}

// every behaviour holds in both layouts: in the clear, and sealed under a passphrase
for (const [layout, atRest] of [['', plainCodec], [', sealed at rest', encryptedCodec(DATA_KEY)]] as const) describe(`mailbox store (the storer side${layout})`, () => {
  let clock: number
  const now = (): number => clock
  /** A table's sublevel name in this layout */
  const raw = (table: string): string => atRest.encrypted ? `mailbox-sealed-${table}` : `mailbox-${table}`
  const open = async (init: Partial<MailboxStoreInit> = {}, db = new MemoryLevel()): Promise<MailboxStore> => {
    const store = new MailboxStore(db, { ...LIMITS, now, atRest, ...init })
    await store.open()
    return store
  }

  beforeEach(() => { clock = 1_000_000 })

  describe('put and list', () => {
    it('holds envelopes per key in storage order, with their stamp, depositor and expiry', async () => {
      const store = await open()
      const first = await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p1' })
      assert.deepEqual(first, { hash: hashOf(1), expiresAt: clock + LIMITS.ttlMs, duplicate: false })
      clock += 5
      await store.put({ key: KEY_A, envelope: envelope(2), stamp: new Uint8Array(8).fill(9), depositor: 'p2' })
      await store.put({ key: KEY_B, envelope: envelope(3), depositor: 'p1' })
      const listed = await store.list(KEY_A)
      assert.deepEqual(numbers(listed), [1, 2])
      assert.deepEqual(listed[0], { key: KEY_A, hash: hashOf(1), envelope: envelope(1), depositor: 'p1', storedAt: 1_000_000, expiresAt: 1_001_000 })
      assert.deepEqual(listed[1].stamp, new Uint8Array(8).fill(9))
      assert.equal(listed[1].depositor, 'p2')
      assert.equal(listed[1].storedAt, 1_000_005)
      assert.deepEqual(numbers(await store.list(KEY_B)), [3])
      assert.deepEqual(await store.list(KEY_C), [])
      assert.deepEqual(store.usage(), { bytes: 308, items: 3 })
      assert.equal(store.count(KEY_A), 2)
      assert.equal(store.count(KEY_C), 0)
      assert.deepEqual((await store.keys()).map(k => toHex(k, 'base16')).sort(), [toHex(KEY_A, 'base16'), toHex(KEY_B, 'base16')])
    })

    it('holds a disappearing message only until its own expiry, never past the TTL', async () => {
      const store = await open()
      assert.equal((await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p', expiresAt: clock + 300 })).expiresAt, clock + 300)
      assert.equal((await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'p', expiresAt: clock + 10 * LIMITS.ttlMs })).expiresAt, clock + LIMITS.ttlMs)
      assert.equal((await store.put({ key: KEY_A, envelope: envelope(3), depositor: 'p', expiresAt: clock - 5 })).expiresAt, clock + 1, 'one already due: a moment')
      clock += 301
      assert.deepEqual(numbers(await store.list(KEY_A)), [2], 'gone when its time came')
    })

    it('orders envelopes stored in the same millisecond by hash (sealed: by its keyed hash)', async () => {
      const store = await open()
      for (let n = 0; n < 8; n++) await store.put({ key: KEY_A, envelope: envelope(n), depositor: 'p' })
      const hashes = (await store.list(KEY_A)).map(i => toHex(i.hash, 'base16'))
      assert.equal(hashes.length, 8)
      assert.deepEqual(hashes, [...hashes].sort((a, b) => atRest.key(a) < atRest.key(b) ? -1 : 1))
    })

    it('a repeat is a duplicate with the first expiry, charged to nobody', async () => {
      const store = await open({ maxBytesPerDepositor: 200 })
      const first = await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      clock += 100
      const again = await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'q' })
      assert.deepEqual(again, { ...first, duplicate: true })
      assert.deepEqual(store.usage(), { bytes: 100, items: 1 })
      // q was not charged: it can still store its 200 bytes
      await store.put({ key: KEY_B, envelope: envelope(2, 200), depositor: 'q' })
      // the same envelope under another key is another item
      assert.equal((await store.put({ key: KEY_C, envelope: envelope(1), depositor: 'p' })).duplicate, false)
    })

    it('concurrent puts of one envelope store it once', async () => {
      const store = await open()
      const results = await Promise.all(Array.from({ length: 10 }, async (_, i) => store.put({ key: KEY_A, envelope: envelope(1), depositor: `p${i}` })))
      assert.equal(results.filter(r => !r.duplicate).length, 1)
      assert.deepEqual(store.usage(), { bytes: 100, items: 1 })
    })

    it('list stops before maxBytes (envelopes and stamps), but lists at least one', async () => {
      const store = await open()
      await store.put({ key: KEY_A, envelope: envelope(1, 300), depositor: 'p' })
      clock++
      await store.put({ key: KEY_A, envelope: envelope(2, 100), stamp: new Uint8Array(8), depositor: 'p' })
      clock++
      await store.put({ key: KEY_A, envelope: envelope(3, 100), depositor: 'p' })
      assert.deepEqual(numbers(await store.list(KEY_A, { maxBytes: 408 })), [1, 2])
      assert.deepEqual(numbers(await store.list(KEY_A, { maxBytes: 407 })), [1], 'the stamp counts')
      assert.deepEqual(numbers(await store.list(KEY_A, { maxBytes: 10 })), [1], 'one item over the limit still goes')
      assert.deepEqual(numbers(await store.list(KEY_A, { maxBytes: 508 })), [1, 2, 3])
    })

    it('refuses a key that is not 32 bytes, and stores nothing once aborted', async () => {
      const store = await open()
      await assert.rejects(store.put({ key: new Uint8Array(31), envelope: envelope(1), depositor: 'p' }), RangeError)
      await assert.rejects(store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' }, { signal: AbortSignal.abort() }), { name: 'AbortError' })
      assert.deepEqual(store.usage(), { bytes: 0, items: 0 })
      assert.deepEqual(await store.list(KEY_A), [])
    })

    it('refuses limits that are not non-negative integers', () => {
      assert.throws(() => new MailboxStore(new MemoryLevel(), { ...LIMITS, maxBytes: -1 }), RangeError)
      assert.throws(() => new MailboxStore(new MemoryLevel(), { ...LIMITS, maxItemsPerKey: 1.5 }), RangeError)
      assert.throws(() => new MailboxStore(new MemoryLevel(), { ...LIMITS, maxUnstampedItemsPerDepositorKey: -1 }), RangeError)
      assert.throws(() => new MailboxStore(new MemoryLevel(), { ...LIMITS, stampBits: 33 }), RangeError)
      assert.throws(() => new MailboxStore(new MemoryLevel(), { ...LIMITS, ttlMs: 0 }), RangeError)
    })

    it('entries go on after a cursor, and read no further than the caller pulls', async () => {
      const store = await open()
      for (let n = 0; n < 5; n++) {
        await store.put({ key: KEY_A, envelope: envelope(n), depositor: 'p' })
        clock++
      }
      await store.put({ key: KEY_B, envelope: envelope(9), depositor: 'p' })
      const [first, second] = await store.list(KEY_A, { maxBytes: 200 })
      assert.deepEqual(numbers([first, second]), [0, 1])
      assert.deepEqual(numbers(await store.list(KEY_A, { after: second })), [2, 3, 4], 'the rest of the key, not the next key\'s')
      await store.ack(KEY_A, [hashOf(2)])
      assert.deepEqual(numbers(await store.list(KEY_A, { after: second })), [3, 4], 'a cursor survives the deletion of what follows it')
      assert.deepEqual(numbers(await store.list(KEY_A, { after: { storedAt: second.storedAt + 1, hash: hashOf(2) } })), [3, 4], 'or of itself')
      const pulled: number[] = []
      for await (const item of store.entries(KEY_A)) {
        pulled.push(...numbers([item]))
        break
      }
      assert.deepEqual(pulled, [0])
    })
  })

  describe('quotas', () => {
    it('items per key: refused with the limit named, other keys unaffected', async () => {
      const store = await open({ maxItemsPerKey: 2 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'q' })
      await assert.rejects(store.put({ key: KEY_A, envelope: envelope(3), depositor: 'r' }), { name: 'QuotaExceededError', message: /per-key item quota.* 2 envelopes/ })
      await store.put({ key: KEY_B, envelope: envelope(3), depositor: 'p' })
      assert.deepEqual(store.usage(), { bytes: 300, items: 3 })
    })

    it('bytes per key: refused with the limit named, other keys unaffected', async () => {
      const store = await open({ maxBytesPerKey: 250 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'q' })
      await assert.rejects(store.put({ key: KEY_A, envelope: envelope(3, 51), depositor: 'r' }), { name: 'QuotaExceededError', message: /per-key byte quota.* 250 bytes/ })
      await assert.rejects(store.put({ key: KEY_A, envelope: envelope(3, 43), stamp: new Uint8Array(8), depositor: 'r' }), { name: 'QuotaExceededError' }, 'stamps count')
      await store.put({ key: KEY_A, envelope: envelope(3, 50), depositor: 'r' })
      await store.put({ key: KEY_B, envelope: envelope(4), depositor: 'r' })
    })

    it('bytes per depositor: refused with the limit named, other depositors unaffected', async () => {
      const store = await open({ maxBytesPerDepositor: 250 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await store.put({ key: KEY_B, envelope: envelope(2), depositor: 'p' })
      await assert.rejects(store.put({ key: KEY_C, envelope: envelope(3, 51), depositor: 'p' }), { name: 'QuotaExceededError', message: /per-depositor byte quota.* 250 bytes/ })
      await store.put({ key: KEY_C, envelope: envelope(3, 50), depositor: 'p' })
      await store.put({ key: KEY_C, envelope: envelope(4, 250), depositor: 'q' })
    })

    it('total bytes: refused with the limit named', async () => {
      const store = await open({ maxBytes: 250 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await store.put({ key: KEY_B, envelope: envelope(2), depositor: 'q' })
      await assert.rejects(store.put({ key: KEY_C, envelope: envelope(3, 51), depositor: 'r' }), { name: 'QuotaExceededError', message: /total byte quota.* 250 bytes/ })
      await store.put({ key: KEY_C, envelope: envelope(3, 50), depositor: 'r' })
      assert.deepEqual(store.usage(), { bytes: 250, items: 3 })
    })

    it('are checked in order: items per key, bytes per key, bytes per depositor, total bytes', async () => {
      const full = { maxItemsPerKey: 1, maxBytesPerKey: 100, maxBytesPerDepositor: 100, maxBytes: 100 }
      const refusal = async (init: Partial<MailboxStoreInit>): Promise<string> => {
        const store = await open(init)
        await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
        try {
          await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'p' })
        } catch (err: any) {
          return err.message
        }
        return 'stored'
      }
      assert.match(await refusal(full), /per-key item/)
      assert.match(await refusal({ ...full, maxItemsPerKey: 9 }), /per-key byte/)
      assert.match(await refusal({ ...full, maxItemsPerKey: 9, maxBytesPerKey: 900 }), /per-depositor/)
      assert.match(await refusal({ ...full, maxItemsPerKey: 9, maxBytesPerKey: 900, maxBytesPerDepositor: 900 }), /total/)
      assert.equal(await refusal({ maxItemsPerKey: 9, maxBytesPerKey: 900, maxBytesPerDepositor: 900, maxBytes: 900 }), 'stored')
    })

    it('concurrent puts never overshoot any quota', async () => {
      const puts = async (store: MailboxStore, key: (i: number) => Uint8Array, depositor: (i: number) => string): Promise<number> => {
        const results = await Promise.allSettled(Array.from({ length: 30 }, async (_, i) => store.put({ key: key(i), envelope: envelope(i), depositor: depositor(i) })))
        for (const r of results) if (r.status === 'rejected') assert.equal(r.reason.name, 'QuotaExceededError')
        return results.filter(r => r.status === 'fulfilled').length
      }
      const keys = [KEY_A, KEY_B, KEY_C]
      const items = await open({ maxItemsPerKey: 5 })
      assert.equal(await puts(items, () => KEY_A, i => `p${i}`), 5)
      assert.equal(items.count(KEY_A), 5)
      const keyBytes = await open({ maxBytesPerKey: 700 })
      assert.equal(await puts(keyBytes, () => KEY_A, i => `p${i}`), 7)
      const depositor = await open({ maxBytesPerDepositor: 400 })
      assert.equal(await puts(depositor, i => keys[i % 3], () => 'p'), 4)
      const total = await open({ maxBytes: 900 })
      assert.equal(await puts(total, i => keys[i % 3], i => `p${i}`), 9)
      assert.deepEqual(total.usage(), { bytes: 900, items: 9 })
    })

    it('charges every item at least minItemBytes', async () => {
      const store = await open({ minItemBytes: 150, maxBytesPerDepositor: 400 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await store.put({ key: KEY_A, envelope: envelope(2, 200), depositor: 'p' })
      assert.deepEqual(store.usage(), { bytes: 350, items: 2 })
      await assert.rejects(store.put({ key: KEY_B, envelope: envelope(3, 1), depositor: 'p' }), { name: 'QuotaExceededError', message: /per-depositor/ }, 'one byte is charged 150')
      await store.ack(KEY_A, [hashOf(1)])
      assert.deepEqual(store.usage(), { bytes: 200, items: 1 }, 'and given back as charged')
    })

    it('unstamped items per depositor and key: one depositor has a share of a key, a stamp lifts it', async () => {
      const store = await open({ stampBits: 4, maxUnstampedItemsPerDepositorKey: 2, maxUnstampedBytesPerDepositorKey: 250 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'p' })
      await assert.rejects(store.put({ key: KEY_A, envelope: envelope(3), depositor: 'p' }), { name: 'InvalidStampError', message: /without stamps.*4 bits/, bits: 4 })
      await assert.rejects(store.put({ key: KEY_A, envelope: envelope(3), stamp: badStampFor(KEY_A, 3), depositor: 'p' }), { name: 'InvalidStampError' }, 'a stamp that does not verify earns nothing')
      await store.put({ key: KEY_A, envelope: envelope(3), stamp: await stampFor(KEY_A, 3), depositor: 'p' })
      await store.put({ key: KEY_B, envelope: envelope(4), depositor: 'p' })
      await store.put({ key: KEY_A, envelope: envelope(5), depositor: 'q' })
      await store.put({ key: KEY_A, envelope: envelope(6, 150), depositor: 'q' })
      await store.put({ key: KEY_A, envelope: envelope(7, 200), depositor: 'r' })
      await assert.rejects(store.put({ key: KEY_A, envelope: envelope(8, 51), depositor: 'r' }), { name: 'InvalidStampError' }, 'bytes count too')
      await store.ack(KEY_A, [hashOf(1)])
      await store.put({ key: KEY_A, envelope: envelope(10), depositor: 'p' })
    })

    it('once a key is partly full, by items or bytes, only stamped envelopes are held', async () => {
      const store = await open({ stampBits: 4, stampAfterItemsPerKey: 2, stampAfterBytesPerKey: 300 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'q' })
      await assert.rejects(store.put({ key: KEY_A, envelope: envelope(3), depositor: 'r' }), { name: 'InvalidStampError', message: /partly full/, bits: 4 })
      await store.put({ key: KEY_A, envelope: envelope(3), stamp: await stampFor(KEY_A, 3), depositor: 'r' })
      await store.put({ key: KEY_B, envelope: envelope(4, 250), depositor: 'r' })
      await assert.rejects(store.put({ key: KEY_B, envelope: envelope(5, 51), depositor: 'r' }), { name: 'InvalidStampError', message: /partly full/ })
      await store.put({ key: KEY_B, envelope: envelope(5, 50), depositor: 'r' })
    })

    it('asks for a stamp only when a stamp would do: the quotas no stamp lifts come first', async () => {
      const store = await open({ stampBits: 4, maxItemsPerKey: 2, stampAfterItemsPerKey: 1 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await assert.rejects(store.put({ key: KEY_A, envelope: envelope(2), depositor: 'p' }), { name: 'InvalidStampError' })
      await store.put({ key: KEY_A, envelope: envelope(2), stamp: await stampFor(KEY_A, 2), depositor: 'p' })
      await assert.rejects(store.put({ key: KEY_A, envelope: envelope(3), depositor: 'p' }), { name: 'QuotaExceededError', message: /per-key item/ })
    })

    it('a refused put leaves nothing behind', async () => {
      const store = await open({ maxItemsPerKey: 1 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await assert.rejects(store.put({ key: KEY_A, envelope: envelope(2), depositor: 'p' }), { name: 'QuotaExceededError' })
      assert.deepEqual(numbers(await store.list(KEY_A)), [1])
      assert.deepEqual(await store.missing(KEY_A, [hashOf(2)]), [hashOf(2)])
      assert.deepEqual(store.usage(), { bytes: 100, items: 1 })
    })
  })

  describe('ack, tombstones and missing', () => {
    it('deletes acked envelopes under their key and ignores unknown hashes', async () => {
      const store = await open()
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'q' })
      assert.equal(await store.ack(KEY_A, [hashOf(9), new Uint8Array(3)]), 0, 'unknown hashes')
      assert.equal(await store.ack(KEY_B, [hashOf(1)]), 0, 'held under another key')
      assert.equal(await store.ack(KEY_A, []), 0)
      assert.deepEqual(store.usage(), { bytes: 200, items: 2 })
      assert.equal(await store.ack(KEY_A, [hashOf(1), hashOf(1), hashOf(9)]), 1, 'a hash listed twice is one envelope')
      assert.deepEqual(numbers(await store.list(KEY_A)), [2])
      assert.deepEqual(store.usage(), { bytes: 100, items: 1 })
      assert.equal(await store.ack(KEY_A, [hashOf(1)]), 0, 'acked already')
      assert.equal(await store.ack(KEY_A, [hashOf(2)]), 1)
      assert.deepEqual(store.usage(), { bytes: 0, items: 0 })
      assert.deepEqual(await store.keys(), [])
    })

    it('an acked envelope stored again is a replay, from anyone, until it would have expired', async () => {
      const store = await open({ ttlMs: 1_000 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      clock += 400
      await store.ack(KEY_A, [hashOf(1)])
      await assert.rejects(store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' }), { name: 'ReplayedEnvelopeError' })
      clock += 599
      await assert.rejects(store.put({ key: KEY_A, envelope: envelope(1), depositor: 'q' }), { name: 'ReplayedEnvelopeError' })
      // under another key it is another mailbox's envelope
      assert.equal((await store.put({ key: KEY_B, envelope: envelope(1), depositor: 'q' })).duplicate, false)
      clock += 1
      const back = await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'q' })
      assert.deepEqual(back, { hash: hashOf(1), expiresAt: clock + 1_000, duplicate: false })
    })

    it('missing lists what is neither held nor tombstoned', async () => {
      const store = await open({ ttlMs: 1_000 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'p' })
      await store.ack(KEY_A, [hashOf(2)])
      assert.deepEqual(await store.missing(KEY_A, [hashOf(1), hashOf(2), hashOf(3)]), [hashOf(3)])
      assert.deepEqual(await store.missing(KEY_B, [hashOf(1), hashOf(2)]), [hashOf(1), hashOf(2)], 'per key')
      assert.deepEqual(await store.missing(KEY_A, []), [])
      clock += 1_000
      assert.deepEqual(await store.missing(KEY_A, [hashOf(1), hashOf(2)]), [hashOf(1), hashOf(2)], 'expired, held or tombstoned, before any sweep')
    })
  })

  describe('expiry', () => {
    it('an envelope is unlisted at its expiry, then swept with its counters', async () => {
      const store = await open({ ttlMs: 1_000 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      clock += 500
      await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'q' })
      await store.put({ key: KEY_B, envelope: envelope(3), depositor: 'q' })
      clock += 499
      assert.deepEqual(numbers(await store.list(KEY_A)), [1, 2])
      clock += 1
      assert.deepEqual(numbers(await store.list(KEY_A)), [2], 'the first expired')
      assert.equal(await store.sweep(), 1)
      assert.deepEqual(store.usage(), { bytes: 200, items: 2 })
      assert.equal(store.count(KEY_A), 1)
      assert.equal(await store.sweep(), 0)
      clock += 500
      assert.equal(await store.sweep(), 2)
      assert.deepEqual(store.usage(), { bytes: 0, items: 0 })
      assert.equal(store.count(KEY_A), 0)
      assert.deepEqual(await store.keys(), [])
    })

    it('sweeping gives the depositors their quota back', async () => {
      const store = await open({ ttlMs: 1_000, maxBytesPerDepositor: 100 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await assert.rejects(store.put({ key: KEY_B, envelope: envelope(2), depositor: 'p' }), { name: 'QuotaExceededError' })
      clock += 1_000
      await store.sweep()
      await store.put({ key: KEY_B, envelope: envelope(2), depositor: 'p' })
    })

    it('expired envelopes stop counting against quotas before any sweep', async () => {
      const store = await open({ ttlMs: 1_000, maxItemsPerKey: 1, maxBytes: 100 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      clock += 1_000
      await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'p' })
      assert.deepEqual(numbers(await store.list(KEY_A)), [2])
      assert.deepEqual(store.usage(), { bytes: 100, items: 1 })
    })

    it('an expired envelope stored again is stored anew, not a duplicate with a past expiry', async () => {
      const store = await open({ ttlMs: 1_000 })
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      clock += 1_000
      assert.deepEqual(await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' }), { hash: hashOf(1), expiresAt: clock + 1_000, duplicate: false })
      assert.deepEqual(store.usage(), { bytes: 100, items: 1 })
      assert.equal((await store.list(KEY_A))[0].storedAt, clock)
    })

    it('sweeps expired tombstones', async () => {
      const db = new MemoryLevel()
      const store = await open({ ttlMs: 1_000 }, db)
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await store.ack(KEY_A, [hashOf(1)])
      const gone = db.sublevel(raw('gone'))
      assert.equal((await gone.keys().all()).length, 1)
      clock += 1_000
      assert.equal(await store.sweep(), 0, 'no items')
      assert.deepEqual(await gone.keys().all(), [])
      assert.deepEqual(await db.sublevel(raw('expiry')).keys().all(), [])
    })
  })

  describe('persistence', () => {
    it('open rebuilds the counters and drops what expired meanwhile', async () => {
      const db = new MemoryLevel()
      const first = await open({ maxBytesPerDepositor: 250 }, db)
      await first.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await first.put({ key: KEY_B, envelope: envelope(2), stamp: new Uint8Array(8), depositor: 'p' })
      clock += 500
      await first.put({ key: KEY_B, envelope: envelope(3), depositor: 'q' })
      clock += 600
      const second = await open({ maxBytesPerDepositor: 250 }, db)
      assert.deepEqual(second.usage(), { bytes: 100, items: 1 })
      assert.equal(second.count(KEY_A), 0)
      assert.equal(second.count(KEY_B), 1)
      assert.deepEqual(await db.sublevel(raw('items')).keys().all().then(k => k.length), 1, 'expired items deleted')
      const third = await open({ maxBytesPerDepositor: 250 }, db)
      await third.put({ key: KEY_C, envelope: envelope(4, 150), depositor: 'q' })
      await assert.rejects(third.put({ key: KEY_C, envelope: envelope(5, 1), depositor: 'q' }), { name: 'QuotaExceededError' }, 'q\'s bytes were counted on open')
    })

    // an earlier release's index entries, edited in the clear
    if (!atRest.encrypted) it('open counts each depositor\'s unstamped items per key; items from before stamps were checked count as unstamped', async () => {
      const db = new MemoryLevel()
      const limits = { stampBits: 4, maxUnstampedItemsPerDepositorKey: 2 }
      const first = await open(limits, db)
      await first.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await first.put({ key: KEY_A, envelope: envelope(2), stamp: await stampFor(KEY_A, 2), depositor: 'p' })
      // as the previous release wrote it: no `stamped` in the index
      const index = db.sublevel<string, Record<string, unknown>>('mailbox-index', { valueEncoding: 'json' })
      const id = `${toHex(KEY_A, 'base16')}!${toHex(hashOf(2), 'base16')}`
      const { stamped, ...legacy } = (await index.get(id))!
      assert.equal(stamped, true)
      await index.put(id, legacy)
      const second = await open(limits, db)
      await assert.rejects(second.put({ key: KEY_A, envelope: envelope(3), depositor: 'p' }), { name: 'InvalidStampError' })
      await second.put({ key: KEY_A, envelope: envelope(3), depositor: 'q' })
      await second.ack(KEY_A, [hashOf(2)])
      await second.put({ key: KEY_A, envelope: envelope(4), depositor: 'p' })
      assert.deepEqual(second.usage(), { bytes: 300, items: 3 })
    })

    if (!atRest.encrypted) it('clears a store written in an earlier layout, and refuses one from a newer version', async () => {
      const db = new MemoryLevel()
      await db.sublevel<string, unknown>('mailbox-items', { valueEncoding: 'json' }).put(`${toHex(KEY_A, 'base16')}!000001!00`, { envelope: 'AAAA' })
      await db.sublevel<string, unknown>('mailbox-index', { valueEncoding: 'json' }).put(`${toHex(KEY_A, 'base16')}!00`, 1)
      const store = await open({}, db)
      assert.deepEqual(store.usage(), { bytes: 0, items: 0 })
      assert.deepEqual(await store.list(KEY_A), [])
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      assert.equal((await open({}, db)).count(KEY_A), 1, 'the current layout is kept')
      await db.sublevel<string, unknown>('mailbox-meta', { valueEncoding: 'json' }).put('format', 99)
      await assert.rejects(open({}, db), { name: 'StorageCorruptError' })
    })

    it('keeps envelopes, counters and tombstones across a reopen of a LevelDB on disk', async () => {
      const dirs = new TempDirs()
      try {
        const path = await dirs.make()
        const init = { ...LIMITS, now, atRest, maxBytes: 1_000_000, maxBytesPerKey: 200_000, maxBytesPerDepositor: 200_000 }
        let db = new Level<string, unknown>(path, { valueEncoding: 'json' })
        let store = new MailboxStore(db, init)
        await store.open()
        const big = envelope(1, 160 * 1_024)
        await store.put({ key: KEY_A, envelope: envelope(1), stamp: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), depositor: 'p' })
        clock++
        await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'p' })
        await store.put({ key: KEY_A, envelope: envelope(3), depositor: 'p' })
        await store.put({ key: KEY_B, envelope: big, depositor: 'q' })
        await store.ack(KEY_A, [hashOf(3)])
        const before = await store.list(KEY_A)
        await db.close()

        db = new Level<string, unknown>(path, { valueEncoding: 'json' })
        store = new MailboxStore(db, init)
        await store.open()
        assert.deepEqual(store.usage(), { bytes: 208 + big.byteLength, items: 3 })
        assert.equal(store.count(KEY_A), 2)
        assert.deepEqual(await store.list(KEY_A), before)
        assert.deepEqual((await store.list(KEY_B))[0].envelope, big)
        await assert.rejects(store.put({ key: KEY_A, envelope: envelope(3), depositor: 'q' }), { name: 'ReplayedEnvelopeError' })
        assert.equal((await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'p' })).duplicate, true)
        // p has 208 bytes here still
        await assert.rejects(store.put({ key: KEY_C, envelope: envelope(4, 200_000 - 207), depositor: 'p' }), { name: 'QuotaExceededError', message: /per-depositor/ })
        await store.put({ key: KEY_C, envelope: envelope(4, 200_000 - 208), depositor: 'p' })
        await db.close()
      } finally {
        await dirs.cleanup()
      }
    })
  })

  it('matches a simple model over random runs of puts, acks, sweeps, reopens and time', async () => {
    type Op = { op: 'put', key: number, n: number, depositor: number, stamped: boolean }
      | { op: 'ack', key: number, ns: number[] }
      | { op: 'tick', ms: number }
      | { op: 'sweep' }
      | { op: 'reopen' }
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ op: fc.constant('put' as const), key: fc.nat(2), n: fc.nat(6), depositor: fc.nat(2), stamped: fc.boolean() }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('ack' as const), key: fc.nat(2), ns: fc.array(fc.nat(6), { maxLength: 3 }) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 400 }) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('sweep' as const) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('reopen' as const) }) }
    )
    const keys = [KEY_A, KEY_B, KEY_C]
    const init = {
      maxBytes: 1_500,
      maxBytesPerKey: 700,
      maxItemsPerKey: 3,
      maxBytesPerDepositor: 800,
      ttlMs: 1_000,
      minItemBytes: 100,
      // every 8-byte stamp verifies at 0 bits: a put is stamped or not
      stampBits: 0,
      stampAfterItemsPerKey: 2,
      stampAfterBytesPerKey: 500,
      maxUnstampedItemsPerDepositorKey: 1,
      maxUnstampedBytesPerDepositorKey: 300
    }
    // the envelope is fixed by n (its size too), so equal n means an equal hash
    const sizeOf = (n: number): number => 50 + ((n * 37) % 350)

    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 80 }), async (ops) => {
      clock = 1_000_000
      const db = new MemoryLevel()
      let store = await open(init, db)
      // model: key -> n -> item (size: what it is charged); key!n -> tombstone expiry
      const held = new Map<number, Map<number, { size: number, depositor: number, expiresAt: number, stamped: boolean }>>(keys.map((_, k) => [k, new Map()]))
      const gone = new Map<string, number>()
      const live = (): Array<{ key: number, n: number, size: number, depositor: number, stamped: boolean }> => [...held].flatMap(([key, items]) =>
        [...items].filter(([, i]) => i.expiresAt > clock).map(([n, i]) => ({ key, n, ...i })))
      const sum = (items: Array<{ size: number }>): number => items.reduce((s, i) => s + i.size, 0)

      for (const o of ops) {
        if (o.op === 'put') {
          const charge = Math.max(sizeOf(o.n) + (o.stamped ? 8 : 0), init.minItemBytes)
          const items = held.get(o.key)!
          const existing = items.get(o.n)
          let expected: string
          const alive = live()
          const mine = alive.filter(i => i.key === o.key)
          const unstamped = mine.filter(i => i.depositor === o.depositor && !i.stamped)
          if (existing != null && existing.expiresAt > clock) expected = 'duplicate'
          else if ((gone.get(`${o.key}!${o.n}`) ?? 0) > clock) expected = 'ReplayedEnvelopeError'
          else if (mine.length + 1 > init.maxItemsPerKey ||
            sum(mine) + charge > init.maxBytesPerKey ||
            sum(alive.filter(i => i.depositor === o.depositor)) + charge > init.maxBytesPerDepositor ||
            sum(alive) + charge > init.maxBytes) expected = 'QuotaExceededError'
          else if (!o.stamped && (mine.length + 1 > init.stampAfterItemsPerKey || sum(mine) + charge > init.stampAfterBytesPerKey ||
            unstamped.length + 1 > init.maxUnstampedItemsPerDepositorKey || sum(unstamped) + charge > init.maxUnstampedBytesPerDepositorKey)) expected = 'InvalidStampError'
          else expected = 'stored'
          const got = await store.put({ key: keys[o.key], envelope: envelope(o.n, sizeOf(o.n)), ...(o.stamped ? { stamp: new Uint8Array(8) } : {}), depositor: `d${o.depositor}` })
            .then(r => r.duplicate ? 'duplicate' : 'stored', (err: Error) => err.name)
          assert.equal(got, expected)
          if (got === 'stored') items.set(o.n, { size: charge, depositor: o.depositor, expiresAt: clock + init.ttlMs, stamped: o.stamped })
        } else if (o.op === 'ack') {
          const items = held.get(o.key)!
          const expected = new Set(o.ns.filter(n => (items.get(n)?.expiresAt ?? 0) > clock)).size
          const deleted = await store.ack(keys[o.key], o.ns.map(n => hashOf(n, sizeOf(n))))
          // expired but unswept items are deleted too: count only the live ones in the model
          assert.ok(deleted >= expected)
          for (const n of o.ns) {
            const item = items.get(n)
            if (item == null) continue
            if (item.expiresAt > clock) gone.set(`${o.key}!${n}`, item.expiresAt)
            items.delete(n)
          }
        } else if (o.op === 'tick') {
          clock += o.ms
        } else if (o.op === 'sweep') {
          await store.sweep()
        } else {
          store = await open(init, db)
        }

        const alive = live()
        for (const [k, key] of keys.entries()) {
          const expected = alive.filter(i => i.key === k).map(i => toHex(hashOf(i.n, sizeOf(i.n)), 'base16')).sort()
          assert.deepEqual((await store.list(key)).map(i => toHex(i.hash, 'base16')).sort(), expected)
        }
      }
      // counters agree with the model once the expired are swept
      await store.sweep()
      const alive = live()
      assert.deepEqual(store.usage(), { bytes: sum(alive), items: alive.length })
      for (const [k, key] of keys.entries()) assert.equal(store.count(key), alive.filter(i => i.key === k).length)
      assert.deepEqual((await open(init, db)).usage(), store.usage(), 'and with a reopen')
    }), { numRuns: 100 })
  })
})

describe('mailbox store sealed at rest', () => {
  const sealed = encryptedCodec(DATA_KEY)
  const init = { ...LIMITS, now: () => 1_000_000 }
  const hexOf = (bytes: Uint8Array): string => toHex(bytes, 'base16')

  /** Every key and value the database holds, as hex and as text */
  async function everything (db: MemoryLevel): Promise<string> {
    const parts: string[] = []
    for await (const [key, value] of db.iterator<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' })) {
      parts.push(hexOf(key), hexOf(value), Buffer.from(key).toString('latin1'), Buffer.from(value).toString('latin1'))
    }
    return parts.join('\n')
  }

  it('writes neither mailbox keys, envelope hashes, depositors nor envelopes in the clear', async () => {
    const db = new MemoryLevel()
    const store = new MailboxStore(db, { ...init, atRest: sealed })
    await store.open()
    await store.put({ key: KEY_A, envelope: envelope(1), stamp: new Uint8Array(8).fill(0xc7), depositor: '12D3KooWDepositorDepositor' })
    await store.put({ key: KEY_A, envelope: envelope(2), depositor: '12D3KooWDepositorDepositor' })
    await store.ack(KEY_A, [hashOf(2)])
    const disk = await everything(db)
    for (const secret of [hexOf(KEY_A), hexOf(hashOf(1)), hexOf(hashOf(2)), '12D3KooWDepositorDepositor', hexOf(envelope(1)), hexOf(new Uint8Array(8).fill(0xc7))]) {
      assert.equal(disk.includes(secret), false, `${secret.slice(0, 20)}... in the clear`)
    }
  })

  it('refuses an item moved under another mailbox key', async () => {
    const db = new MemoryLevel()
    const store = new MailboxStore(db, { ...init, atRest: sealed })
    await store.open()
    await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
    await store.put({ key: KEY_B, envelope: envelope(2), depositor: 'p' })
    const items = db.sublevel<string, Uint8Array>('mailbox-sealed-items', { valueEncoding: 'view' })
    const [[keyA, valueA], [keyB]] = await items.iterator().all().then(all => all.sort(([a], [b]) => a.startsWith(sealed.key(hexOf(KEY_A))) ? -1 : b.startsWith(sealed.key(hexOf(KEY_A))) ? 1 : 0))
    assert.ok(keyA.startsWith(sealed.key(hexOf(KEY_A))))
    // A's envelope copied over B's: B's mailbox must not hand it out as its own
    await items.put(keyB, valueA)
    await assert.rejects(store.list(KEY_B), { name: 'StorageCorruptError' })
  })

  it('seals what a store kept in the clear once it is opened under a passphrase, and keeps all of it', async () => {
    const db = new MemoryLevel()
    const plain = new MailboxStore(db, init)
    await plain.open()
    await plain.put({ key: KEY_A, envelope: envelope(1), stamp: new Uint8Array(8).fill(0xc7), depositor: 'p' })
    await plain.put({ key: KEY_A, envelope: envelope(2), depositor: 'q' })
    await plain.put({ key: KEY_B, envelope: envelope(3), depositor: 'p' })
    await plain.ack(KEY_B, [hashOf(3)])
    const before = await plain.list(KEY_A)

    const store = new MailboxStore(db, { ...init, atRest: sealed })
    await store.open()
    // stored in one millisecond: the order among them follows the (keyed) hash
    const byHash = (items: Array<{ hash: Uint8Array }>): typeof items => [...items].sort((a, b) => hexOf(a.hash) < hexOf(b.hash) ? -1 : 1)
    assert.deepEqual(byHash(await store.list(KEY_A)), byHash(before))
    assert.deepEqual(store.usage(), plain.usage())
    assert.deepEqual(store.count(KEY_A), 2)
    await assert.rejects(store.put({ key: KEY_B, envelope: envelope(3), depositor: 'p' }), { name: 'ReplayedEnvelopeError' }, 'the tombstone came along')
    for (const table of ['items', 'index', 'gone', 'expiry']) {
      assert.deepEqual(await db.sublevel(`mailbox-${table}`).keys().all(), [], `mailbox-${table} emptied`)
    }
    assert.equal((await everything(db)).includes(hexOf(KEY_A)), false)

    // without the passphrase the sealed tables are not silently ignored
    await assert.rejects(new MailboxStore(db, init).open(), { name: 'StorageCorruptError' })
  })
})

describe('converting the storer\'s tables into another database (a passphrase switch)', () => {
  it('writes only the new layout there, and leaves the old database as it was', async () => {
    const sealed = encryptedCodec(DATA_KEY)
    const init = { ...LIMITS, now: () => 1_000_000 }
    const old = new MemoryLevel()
    const plain = new MailboxStore(old, init)
    await plain.open()
    await plain.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
    await plain.put({ key: KEY_B, envelope: envelope(2), depositor: 'q' })
    await plain.ack(KEY_B, [hashOf(2)])
    const before = await old.iterator({ keyEncoding: 'utf8', valueEncoding: 'base64' }).all()

    const fresh = new MemoryLevel()
    const written: string[] = []
    fresh.on('write', (ops: Array<{ key: unknown }>) => { written.push(...ops.map(op => String(op.key).split('!')[1])) })
    await convertMailboxTables(old, plainCodec, fresh, sealed)
    assert.ok(written.length > 0)
    assert.deepEqual([...new Set(written)].sort(), ['mailbox-meta', 'mailbox-sealed-expiry', 'mailbox-sealed-gone', 'mailbox-sealed-index', 'mailbox-sealed-items'])
    assert.deepEqual(await old.iterator({ keyEncoding: 'utf8', valueEncoding: 'base64' }).all(), before)

    const store = new MailboxStore(fresh, { ...init, atRest: sealed })
    await store.open()
    assert.deepEqual(numbers(await store.list(KEY_A)), [1])
    await assert.rejects(store.put({ key: KEY_B, envelope: envelope(2), depositor: 'q' }), { name: 'ReplayedEnvelopeError' })
  })
})
