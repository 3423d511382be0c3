import { isPrivate } from '@libp2p/utils'
import type { ComponentLogger, Libp2pEvents, Logger, PeerUpdate, Startable, TypedEventTarget } from '@libp2p/interface'
import type { KadDHT } from '@libp2p/kad-dht'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface DhtModeComponents {
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
  /** The main DHT, registered as the `dht` service */
  dht: KadDHT
}

/**
 * True when one of `addrs` can be dialled directly from the internet: an IP address that is not
 * private, reached neither through a relay (`/p2p-circuit`) nor by WebRTC signalled through one.
 */
export function hasPublicDirectAddress (addrs: Multiaddr[]): boolean {
  return addrs.some(ma => {
    const names = ma.getComponents().map(c => c.name)
    return (names[0] === 'ip4' || names[0] === 'ip6') && !names.includes('p2p-circuit') && !isPrivate(ma)
  })
}

/**
 * Keeps a user node a DHT client until the internet can dial it directly, and a server while it
 * can. kad-dht's own automatic mode makes a node a server as soon as its addresses include any
 * that is not private and not a plain circuit address, and a NATted node's
 * `/p2p-circuit/webrtc` address is such an address (kad-dht 16, `onSelfPeerUpdate`): every
 * node behind a NAT holding a relay reservation became a server, and others' queries and pings
 * then reached it through the relay. A public address is in the node's own record only once
 * autonat has confirmed it, so this follows autonat's verdict.
 */
class DhtMode implements Startable {
  private readonly log: Logger
  private readonly onUpdate = (evt: CustomEvent<PeerUpdate>): void => {
    const want = hasPublicDirectAddress(evt.detail.peer.addresses.map(a => a.multiaddr)) ? 'server' : 'client'
    if (this.components.dht.getMode() === want) return
    this.log('now a DHT %s', want)
    this.components.dht.setMode(want).catch(err => { this.log.error('could not switch the DHT to %s mode - %e', want, err) })
  }

  constructor (private readonly components: DhtModeComponents) {
    this.log = components.logger.forComponent('parley:dht-mode')
  }

  start (): void {
    this.components.events.addEventListener('self:peer:update', this.onUpdate)
  }

  stop (): void {
    this.components.events.removeEventListener('self:peer:update', this.onUpdate)
  }
}

export function dhtModeByReachability (): (components: DhtModeComponents) => Startable {
  return (components) => new DhtMode(components)
}
