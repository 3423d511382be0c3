import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { chooseNetworkMode } from '../../src/node/network-mode.ts'
import type { NetworkModeInput } from '../../src/node/network-mode.ts'

const A = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const B = '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'

const LOCAL = [
  '/ip4/10.1.2.3/tcp/1', '/ip4/172.16.0.1/tcp/1', '/ip4/172.31.255.254/tcp/1',
  '/ip4/192.168.1.1/tcp/1', '/ip4/127.0.0.1/tcp/1', '/ip4/169.254.1.1/tcp/1',
  '/ip6/::1/tcp/1', '/ip6/fc00::1/tcp/1', '/ip6/fd12:3456::1/tcp/1', '/ip6/fe80::1/tcp/1',
  '/memory/relay', `/ip4/127.0.0.1/tcp/4001/p2p/${A}`, '/dns4/localhost/tcp/1',
  `/ip4/192.168.1.1/tcp/1/p2p/${A}/p2p-circuit/p2p/${B}`
]
const PUBLIC = [
  '/ip4/8.8.8.8/tcp/1', '/ip4/172.32.0.1/tcp/1', '/ip4/11.0.0.1/tcp/1', '/ip6/2606:4700::1111/tcp/1',
  '/dns4/relay.example.org/tcp/1', '/dnsaddr/bootstrap.example.org',
  `/ip4/8.8.8.8/tcp/1/p2p/${A}/p2p-circuit/p2p/${B}`
]

function mode (bootstrap: string[], rest: Omit<NetworkModeInput, 'bootstrap'> = { relay: false }): ReturnType<typeof chooseNetworkMode> {
  return chooseNetworkMode({ bootstrap: bootstrap.map(a => multiaddr(a)), ...rest })
}

describe('chooseNetworkMode', () => {
  it('a relay with no bootstrap nodes is public, with mDNS off, and says so', () => {
    const m = mode([], { relay: true })
    assert.equal(m.lan, false)
    assert.equal(m.mdns, false)
    assert.match(m.reason, /^public mode: a relay with no bootstrap nodes/)
  })

  it('a user node with no bootstrap nodes is in LAN mode with mDNS, since only local peers exist for it', () => {
    const m = mode([])
    assert.equal(m.lan, true)
    assert.equal(m.mdns, true)
    assert.match(m.reason, /^LAN mode: no bootstrap nodes/)
  })

  it('is LAN mode with mDNS when every bootstrap address is private, loopback, link-local or in-memory', () => {
    for (const addr of LOCAL) {
      for (const relay of [false, true]) {
        const m = mode([addr], { relay })
        assert.deepEqual([m.lan, m.mdns], [true, true], addr)
        assert.match(m.reason, /every bootstrap node is on a private or loopback address; mDNS on$/)
      }
    }
    assert.equal(mode(['/ip4/127.0.0.1/tcp/1', '/ip4/10.0.0.1/tcp/1', '/memory/x']).lan, true)
  })

  it('is public mode with mDNS off when any bootstrap address is public or a DNS name', () => {
    for (const addr of PUBLIC) {
      for (const list of [[addr], ['/ip4/127.0.0.1/tcp/1', addr]]) {
        const m = mode(list)
        assert.deepEqual([m.lan, m.mdns], [false, false], addr)
        assert.equal(m.reason, 'public mode: a bootstrap node is public; mDNS off')
      }
    }
  })

  it('--lan gives LAN mode whatever the list, but mDNS stays off while a bootstrap node is public', () => {
    assert.deepEqual(mode(PUBLIC.slice(0, 1), { relay: false, lan: true }), { lan: true, mdns: false, reason: 'LAN mode (--lan); mDNS off' })
    assert.deepEqual(mode([], { relay: true, lan: true }), { lan: true, mdns: true, reason: 'LAN mode (--lan); mDNS on' })
  })

  it('--mdns and --no-mdns override the default either way', () => {
    assert.equal(mode(PUBLIC.slice(0, 1), { relay: false, mdns: true }).mdns, true)
    assert.equal(mode([], { relay: false, mdns: false }).mdns, false)
    assert.equal(mode(LOCAL.slice(0, 1), { relay: true, mdns: false }).mdns, false)
  })
})
