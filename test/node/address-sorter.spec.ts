import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { dialOrder } from '../../src/node/address-sorter.ts'

const R = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const B = '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'

function sorted (addrs: string[]): string[] {
  return addrs.map(a => ({ multiaddr: multiaddr(a), isCertified: false })).sort(dialOrder).map(a => a.multiaddr.toString())
}

describe('dial order', () => {
  it('dials a plain relayed address before WebRTC signalled through a relay', () => {
    const webrtc = `/ip4/11.0.0.1/tcp/4001/p2p/${R}/p2p-circuit/webrtc/p2p/${B}`
    const webrtcWs = `/ip4/11.0.0.1/tcp/4002/ws/p2p/${R}/p2p-circuit/webrtc/p2p/${B}`
    const relayed = `/ip4/11.0.0.1/tcp/4001/p2p/${R}/p2p-circuit/p2p/${B}`
    assert.deepEqual(sorted([webrtc, webrtcWs, relayed]).slice(0, 1), [relayed])
    assert.deepEqual(sorted([webrtcWs, relayed, webrtc]).at(0), relayed)
  })

  it('keeps libp2p\'s order otherwise: public direct addresses first, relayed next, loopback last', () => {
    const direct = `/ip4/11.0.0.5/tcp/4001/p2p/${B}`
    const relayed = `/ip4/11.0.0.1/tcp/4001/p2p/${R}/p2p-circuit/p2p/${B}`
    const loopback = `/ip4/127.0.0.1/tcp/4001/p2p/${B}`
    const webrtc = `/ip4/11.0.0.1/tcp/4001/p2p/${R}/p2p-circuit/webrtc/p2p/${B}`
    assert.deepEqual(sorted([loopback, webrtc, relayed, direct]), [direct, relayed, webrtc, loopback])
  })
})
