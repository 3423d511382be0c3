import assert from 'node:assert/strict'
import { MemoryLevel } from 'memory-level'
import { Level } from 'level'
import { MailboxStore } from '../../../src/protocols/mailbox/store.ts'
import { envelopeHash } from '../../../src/protocols/mailbox/proofs.ts'
import { TempDirs } from '../../helpers/temp-dir.ts'
import type { MailboxStoreInit } from '../../../src/protocols/mailbox/store.ts'

const KEY_A = new Uint8Array(32).fill(0xa)
const KEY_B = new Uint8Array(32).fill(0xb)
const envelope = (n: number, size = 100): Uint8Array => new Uint8Array(size).fill(n % 256).map((v, i) => i === 0 ? n >> 8 : v)

const LIMITS: MailboxStoreInit = { maxBytes: 10_000, maxBytesPerKey: 5_000, maxItemsPerKey: 10, maxBytesPerDepositor: 4_000, ttlMs: 1_000 }

describe('mailbox store (the storer side)', () => {
  let clock: number
  const open = async (init: Partial<MailboxStoreInit> = {}): Promise<MailboxStore> => {
    const store = new MailboxStore(new MemoryLevel(), { ...LIMITS, now: () => clock, ...init })
    await store.open()
    return store
  }

  beforeEach(() => { clock = 1_000_000 })

  it('holds envelopes per key in storage order, and a repeat is not charged twice', async () => {
    const store = await open()
    const first = await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p1' })
    clock++
    await store.put({ key: KEY_A, envelope: envelope(2), stamp: new Uint8Array(8), depositor: 'p1' })
    await store.put({ key: KEY_B, envelope: envelope(3), depositor: 'p1' })
    const again = await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p2' })
    assert.equal(again.duplicate, true)
    assert.equal(again.expiresAt, first.expiresAt)
    assert.deepEqual(store.usage(), { bytes: 308, items: 3 })
    const listed = await store.list(KEY_A)
    assert.deepEqual(listed.map(i => i.envelope[1]), [1, 2])
    assert.deepEqual(listed[0].hash, envelopeHash(envelope(1)))
    assert.equal(listed[1].stamp?.byteLength, 8)
    assert.equal(store.count(KEY_A), 2)
    assert.equal((await store.keys()).length, 2)
  })

  it('refuses each quota with a reason, leaving other keys and depositors unaffected', async () => {
    const items = await open({ maxItemsPerKey: 2 })
    await items.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
    await items.put({ key: KEY_A, envelope: envelope(2), depositor: 'p' })
    await assert.rejects(items.put({ key: KEY_A, envelope: envelope(3), depositor: 'p' }), { name: 'QuotaExceededError', message: /2 envelopes/ })
    await items.put({ key: KEY_B, envelope: envelope(3), depositor: 'p' })

    const keyBytes = await open({ maxBytesPerKey: 250 })
    await keyBytes.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
    await keyBytes.put({ key: KEY_A, envelope: envelope(2), depositor: 'p' })
    await assert.rejects(keyBytes.put({ key: KEY_A, envelope: envelope(3), depositor: 'q' }), { name: 'QuotaExceededError', message: /250 bytes/ })

    const depositor = await open({ maxBytesPerDepositor: 250 })
    await depositor.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
    await depositor.put({ key: KEY_B, envelope: envelope(2), depositor: 'p' })
    await assert.rejects(depositor.put({ key: KEY_B, envelope: envelope(3), depositor: 'p' }), { name: 'QuotaExceededError', message: /you have/ })
    await depositor.put({ key: KEY_B, envelope: envelope(3), depositor: 'q' })

    const total = await open({ maxBytes: 250 })
    await total.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
    await total.put({ key: KEY_B, envelope: envelope(2), depositor: 'q' })
    await assert.rejects(total.put({ key: new Uint8Array(32), envelope: envelope(3), depositor: 'r' }), { name: 'QuotaExceededError', message: /budget/ })
  })

  it('never overshoots a quota under concurrent puts', async () => {
    const store = await open({ maxItemsPerKey: 5 })
    const results = await Promise.allSettled(Array.from({ length: 20 }, async (_, i) => store.put({ key: KEY_A, envelope: envelope(i), depositor: 'p' })))
    assert.equal(results.filter(r => r.status === 'fulfilled').length, 5)
    assert.equal(store.count(KEY_A), 5)
  })

  it('deletes on ack, refuses the same envelope again (replay), ignores unknown hashes', async () => {
    const store = await open()
    await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
    await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'p' })
    assert.equal(await store.ack(KEY_A, [envelopeHash(envelope(1)), envelopeHash(envelope(9)), new Uint8Array(3)]), 1)
    assert.equal(await store.ack(KEY_B, [envelopeHash(envelope(2))]), 0, 'an ack under another key deletes nothing')
    assert.deepEqual((await store.list(KEY_A)).map(i => i.envelope[1]), [2])
    assert.deepEqual(store.usage(), { bytes: 100, items: 1 })
    await assert.rejects(store.put({ key: KEY_A, envelope: envelope(1), depositor: 'q' }), { name: 'ReplayedEnvelopeError' })
    assert.deepEqual(await store.missing(KEY_A, [envelopeHash(envelope(1)), envelopeHash(envelope(2)), envelopeHash(envelope(3))]), [envelopeHash(envelope(3))], 'held and tombstoned hashes are not missing')
  })

  it('expires envelopes at the TTL: unlisted at once, swept with their counters', async () => {
    const store = await open({ ttlMs: 1_000 })
    await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
    clock += 500
    await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'p' })
    clock += 600
    assert.deepEqual((await store.list(KEY_A)).map(i => i.envelope[1]), [2], 'the first expired')
    assert.equal(await store.sweep(), 1)
    assert.deepEqual(store.usage(), { bytes: 100, items: 1 })
    clock += 1_000
    assert.equal(await store.sweep(), 1)
    assert.deepEqual(store.usage(), { bytes: 0, items: 0 })
    assert.deepEqual(await store.keys(), [])
  })

  it('a tombstone lasts until the envelope would have expired, then the envelope may come back', async () => {
    const store = await open({ ttlMs: 1_000 })
    await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
    await store.ack(KEY_A, [envelopeHash(envelope(1))])
    clock += 999
    await assert.rejects(store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' }), { name: 'ReplayedEnvelopeError' })
    clock += 2
    await store.sweep()
    assert.equal((await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })).duplicate, false)
  })

  it('keeps envelopes and usage across a reopen of a LevelDB on disk', async () => {
    const dirs = new TempDirs()
    try {
      const path = await dirs.make()
      let db = new Level<string, unknown>(path)
      let store = new MailboxStore(db, { ...LIMITS, now: () => clock })
      await store.open()
      await store.put({ key: KEY_A, envelope: envelope(1), depositor: 'p' })
      await store.put({ key: KEY_A, envelope: envelope(2), depositor: 'p' })
      await db.close()
      db = new Level<string, unknown>(path)
      store = new MailboxStore(db, { ...LIMITS, now: () => clock })
      await store.open()
      assert.deepEqual(store.usage(), { bytes: 200, items: 2 })
      assert.equal((await store.list(KEY_A)).length, 2)
      await db.close()
    } finally {
      await dirs.cleanup()
    }
  })
})
