import assert from 'node:assert/strict'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describeConnection, reachability } from '../../src/browser/status.ts'
import type { Connection } from '@libp2p/interface'

const RELAY = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const PEER = '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'

/** Only the fields the status panel reads */
function conn (address: string, limited: boolean): Connection {
  return { remoteAddr: multiaddr(address), remotePeer: peerIdFromString(PEER), limits: limited ? { seconds: 120 } : undefined } as unknown as Connection
}

describe('connection status panel: direct or relayed', () => {
  for (const [address, limited, kind, transport] of [
    [`/ip4/127.0.0.1/tcp/4002/ws/p2p/${RELAY}/p2p-circuit/p2p/${PEER}`, true, 'relayed', 'circuit-relay'],
    // the dialer of a WebRTC connection sees the relay that carried its signalling in the address
    [`/ip4/127.0.0.1/tcp/4002/ws/p2p/${RELAY}/p2p-circuit/webrtc/p2p/${PEER}`, false, 'direct', 'webrtc'],
    [`/webrtc/p2p/${PEER}`, false, 'direct', 'webrtc'],
    [`/ip4/203.0.113.7/udp/4003/webrtc-direct/certhash/uEiAKvCJn0BlN4ulwGBEthXusmPL9nqyfZ61o22ls2_6Yvg/p2p/${PEER}`, false, 'direct', 'webrtc-direct'],
    ['/ip4/127.0.0.1/tcp/4002/ws', false, 'direct', 'websockets'],
    ['/dns4/relay.example.org/tcp/443/wss', false, 'direct', 'websockets'],
    ['/ip4/127.0.0.1/tcp/4001', false, 'direct', 'tcp']
  ] as const) {
    it(`${address} is ${kind} (${transport})`, () => {
      const info = describeConnection(conn(address, limited))
      assert.equal(info.kind, kind)
      assert.equal(info.transport, transport)
      assert.equal(info.peerId, PEER)
    })
  }
})

describe('connection status dot', () => {
  const peer = { peerId: PEER, address: '/ip4/127.0.0.1/tcp/4002/ws', kind: 'direct' as const, transport: 'websockets' }
  it('is reachable with a reservation, connecting with connections only, offline with none', () => {
    assert.equal(reachability({ addresses: [], reservations: [RELAY], peers: [peer] }), 'reachable')
    assert.equal(reachability({ addresses: [], reservations: [], peers: [peer] }), 'connecting')
    assert.equal(reachability({ addresses: [], reservations: [], peers: [] }), 'offline')
  })
})
