import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { isLanAnnounceable, lanAnnounceComponents } from '../../src/node/lan-announce.ts'
import type { AddressLister } from '../../src/node/lan-announce.ts'

const R = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const ME = '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'

const LAN = [
  `/ip4/192.168.1.20/tcp/4001/p2p/${ME}`, `/ip4/10.0.0.5/tcp/1234/ws/p2p/${ME}`,
  `/ip6/fd12:3456::1/tcp/1/p2p/${ME}`, `/ip4/172.16.0.9/udp/4003/webrtc-direct/p2p/${ME}`
]
const NOT_LAN = [
  `/ip4/127.0.0.1/tcp/4001/p2p/${ME}`, `/ip6/::1/tcp/4001/p2p/${ME}`,
  `/ip4/169.254.3.4/tcp/1/p2p/${ME}`, `/ip6/fe80::1/tcp/1/p2p/${ME}`,
  `/ip4/192.168.1.1/tcp/4001/p2p/${R}/p2p-circuit/p2p/${ME}`,
  `/ip4/192.168.1.1/tcp/4001/p2p/${R}/p2p-circuit/webrtc/p2p/${ME}`,
  `/ip4/11.0.0.1/tcp/4001/p2p/${R}/p2p-circuit/p2p/${ME}`,
  // a public address is for the internet, and mDNS would not announce it anyway
  `/ip4/11.0.0.9/tcp/4001/p2p/${ME}`
]

describe('mDNS announcements', () => {
  it('keep private addresses LAN peers can dial', () => {
    for (const a of LAN) assert.equal(isLanAnnounceable(multiaddr(a)), true, a)
  })

  it('leave out loopback, link-local and circuit addresses', () => {
    for (const a of NOT_LAN) assert.equal(isLanAnnounceable(multiaddr(a)), false, a)
  })

  it('mDNS sees only the announceable addresses; everything else of the components is unchanged', () => {
    const all = [...LAN, ...NOT_LAN].map(a => multiaddr(a))
    const addressManager = {
      getAddresses: () => all,
      getListenAddrs: () => all,
      self: 'the address manager'
    } as AddressLister & { getListenAddrs(): unknown[], self: string }
    const logger = { forComponent: () => {} }
    const seen = lanAnnounceComponents({ addressManager, logger })
    assert.deepEqual(seen.addressManager.getAddresses().map(String), LAN)
    assert.equal(seen.addressManager.getListenAddrs().length, all.length)
    assert.equal((seen.addressManager as typeof addressManager).self, 'the address manager')
    assert.equal(seen.logger, logger)
  })
})
