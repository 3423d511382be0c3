import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryLevel } from 'memory-level'
import { StoreResponse } from '../../../src/protocols/mailbox/pb/mailbox.ts'
import { EARLIER_SOURCE, networkOf, SourceTags } from '../../../src/protocols/mailbox/source-tag.ts'
import { MailboxStore } from '../../../src/protocols/mailbox/store.ts'
import { encryptedCodec, plainCodec } from '../../../src/storage/at-rest.ts'
import { peer, startHost } from './host-harness.ts'
import type { AtRestCodec } from '../../../src/storage/at-rest.ts'

const ALICE = '12D3KooWAliceAliceAliceAliceAliceAliceAliceAliceAli'
const KEY = new Uint8Array(32).fill(0xa)
const LIMITS = { maxBytes: 1_000_000, maxBytesPerKey: 500_000, maxItemsPerKey: 100, maxBytesPerDepositor: 400_000, ttlMs: 60_000 }
const envelope = (n: number): Uint8Array => new Uint8Array(600).fill(n)

/** Every key and value of every table of `db`, as text and as bytes, to search for a PeerId */
async function everything (db: MemoryLevel<string, Uint8Array>): Promise<Array<{ key: string, value: Uint8Array }>> {
  return (await db.iterator({ valueEncoding: 'view' } as any).all()).map(([key, value]: [string, Uint8Array]) => ({ key, value }))
}

describe('whom a storer charges a deposit to', () => {
  it('a source tag of the network it came from: an IPv4 address, an IPv6 /64, never the PeerId; the same network the same tag', () => {
    const tags = new SourceTags()
    const v4 = tags.tagOf(multiaddr(`/ip4/198.51.100.7/tcp/4001/p2p/${ALICE}`))
    assert.match(v4, /^s[0-9a-f]{32}$/)
    assert.ok(!v4.includes(ALICE))
    assert.equal(tags.tagOf(multiaddr('/ip4/198.51.100.7/udp/9/webrtc-direct')), v4)
    assert.notEqual(tags.tagOf(multiaddr('/ip4/198.51.100.8/tcp/4001')), v4)
    assert.equal(tags.tagOf(multiaddr('/ip6/2001:db8:1:2::7/tcp/1')), tags.tagOf(multiaddr('/ip6/2001:db8:1:2:ffff::9/tcp/1')))
    assert.notEqual(tags.tagOf(multiaddr('/ip6/2001:db8:1:2::7/tcp/1')), tags.tagOf(multiaddr('/ip6/2001:db8:1:3::7/tcp/1')))
    assert.equal(networkOf(multiaddr(`/memory/node-7-outgoing/p2p/${ALICE}`)), `/memory/node-7-outgoing/p2p/${ALICE}`)
    // another process (a restart): other tags, so none written before names an address
    assert.notEqual(new SourceTags().tagOf(multiaddr('/ip4/198.51.100.7/tcp/4001')), v4)
  })

  for (const [layout, codec] of [['plain', plainCodec], ['sealed', encryptedCodec(new Uint8Array(32).fill(0x5e))]] as Array<[string, AtRestCodec]>) {
    it(`a store an earlier release left (${layout} tables) keeps no depositor PeerId: its items go to one earlier source, and stay fetchable`, async () => {
      const db = new MemoryLevel<string, Uint8Array>()
      // what an earlier release wrote: the depositor's PeerId with each item
      const earlier = new MailboxStore(db, { ...LIMITS, atRest: codec })
      await earlier.open()
      for (let n = 1; n <= 3; n++) await earlier.put({ key: KEY, envelope: envelope(n), depositor: ALICE })
      await db.sublevel<string, unknown>('mailbox-meta', { valueEncoding: 'json' }).del('depositors')
      const plainBytes = Buffer.from(ALICE)
      if (layout === 'plain') assert.ok((await everything(db)).some(({ value }) => Buffer.from(value).includes(plainBytes)), 'the earlier layout held the PeerId')

      const store = new MailboxStore(db, { ...LIMITS, atRest: codec })
      await store.open()
      const held = []
      for await (const item of store.entries(KEY)) held.push(item)
      assert.deepEqual(held.map(i => [i.envelope[0], i.depositor]).sort(), [[1, EARLIER_SOURCE], [2, EARLIER_SOURCE], [3, EARLIER_SOURCE]])
      for (const { key, value } of await everything(db)) {
        assert.ok(!key.includes(ALICE) && !Buffer.from(value).includes(plainBytes), `${key} still names the depositor`)
      }
      // and again: nothing left to do
      const again = new MailboxStore(db, { ...LIMITS, atRest: codec })
      await again.open()
      assert.equal(await again.count(KEY), 3)
    })
  }

  it('a deposit over the protocol is held with its source\'s tag: the depositor\'s PeerId is nowhere in what the storer keeps', async () => {
    const test = await startHost()
    const alice = await peer()
    const response = await test.store(alice.id, { key: KEY as Uint8Array<ArrayBuffer>, envelope: envelope(9) as Uint8Array<ArrayBuffer> })
    assert.equal(response.status, StoreResponse.Status.STORED)
    const held = []
    for await (const item of test.host.store.entries(KEY)) held.push(item)
    assert.equal(held.length, 1)
    assert.match(held[0].depositor, /^s[0-9a-f]{32}$/)
    for (const { key, value } of await everything(test.db)) {
      assert.ok(!key.includes(alice.id.toString()) && !Buffer.from(value).includes(Buffer.from(alice.id.toString())) && !Buffer.from(value).includes(Buffer.from(alice.id.toMultihash().bytes)), `${key} names the depositor`)
    }
  })
})
