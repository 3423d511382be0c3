import { KEEP_ALIVE } from '@libp2p/interface'
import type { ComponentLogger, Libp2pEvents, Logger, PeerStore, PeerUpdate, Startable, TypedEventTarget } from '@libp2p/interface'

/** The tag @libp2p/kad-dht (16.x, routing-table/closest-peers.ts) puts on its closest peers */
export const DHT_KEEP_ALIVE_TAG = `${KEEP_ALIVE}-kad-dht`

export interface DHTKeepAliveComponents {
  events: TypedEventTarget<Libp2pEvents>
  peerStore: PeerStore
  logger: ComponentLogger
}

export interface DHTKeepAliveInit {
  /** The DHT protocols; a peer that supports none of them is not kept alive for a DHT's sake */
  protocols: string[]
}

/**
 * Takes kad-dht's keep-alive tag off peers that do not serve a DHT of this node's.
 *
 * kad-dht tags the 20 closest peers it has pinged with `keep-alive-kad-dht`, and libp2p redials a
 * peer so tagged whenever its connection closes. A user behind a NAT, a DHT client, got into
 * others' routing tables (it is a "closer peer" in a relay's answers, and the routing table
 * pings it before adding it, over the relayed connection), so two users behind NATs that had
 * met were redialled through their relay for good: each time the relay's 2-minute limit closed
 * the relayed connection, a new one, and on it identify, pings and another round of
 * hole-punching attempts, about 450 packets a minute on an idle user's link to its relay. Only
 * a peer that serves the DHT is worth keeping a connection to for the DHT.
 */
class DHTKeepAlive implements Startable {
  private readonly log: Logger
  private readonly protocols: Set<string>
  /** Updates are handled one after another: an untag is itself a peer store update */
  private handled: Promise<void> = Promise.resolve()
  private readonly onUpdate = (evt: CustomEvent<PeerUpdate>): void => {
    const { peer } = evt.detail
    if (!peer.tags.has(DHT_KEEP_ALIVE_TAG) || peer.protocols.some(p => this.protocols.has(p))) return
    this.handled = this.handled.then(async () => {
      await this.components.peerStore.merge(peer.id, { tags: { [DHT_KEEP_ALIVE_TAG]: undefined } })
      this.log('%p serves no DHT: not kept alive', peer.id)
    }).catch((err: any) => { this.log.error('could not untag %p - %e', peer.id, err) })
  }

  constructor (private readonly components: DHTKeepAliveComponents, init: DHTKeepAliveInit) {
    this.log = components.logger.forComponent('parley:dht-keep-alive')
    this.protocols = new Set(init.protocols)
  }

  start (): void {
    this.components.events.addEventListener('peer:update', this.onUpdate)
  }

  async stop (): Promise<void> {
    this.components.events.removeEventListener('peer:update', this.onUpdate)
    await this.handled
  }
}

export function dhtKeepAliveForServersOnly (init: DHTKeepAliveInit): (components: DHTKeepAliveComponents) => Startable {
  return (components) => new DHTKeepAlive(components, init)
}
