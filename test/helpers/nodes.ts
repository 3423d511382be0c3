import { createParley } from '../../src/parley.ts'
import { until } from './events.ts'
import type { Parley, ParleyInit } from '../../src/parley.ts'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Loopback only: tests never send traffic anywhere else */
export const LOOPBACK_TCP = '/ip4/127.0.0.1/tcp/0'
export const LOOPBACK_WS = '/ip4/127.0.0.1/tcp/0/ws'

export type TestNodeInit = Partial<ParleyInit> & { dataDir: string }

/** A real Parley node on loopback in LAN mode, with mDNS off */
export async function startNode (init: TestNodeInit): Promise<Parley> {
  return createParley({
    listen: [LOOPBACK_TCP],
    lan: true,
    mdns: false,
    ...init
  })
}

export async function startRelay (dataDir: string): Promise<Parley> {
  return startNode({ dataDir, relay: true, listen: [LOOPBACK_TCP, LOOPBACK_WS] })
}

/** Resolves once `node` has an open connection to `peer` on which identify has run */
export async function connectedTo (node: Parley, peer: PeerId): Promise<void> {
  await until(node.node, ['peer:identify', 'connection:open'], () => node.node.getConnections(peer).length > 0, 20_000, `a connection to ${peer}`)
}

/** Resolves once the node holds a circuit relay reservation (it has a /p2p-circuit address) */
export async function hasRelayAddress (node: Parley): Promise<Multiaddr[]> {
  await until(node.node, ['self:peer:update'], () => relayAddresses(node).length > 0, 20_000, 'a relay reservation')
  return relayAddresses(node)
}

function relayAddresses (node: Parley): Multiaddr[] {
  return node.addresses().filter(ma => ma.toString().includes('/p2p-circuit'))
}
