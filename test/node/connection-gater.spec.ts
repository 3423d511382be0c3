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
  'IPv4-mapped IPv6': ['/ip6/::ffff:192.168.1.1/tcp/1', '/ip6/::ffff:127.0.0.1/tcp/1', '/ip6/0:0:0:0:0:ffff:a00:1/tcp/1'],
  // a NAT64 gateway turns these into the embedded IPv4 (RFC 6052), here 10.0.0.1, 127.0.0.1, 192.168.1.1
  'NAT64 64:ff9b::/96 with a private IPv4': ['/ip6/64:ff9b::a00:1/tcp/1', '/ip6/64:ff9b::127.0.0.1/tcp/1', '/ip6/64:ff9b::c0a8:101/tcp/1'],
  // RFC 8215: translated into whatever the local operator chose, public IPv4 or not
  'NAT64 local-use 64:ff9b:1::/48': ['/ip6/64:ff9b:1::808:808/tcp/1', '/ip6/64:ff9b:1:ffff::a00:1/tcp/1'],
  // deprecated forms with an IPv4 in the low 32 bits (RFC 4291 2.5.5.1, RFC 2765), never global
  'IPv4-compatible and IPv4-translated IPv6': ['/ip6/::a00:1/tcp/1', '/ip6/::7f00:1/tcp/1', '/ip6/::808:808/tcp/1', '/ip6/::ffff:0:a00:1/tcp/1'],
  'IPv6 outside global unicast 2000::/3': ['/ip6/100::1/tcp/1', '/ip6/5f00::1/tcp/1', '/ip6/4000::1/tcp/1'],
  'localhost names': ['/dns4/localhost/tcp/1', '/dns/LOCALHOST./tcp/1', '/dns6/app.localhost/tcp/1'],
  // the OS parses these as addresses (inet_aton's forms included) and sends no DNS query at all
  'DNS names that are IP literals': ['/dns4/127.0.0.1/tcp/1', '/dns4/10.1/tcp/1', '/dns/2130706433/tcp/1', '/dns4/0x7f.1/tcp/1', '/dns6/::1/tcp/1'],
  // a name the URL parser (WebSockets) and getaddrinfo (TCP) would read differently
  'names with more than letters, digits, -, _ and dots': ['/dns4/r%65lay.example.org/tcp/1', '/dns/relay.exämple.org/tcp/443/wss'],
  'unix sockets': ['/unix/%2Fvar%2Frun%2Fdocker.sock']
}

const PUBLIC = [
  '/ip4/8.8.8.8/tcp/4001', '/ip4/1.1.1.1/udp/4001/quic-v1', '/ip4/11.0.0.1/tcp/1',
  '/ip4/172.15.255.255/tcp/1', '/ip4/172.32.0.1/tcp/1', '/ip4/192.169.0.1/tcp/1',
  '/ip4/169.255.0.1/tcp/1', `/ip4/8.8.4.4/tcp/4001/p2p/${TARGET}`,
  '/ip6/2606:4700:4700::1111/tcp/1', '/ip6/::ffff:8.8.8.8/tcp/1',
  // how an IPv6-only host behind NAT64 reaches a public IPv4 (8.8.8.8)
  '/ip6/64:ff9b::808:808/tcp/1', '/ip6/64:ff9b::8.8.8.8/tcp/1'
]

const DNS = [
  '/dns4/relay.example.org/tcp/4001', '/dns6/relay.example.org/tcp/443/wss',
  '/dns/relay.example.org/tcp/4001', '/dnsaddr/bootstrap.example.org', '/dns4/localhost.example.org/tcp/1'
]

/** A resolver for which every name is a public host, so no test here sends a DNS query */
const publicLookup = async (): Promise<string[]> => ['8.8.8.8']

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
      // even where every name resolved to a public address: these are refused for what they say
      const gater = createConnectionGater({ lan: false, lookupHost: publicLookup })
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

    it('without lan, allows public addresses and DNS names that resolve to public addresses', async () => {
      const gater = createConnectionGater({ lan: false, lookupHost: publicLookup })
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

  describe('DNS names, resolved before dialing', () => {
    /** What a DNS server under an attacker's control, or a wildcard service like nip.io, could answer */
    const ANSWERS: Record<string, string[]> = {
      'relay.example.org': ['8.8.8.8', '2606:4700:4700::1111'],
      'loopback.example.org': ['127.0.0.1'],
      'router.example.org': ['192.168.1.1'],
      'metadata.example.org': ['169.254.169.254'],
      'ula.example.org': ['fd00::5'],
      // a public A record, but net.connect tries the AAAA answers too, whatever /dns4 says
      'mixed.example.org': ['8.8.4.4', '::1'],
      'nat64.example.org': ['64:ff9b::a00:1'],
      'empty.example.org': []
    }
    let asked: string[]

    /** The injected resolver: answers from ANSWERS, ENOTFOUND otherwise, and never touches DNS */
    const lookupHost = async (name: string): Promise<string[]> => {
      asked.push(name)
      const answer = ANSWERS[name]
      if (answer == null) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' })
      return answer
    }

    beforeEach(() => { asked = [] })

    it('without lan, denies dialing a name that resolves to a local address', async () => {
      const gater = createConnectionGater({ lan: false, lookupHost })
      for (const name of ['loopback', 'router', 'metadata', 'ula', 'mixed', 'nat64']) {
        for (const addr of [`/dns4/${name}.example.org/tcp/4001`, `/dns6/${name}.example.org/tcp/443/wss`, `/dns/${name}.example.org/tcp/1/p2p/${TARGET}`]) {
          assert.equal(await gater.denyDialMultiaddr?.(multiaddr(addr)), true, addr)
        }
      }
      // through a relay whose name points into the LAN
      assert.equal(await gater.denyDialMultiaddr?.(multiaddr(`/dns4/router.example.org/tcp/4001/p2p/${RELAY}/p2p-circuit/p2p/${TARGET}`)), true)
    })

    it('without lan, dials a name that resolves only to public addresses', async () => {
      const gater = createConnectionGater({ lan: false, lookupHost })
      for (const addr of ['/dns4/relay.example.org/tcp/4001', `/dns/relay.example.org/tcp/443/wss/p2p/${TARGET}`, `/dns4/relay.example.org/tcp/4001/p2p/${RELAY}/p2p-circuit/p2p/${TARGET}`]) {
        assert.equal(await gater.denyDialMultiaddr?.(multiaddr(addr)), false, addr)
      }
      assert.deepEqual(new Set(asked), new Set(['relay.example.org']))
    })

    it('without lan, denies a name that does not resolve, resolves to nothing, or too slowly', async () => {
      const slow = async (): Promise<string[]> => new Promise(() => {})
      assert.equal(await createConnectionGater({ lan: false, lookupHost }).denyDialMultiaddr?.(multiaddr('/dns4/unknown.example.org/tcp/1')), true)
      assert.equal(await createConnectionGater({ lan: false, lookupHost }).denyDialMultiaddr?.(multiaddr('/dns4/empty.example.org/tcp/1')), true)
      const started = Date.now()
      assert.equal(await createConnectionGater({ lan: false, lookupHost: slow, lookupTimeoutMs: 50 }).denyDialMultiaddr?.(multiaddr('/dns4/relay.example.org/tcp/1')), true)
      assert.ok(Date.now() - started < 2_000, 'waited for the lookup past its timeout')
    })

    it('stores names without resolving them, and resolves nothing in LAN mode or for dnsaddr', async () => {
      // a peer's identify or DHT record must not make the node look up names of the peer's choosing
      const gater = createConnectionGater({ lan: false, lookupHost })
      assert.equal(await gater.filterMultiaddrForPeer?.(peer, multiaddr('/dns4/loopback.example.org/tcp/1')), true)
      // libp2p resolves /dnsaddr itself before asking the gater (dial-queue calculateMultiaddrs)
      assert.equal(await gater.denyDialMultiaddr?.(multiaddr('/dnsaddr/bootstrap.example.org')), false)
      const lan = createConnectionGater({ lan: true, lookupHost })
      assert.equal(await lan.denyDialMultiaddr?.(multiaddr('/dns4/loopback.example.org/tcp/1')), false)
      assert.deepEqual(asked, [])
    })
  })
})
