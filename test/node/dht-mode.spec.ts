import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { hasPublicDirectAddress } from '../../src/node/dht-mode.ts'

const R = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const ME = '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'
const has = (...addrs: string[]): boolean => hasPublicDirectAddress(addrs.map(a => multiaddr(a)))

describe('DHT server only when dialable from the internet', () => {
  it('a confirmed public IP address makes a node dialable', () => {
    assert.equal(has(`/ip4/11.0.0.7/tcp/4001/p2p/${ME}`), true)
    assert.equal(has(`/ip6/2a01:4f8::7/tcp/4001/p2p/${ME}`), true)
  })

  it('a NATted node with a relay reservation is not: circuit and signalled WebRTC addresses do not count', () => {
    assert.equal(has(
      `/ip4/192.168.1.2/tcp/4001/p2p/${ME}`,
      `/ip4/127.0.0.1/tcp/4001/p2p/${ME}`,
      `/ip4/11.0.0.1/tcp/4001/p2p/${R}/p2p-circuit/p2p/${ME}`,
      `/ip4/11.0.0.1/tcp/4001/p2p/${R}/p2p-circuit/webrtc/p2p/${ME}`
    ), false)
    assert.equal(has(), false)
  })
})
