import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { TypedEventEmitter } from 'main-event'
import { createConnectionGater } from '../../src/node/connection-gater.ts'
import { INBOUND_CONNECTIONS_PER_IP_PER_S } from '../../src/node/constants.ts'
import type { MultiaddrConnection } from '@libp2p/interface'

const RELAY = '/ip4/203.0.113.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA/p2p-circuit'

/** An inbound connection as the gater sees it, upgraded at once (so it holds no pending slot) */
function inbound (address: string): MultiaddrConnection {
  return Object.assign(new TypedEventEmitter(), { remoteAddr: multiaddr(address) }) as any
}

describe('new inbound connections per IP per second (outside LAN mode)', () => {
  it(`refuses a direct source's connection past ${INBOUND_CONNECTIONS_PER_IP_PER_S} in a second`, async () => {
    const gater = createConnectionGater({ lan: false })
    const verdicts: boolean[] = []
    for (let i = 0; i <= INBOUND_CONNECTIONS_PER_IP_PER_S; i++) {
      const conn = inbound(`/ip4/203.0.113.9/tcp/${1000 + i}`)
      verdicts.push(await gater.denyInboundConnection!(conn) === true)
      await gater.denyInboundUpgradedConnection!({} as any, conn)
    }
    assert.deepEqual(verdicts, [...new Array(INBOUND_CONNECTIONS_PER_IP_PER_S).fill(false), true])
  })

  it('does not count relayed connections against their relay\'s IP', async () => {
    // a NATted user reached by many peers at once through its relay
    const gater = createConnectionGater({ lan: false })
    for (let i = 0; i < INBOUND_CONNECTIONS_PER_IP_PER_S * 4; i++) {
      const conn = inbound(RELAY)
      assert.equal(await gater.denyInboundConnection!(conn), false, `relayed connection ${i + 1} refused`)
      await gater.denyInboundUpgradedConnection!({} as any, conn)
    }
  })
})

describe('libp2p\'s own per-IP limit', () => {
  it('never bites a node outside LAN mode: it would count relayed connections against the relay\'s IP', async () => {
    const { createParleyNode } = await import('../../src/node/create-node.ts')
    const { generateKeyPair } = await import('@libp2p/crypto/keys')
    const node = await createParleyNode({ privateKey: await generateKeyPair('Ed25519'), lan: false, listen: [] } as any)
    // (libp2p 3.3: DefaultConnectionManager.inboundConnectionRateLimiter; not a public API)
    const limiter = (node as any).components.connectionManager.inboundConnectionRateLimiter
    assert.ok(limiter.points >= 1_000, `libp2p refuses past ${limiter.points} connections a second per IP`)
  })
})
