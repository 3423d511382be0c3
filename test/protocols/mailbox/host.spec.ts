import assert from 'node:assert/strict'
import { MAX_ITEMS_PER_KEY, MAX_PAGES_PER_FETCH } from '../../../src/protocols/mailbox/constants.ts'
import { epochAt, mailboxKey } from '../../../src/protocols/mailbox/keys.ts'
import { StoreResponse } from '../../../src/protocols/mailbox/pb/mailbox.ts'
import { envelopeHash } from '../../../src/protocols/mailbox/proofs.ts'
import { mintStamp } from '../../../src/protocols/mailbox/stamp.ts'
import { fetchAll, packedFetchRequest, peer, startHost } from './host-harness.ts'
import type { TestHost } from './host-harness.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'

/** Comfortably above the smallest sealed envelope: these tests are about quotas and reads */
const ENVELOPE_BYTES = 1_000

const random = (bytes: number): Uint8Array<ArrayBuffer> => crypto.getRandomValues(new Uint8Array(bytes))

describe('mailbox host (the storer\'s protocol side)', function () {
  this.timeout(60_000)

  describe('one peer cannot fill anyone\'s mailbox', () => {
    it('refuses envelopes far shorter than any sealed envelope', async () => {
      const test = await startHost()
      const from = await peer()
      const key = mailboxKey((await peer()).id, epochAt(Date.now()))
      for (const size of [1, 100]) {
        const response = await test.store(from.id, { key: key as Uint8Array<ArrayBuffer>, envelope: random(size) })
        assert.equal(response.status, StoreResponse.Status.REFUSED, `a ${size}-byte envelope`)
      }
      assert.equal(test.host.store.count(key), 0)
    })

    it('a flooder at its cap, then an honest sender still gets stored', async () => {
      const test = await startHost()
      const [flooder, honest, victim] = [await peer(), await peer(), await peer()]
      const key = mailboxKey(victim.id, epochAt(Date.now())) as Uint8Array<ArrayBuffer>
      let flooded = 0
      let refusal: StoreResponse | undefined
      while (flooded <= MAX_ITEMS_PER_KEY) {
        const response = await test.store(flooder.id, { key, envelope: random(ENVELOPE_BYTES) })
        if (response.status === StoreResponse.Status.REFUSED) {
          refusal = response
          break
        }
        flooded++
      }
      assert.ok(flooded <= MAX_ITEMS_PER_KEY / 10, `one depositor stored ${flooded} unstamped envelopes under one key`)
      assert.match(refusal?.reason ?? '', /stamp/, 'the refusal says a stamp would do')
      const response = await test.store(honest.id, { key, envelope: random(ENVELOPE_BYTES) })
      assert.equal(response.status, StoreResponse.Status.STORED, response.reason)
    })

    it('once a key is partly full, an unstamped envelope is refused with the difficulty that would take it', async () => {
      const bits = 8
      const test = await startHost({ stampBits: bits, stampAfterItemsPerKey: 6, maxUnstampedItemsPerDepositorKey: 3 })
      const victim = await peer()
      const key = mailboxKey(victim.id, epochAt(Date.now())) as Uint8Array<ArrayBuffer>
      // two Sybils, each at its own cap, bring the key to the threshold for free
      for (let i = 0; i < 2; i++) {
        const sybil = await peer()
        for (let n = 0; n < 3; n++) assert.equal((await test.store(sybil.id, { key, envelope: random(ENVELOPE_BYTES) })).status, StoreResponse.Status.STORED)
      }
      const honest = await peer()
      const envelope = random(ENVELOPE_BYTES)
      const unstamped = await test.store(honest.id, { key, envelope })
      assert.equal(unstamped.status, StoreResponse.Status.REFUSED)
      assert.match(unstamped.reason, /stamp/)
      assert.equal(unstamped.stampBits, bits, 'the refusal names the difficulty')
      const badStamp = await test.store(honest.id, { key, envelope, stamp: new Uint8Array(8) })
      assert.equal(badStamp.status, StoreResponse.Status.REFUSED, 'a stamp that does not verify earns nothing')
      const stamp = await mintStamp(key, envelopeHash(envelope), bits)
      const stamped = await test.store(honest.id, { key, envelope, stamp: stamp as Uint8Array<ArrayBuffer> })
      assert.equal(stamped.status, StoreResponse.Status.STORED, stamped.reason)
      assert.equal(test.host.store.count(key), 7)
    })

    it('copies handed on by a storer are that storer\'s deposits: unstamped ones capped, stamped ones pass', async () => {
      const bits = 4
      const test = await startHost({ stampBits: bits, maxUnstampedItemsPerDepositorKey: 3 })
      const [otherStorer, victim] = [await peer(), await peer()]
      const key = mailboxKey(victim.id, epochAt(Date.now())) as Uint8Array<ArrayBuffer>
      const statuses: StoreResponse.Status[] = []
      for (let n = 0; n < 5; n++) statuses.push((await test.store(otherStorer.id, { key, envelope: random(ENVELOPE_BYTES) })).status)
      const { STORED, REFUSED } = StoreResponse.Status
      assert.deepEqual(statuses, [STORED, STORED, STORED, REFUSED, REFUSED], 'junk is not handed on past the cap')
      for (let n = 0; n < 3; n++) {
        const envelope = random(ENVELOPE_BYTES)
        const stamp = await mintStamp(key, envelopeHash(envelope), bits)
        assert.equal((await test.store(otherStorer.id, { key, envelope, stamp: stamp as Uint8Array<ArrayBuffer> })).status, StoreResponse.Status.STORED)
      }
    })
  })

  describe('a fetch reads what the storer holds about once', () => {
    const ITEMS = 400
    const SIZE = 10 * 1_024

    async function filled (): Promise<{ test: TestHost, recipient: { key: PrivateKey, id: PeerId }, epoch: number, held: number }> {
      const test = await startHost({ maxUnstampedItemsPerDepositorKey: ITEMS, stampAfterItemsPerKey: ITEMS, stampAfterBytesPerKey: ITEMS * SIZE * 2, maxUnstampedBytesPerDepositorKey: ITEMS * SIZE * 2 })
      const recipient = await peer()
      const epoch = epochAt(Date.now())
      const key = mailboxKey(recipient.id, epoch)
      for (let n = 0; n < ITEMS; n++) await test.host.store.put({ key, envelope: random(SIZE), depositor: `p${n % 20}` })
      return { test, recipient, epoch, held: ITEMS * SIZE }
    }

    it('pages with a cursor: the bytes read are proportional to what is held', async () => {
      const { test, recipient, epoch, held } = await filled()
      test.reads.bytes = 0
      const fetched = await fetchAll(test, recipient, [epoch])
      assert.equal(fetched.envelopes, ITEMS)
      assert.ok(fetched.pages >= 4, `${fetched.pages} pages`)
      assert.ok(test.reads.bytes < held * 1.1, `read ${(test.reads.bytes / held).toFixed(2)}x what is held (${test.reads.bytes} bytes for ${held}, ${fetched.pages} pages)`)
    })

    it('ends a fetch after MAX_PAGES_PER_FETCH pages: the rest waits for the next', async () => {
      const mebibytes = 30 * 1_024 * 1_024
      const test = await startHost({ stampAfterItemsPerKey: 1_000, stampAfterBytesPerKey: mebibytes, maxUnstampedItemsPerDepositorKey: 1_000, maxUnstampedBytesPerDepositorKey: mebibytes })
      const recipient = await peer()
      const epoch = epochAt(Date.now())
      // two keys of 30 MiB, in 150 KiB envelopes (six to a page): 68 pages in all
      for (const key of [mailboxKey(recipient.id, epoch), mailboxKey(recipient.id, epoch - 1)]) {
        for (let n = 0; n < 200; n++) {
          const envelope = new Uint8Array(150 * 1_024)
          envelope.set(random(32))
          await test.host.store.put({ key, envelope, depositor: 'p' })
        }
      }
      const fetched = await fetchAll(test, recipient, [epoch, epoch - 1])
      assert.equal(fetched.pages, MAX_PAGES_PER_FETCH)
      assert.equal(fetched.envelopes, MAX_PAGES_PER_FETCH * 6)
    })

    it('with `since`, sends only what was stored at or after it, and reads little before it', async () => {
      const { test, recipient, epoch } = await filled()
      const stored = (await test.host.store.list(mailboxKey(recipient.id, epoch))).map(i => i.storedAt)
      const since = stored[ITEMS * 3 / 4]
      const expected = stored.filter(t => t >= since).length
      test.reads.bytes = 0
      const fetched = await fetchAll(test, recipient, [epoch], undefined, BigInt(since))
      assert.equal(fetched.envelopes, expected)
      assert.ok(fetched.storedAt.every(t => t >= since))
      // the items of `since`'s millisecond and later, and none of the three quarters before
      assert.ok(test.reads.bytes < (expected + 10) * SIZE * 1.1, `read ${test.reads.bytes} bytes for ${expected} items of ${SIZE}`)
      // a `since` past 2^53 is later than anything held
      assert.equal((await fetchAll(test, recipient, [epoch], undefined, 2n ** 64n - 1n)).envelopes, 0)
    })

    it('refuses a fetch that names an epoch twice, before any work', async () => {
      const { test, recipient, epoch } = await filled()
      test.reads.bytes = 0
      await assert.rejects(fetchAll(test, recipient, Array.from({ length: 8 }, () => epoch)))
      assert.equal(test.reads.bytes, 0, 'nothing read')
    })
  })

  describe('every valid encoding of a request is accepted', () => {
    it('a fetch whose repeated epochs are packed (proto3\'s default) is answered like an unpacked one', async () => {
      const test = await startHost()
      const recipient = await peer()
      const epochs = [epochAt(Date.now()), epochAt(Date.now()) - 1, epochAt(Date.now()) - 2]
      const key = mailboxKey(recipient.id, epochs[1])
      await test.host.store.put({ key, envelope: random(ENVELOPE_BYTES), depositor: 'p' })
      const counts = ({ pages, envelopes }: { pages: number, envelopes: number }): unknown => ({ pages, envelopes })
      assert.deepEqual(counts(await fetchAll(test, recipient, epochs)), { pages: 1, envelopes: 1 }, 'unpacked')
      assert.deepEqual(counts(await fetchAll(test, recipient, epochs, packedFetchRequest(recipient.id.toMultihash().bytes, epochs))), { pages: 1, envelopes: 1 }, 'packed')
    })
  })
})
