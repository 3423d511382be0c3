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

export async function startRelay (dataDir: string, extra: Partial<TestNodeInit> = {}): Promise<Parley> {
  return startNode({ dataDir, relay: true, listen: [LOOPBACK_TCP, LOOPBACK_WS], ...extra })
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

/**
 * A relay and user nodes that know only the relay, as the integration tests use them. `start`
 * resolves once the relay has identified the node, since lookups of it go through the relay.
 * The relay holds no mail, so these tests see direct delivery and the outbox on their own
 * (test/integration/mailbox.spec.ts covers mailboxes).
 */
export class TestNetwork {
  relay!: Parley
  readonly running = new Set<Parley>()
  private readonly identified = new Set<string>()

  /** The relay holds no mail unless `hostsMail` */
  async startRelay (dataDir: string, hostsMail = false): Promise<Parley> {
    this.relay = await startRelay(dataDir, hostsMail ? {} : { mailboxHost: false })
    this.relay.node.addEventListener('peer:identify', evt => { this.identified.add(evt.detail.peerId.toString()) })
    this.relay.node.addEventListener('peer:disconnect', evt => { this.identified.delete(evt.detail.toString()) })
    return this.relay
  }

  async start (dataDir: string, extra: Partial<TestNodeInit> = {}): Promise<Parley> {
    const node = await startNode({ dataDir, bootstrap: this.relay.addresses(), ...extra })
    this.running.add(node)
    await connectedTo(node, this.relay.peerId)
    await until(this.relay.node, ['peer:identify'], () => this.identified.has(node.peerId.toString()), 20_000, 'the relay to identify the node')
    return node
  }

  async stop (node: Parley): Promise<void> {
    this.running.delete(node)
    await node.stop()
  }

  /** The running node kept in `dataDir` */
  node (dataDir: string): Parley {
    const found = [...this.running].find(n => n.dataDir === dataDir)
    if (found == null) throw new Error(`no running node for ${dataDir}`)
    return found
  }

  async stopAll (): Promise<void> {
    await Promise.all([...this.running].map(async n => this.stop(n)))
    await this.relay?.stop()
  }
}
