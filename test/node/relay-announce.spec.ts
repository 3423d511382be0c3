import assert from 'node:assert/strict'
import { relayPublicAddresses } from '../../src/node/relay-announce.ts'
import { RELAY_LISTEN } from '../../src/node/constants.ts'
import type { NetworkInterfaceInfo } from 'node:os'

function nic (address: string, internal = false): NetworkInterfaceInfo {
  const family = address.includes(':') ? 'IPv6' : 'IPv4'
  return { address, family, internal, netmask: '', mac: '00:00:00:00:00:00', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) } as NetworkInterfaceInfo
}

const MACHINE = {
  lo: [nic('127.0.0.1', true), nic('::1', true)],
  eth0: [nic('11.0.0.1'), nic('fe80::1'), nic('2a01:4f8::7')],
  eth1: [nic('192.168.1.5'), nic('fd00::5'), nic('100.64.3.2')]
}

describe('a relay\'s public addresses', () => {
  it('are the default listeners on every public IP of the machine, nothing private, loopback or link-local', () => {
    assert.deepEqual(relayPublicAddresses(RELAY_LISTEN, MACHINE), [
      '/ip4/11.0.0.1/tcp/4001',
      '/ip6/2a01:4f8::7/tcp/4001',
      '/ip4/11.0.0.1/tcp/4002/ws',
      '/ip6/2a01:4f8::7/tcp/4002/ws',
      '/ip4/11.0.0.1/udp/4003/webrtc-direct',
      '/ip6/2a01:4f8::7/udp/4003/webrtc-direct'
    ])
  })

  it('keep a public listen address as it is and leave out private ones, random ports and circuit listeners', () => {
    assert.deepEqual(relayPublicAddresses([
      '/ip4/11.0.0.9/tcp/4001', '/ip4/10.0.0.1/tcp/4001', '/ip4/0.0.0.0/tcp/0', '/p2p-circuit', '/webrtc'
    ], MACHINE), ['/ip4/11.0.0.9/tcp/4001'])
  })

  it('are none on a machine with private addresses only (a relay on a LAN or loopback)', () => {
    assert.deepEqual(relayPublicAddresses(RELAY_LISTEN, { lo: MACHINE.lo, eth1: MACHINE.eth1 }), [])
  })
})
