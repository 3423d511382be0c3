import assert from 'node:assert/strict'
import { defaultLogger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { TypedEventEmitter } from 'main-event'
import { parseRemembered, rememberedAddresses, REMEMBERED_ADDRESSES_KEY } from '../../src/node/remembered-addresses.ts'
import type { Multiaddr } from '@multiformats/multiaddr'

const PUBLIC_TCP = '/ip4/11.0.0.2/tcp/4001'
const MINUTE = 60_000

/** libp2p's address manager as far as this uses it: what it reports, and what it was told */
function fakeAddressManager (addresses: Array<{ multiaddr: string, verified: boolean, type: string, expires: number }>): any {
  const confirmed: Array<{ addr: Multiaddr, options: any }> = []
  return {
    confirmed,
    getAddressesWithMetadata: () => addresses.map(a => ({ ...a, multiaddr: multiaddr(a.multiaddr) })),
    confirmObservedAddr: (addr: Multiaddr, options: any) => { confirmed.push({ addr, options }) }
  }
}

async function run (datastore: MemoryDatastore, addressManager: any): Promise<void> {
  const service: any = rememberedAddresses()({ addressManager, datastore, events: new TypedEventEmitter(), logger: defaultLogger() })
  await service.start()
  await service.beforeStop()
  await service.stop()
}

describe('confirmed public addresses across a restart', () => {
  it('keeps autonat\'s confirmation of a public address and restores it at the next start for the time it had left', async () => {
    const datastore = new MemoryDatastore()
    const expires = Date.now() + 8 * MINUTE
    await run(datastore, fakeAddressManager([
      { multiaddr: PUBLIC_TCP, verified: true, type: 'transport', expires },
      // not kept: unconfirmed, private, relayed, observed (a NAT's mapping moves), expired
      { multiaddr: '/ip4/11.0.0.2/tcp/4002/ws', verified: false, type: 'transport', expires: 0 },
      { multiaddr: '/ip4/10.0.0.5/tcp/4001', verified: true, type: 'transport', expires },
      { multiaddr: '/ip4/11.0.0.1/tcp/4001/p2p/12D3KooWGzt4wPiQNPTsagv2GvKJx658ed2ReYofPjfWKx4hYjeR/p2p-circuit', verified: true, type: 'transport', expires },
      { multiaddr: '/ip4/11.0.0.9/tcp/5555', verified: true, type: 'observed', expires },
      { multiaddr: '/ip4/11.0.0.2/tcp/4003', verified: true, type: 'transport', expires: Date.now() - 1 }
    ]))

    const next = fakeAddressManager([])
    await run(datastore, next)
    assert.deepEqual(next.confirmed.map((c: any) => [c.addr.toString(), c.options.type]), [[PUBLIC_TCP, 'transport']])
    const ttl = next.confirmed[0].options.ttl
    assert.ok(ttl > 7 * MINUTE && ttl <= 8 * MINUTE, `the time it had left, no more: ${ttl} ms`)
  })

  it('restores nothing once the confirmation has run out, and nothing from a data directory without any', async () => {
    const datastore = new MemoryDatastore()
    const fresh = fakeAddressManager([])
    await run(datastore, fresh)
    assert.deepEqual(fresh.confirmed, [], 'a data directory from before this kept nothing')

    await datastore.put(REMEMBERED_ADDRESSES_KEY, new TextEncoder().encode(JSON.stringify([{ multiaddr: PUBLIC_TCP, expires: Date.now() - 1 }])))
    const next = fakeAddressManager([])
    await run(datastore, next)
    assert.deepEqual(next.confirmed, [])
  })

  it('ignores a stored value that is not what it wrote, whatever the bytes', () => {
    const encode = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v))
    for (const bad of ['', 'not json', '{}', 'null', [1, 2], [{ multiaddr: 7, expires: 1 }], [{ multiaddr: PUBLIC_TCP, expires: 'soon' }],
      [{ multiaddr: '/not/a/multiaddr', expires: Date.now() + MINUTE }], [{ multiaddr: '/ip4/192.168.1.2/tcp/1', expires: Date.now() + MINUTE }]]) {
      assert.deepEqual(parseRemembered(encode(bad)), [], JSON.stringify(bad))
    }
    assert.deepEqual(parseRemembered(new Uint8Array(64 * 1_024).fill(0x5b)), [])
    for (let i = 0; i < 200; i++) {
      assert.ok(Array.isArray(parseRemembered(crypto.getRandomValues(new Uint8Array(i * 7)))))
    }
  })
})
