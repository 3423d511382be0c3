import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createConnectionGater, isPublicDialable } from '../../src/node/connection-gater.ts'
import type { PeerId } from '@libp2p/interface'

const RELAY = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const TARGET = '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'

const PRIVATE = {
  'IPv4 10/8': ['/ip4/10.0.0.1/tcp/4001', '/ip4/10.255.255.255/udp/1/quic-v1'],
  'IPv4 172.16/12': ['/ip4/172.16.0.1/tcp/1', '/ip4/172.31.255.255/tcp/1'],
  'IPv4 192.168/16': ['/ip4/192.168.0.1/tcp/1', '/ip4/192.168.178.20/tcp/80/ws'],
  'IPv4 loopback 127/8': ['/ip4/127.0.0.1/tcp/1', '/ip4/127.1.2.3/tcp/1'],
  'IPv4 link-local 169.254/16': ['/ip4/169.254.169.254/tcp/80'],
  'IPv4 unspecified and CGNAT': ['/ip4/0.0.0.0/tcp/1', '/ip4/100.64.0.1/tcp/1'],
  'IPv4 multicast': ['/ip4/224.0.0.251/udp/5353', '/ip4/239.255.255.250/udp/1900'],
  'IPv6 loopback and unspecified': ['/ip6/::1/tcp/1', '/ip6/0:0:0:0:0:0:0:1/tcp/1', '/ip6/::/tcp/1'],
  'IPv6 unique local fc00::/7': ['/ip6/fc00::1/tcp/1', '/ip6/fd00:1234::5/tcp/1'],
  'IPv6 link-local fe80::/10': ['/ip6/fe80::1/tcp/1', '/ip6/febf::1/tcp/1', '/ip6zone/eth0/ip6/fe80::1/tcp/1'],
  'IPv4-mapped IPv6': ['/ip6/::ffff:192.168.1.1/tcp/1', '/ip6/::ffff:127.0.0.1/tcp/1'],
  'localhost names': ['/dns4/localhost/tcp/1', '/dns/LOCALHOST./tcp/1', '/dns6/app.localhost/tcp/1'],
  'unix sockets': ['/unix/%2Fvar%2Frun%2Fdocker.sock']
}

const PUBLIC = [
  '/ip4/8.8.8.8/tcp/4001', '/ip4/1.1.1.1/udp/4001/quic-v1', '/ip4/11.0.0.1/tcp/1',
  '/ip4/172.15.255.255/tcp/1', '/ip4/172.32.0.1/tcp/1', '/ip4/192.169.0.1/tcp/1',
  '/ip4/169.255.0.1/tcp/1', `/ip4/8.8.4.4/tcp/4001/p2p/${TARGET}`,
  '/ip6/2606:4700:4700::1111/tcp/1', '/ip6/::ffff:8.8.8.8/tcp/1'
]

const DNS = [
  '/dns4/relay.example.org/tcp/4001', '/dns6/relay.example.org/tcp/443/wss',
  '/dns/relay.example.org/tcp/4001', '/dnsaddr/bootstrap.example.org', '/dns4/localhost.example.org/tcp/1'
]

describe('connection gater', () => {
  let peer: PeerId

  before(async () => {
    peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  })

  describe('isPublicDialable', () => {
    for (const [range, addrs] of Object.entries(PRIVATE)) {
      it(`refuses ${range}`, () => {
        for (const addr of addrs) {
          assert.equal(isPublicDialable(multiaddr(addr)), false, addr)
          assert.equal(isPublicDialable(multiaddr(`${addr}/p2p/${TARGET}`)), false, `${addr}/p2p/...`)
        }
      })
    }

    it('allows public IPs', () => {
      for (const addr of PUBLIC) {
        assert.equal(isPublicDialable(multiaddr(addr)), true, addr)
      }
    })

    it('allows DNS names', () => {
      for (const addr of DNS) {
        assert.equal(isPublicDialable(multiaddr(addr)), true, addr)
      }
    })

    it('allows addresses without a network host', () => {
      assert.equal(isPublicDialable(multiaddr(`/p2p/${TARGET}`)), true)
      assert.equal(isPublicDialable(multiaddr('/memory/node-a')), true)
    })

    it('judges circuit addresses by the relay part', () => {
      const circuit = (relay: string): boolean => isPublicDialable(multiaddr(`${relay}/p2p/${RELAY}/p2p-circuit/p2p/${TARGET}`))
      assert.equal(circuit('/ip4/8.8.8.8/tcp/4001'), true)
      assert.equal(circuit('/dns4/relay.example.org/tcp/443/wss'), true)
      assert.equal(circuit('/ip4/192.168.1.10/tcp/4001'), false)
      assert.equal(circuit('/ip4/127.0.0.1/tcp/4001'), false)
      assert.equal(circuit('/ip6/fe80::1/tcp/4001'), false)
      // a relay known only by its peer id is looked up in the peer store, whose addresses are gated
      assert.equal(isPublicDialable(multiaddr(`/p2p/${RELAY}/p2p-circuit/p2p/${TARGET}`)), true)
      // with a browser-to-browser WebRTC suffix, still the relay's address decides
      assert.equal(isPublicDialable(multiaddr(`/ip4/10.0.0.1/tcp/4001/p2p/${RELAY}/p2p-circuit/webrtc/p2p/${TARGET}`)), false)
    })
  })

  describe('createConnectionGater', () => {
    it('without lan, denies dialing and storing private addresses', async () => {
      const gater = createConnectionGater({ lan: false })
      for (const addrs of Object.values(PRIVATE)) {
        for (const addr of addrs) {
          assert.equal(await gater.denyDialMultiaddr?.(multiaddr(addr)), true, addr)
          assert.equal(await gater.filterMultiaddrForPeer?.(peer, multiaddr(addr)), false, addr)
        }
      }
      const relayed = multiaddr(`/ip4/192.168.1.10/tcp/4001/p2p/${RELAY}/p2p-circuit/p2p/${TARGET}`)
      assert.equal(await gater.denyDialMultiaddr?.(relayed), true)
      assert.equal(await gater.filterMultiaddrForPeer?.(peer, relayed), false)
    })

    it('without lan, allows public addresses and DNS names', async () => {
      const gater = createConnectionGater({ lan: false })
      for (const addr of [...PUBLIC, ...DNS, `/ip4/8.8.8.8/tcp/4001/p2p/${RELAY}/p2p-circuit/p2p/${TARGET}`]) {
        assert.equal(await gater.denyDialMultiaddr?.(multiaddr(addr)), false, addr)
        assert.equal(await gater.filterMultiaddrForPeer?.(peer, multiaddr(addr)), true, addr)
      }
    })

    it('with lan, allows everything', async () => {
      const gater = createConnectionGater({ lan: true })
      for (const addr of [...Object.values(PRIVATE).flat(), ...PUBLIC, ...DNS]) {
        assert.equal(await gater.denyDialMultiaddr?.(multiaddr(addr)), false, addr)
        assert.equal(await gater.filterMultiaddrForPeer?.(peer, multiaddr(addr)), true, addr)
      }
    })
  })
})
