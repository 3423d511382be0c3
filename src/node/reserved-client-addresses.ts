import { multiaddr } from '@multiformats/multiaddr'
import type { ComponentLogger, Libp2pEvents, Logger, PeerUpdate, Startable, TypedEventTarget } from '@libp2p/interface'
import type { AddressManager } from '@libp2p/interface-internal'
import type { PeerStore } from '@libp2p/interface'

/**
 * The tag @libp2p/circuit-relay-v2's server puts on a peer once it grants it a reservation
 * (`RELAY_SOURCE_TAG`, not exported by the package)
 */
export const RELAY_SOURCE_TAG = 'circuit-relay-source'

export interface ReservedClientAddressesComponents {
  addressManager: AddressManager
  peerStore: PeerStore
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

/**
 * On a relay: a peer granted a reservation is reachable at once through this relay's addresses,
 * and the peer store says so from that moment.
 *
 * A user behind a NAT is found by asking its relay, which answers a lookup (a DHT FIND_NODE)
 * with what its peer store holds. The relay otherwise learns the user's relayed address only
 * from the user's identify push, which comes a second or more after the reservation (the
 * user's address manager waits that long before announcing a change); a message sent to the
 * user meanwhile found no address and went to its mailbox with both users online. The relay's
 * identify of the user, answered before the reservation, can also land after it and replace
 * the user's addresses with the list it had then: so the relayed addresses are put back on any
 * update that drops them while the reservation holds.
 */
class ReservedClientAddresses implements Startable {
  private readonly log: Logger
  private readonly onPeerUpdate = (evt: CustomEvent<PeerUpdate>): void => {
    const { peer } = evt.detail
    if (!peer.tags.has(RELAY_SOURCE_TAG)) return
    this.addRelayedAddresses(peer).catch(err => { this.log.error('could not note the relayed addresses of %p - %e', peer.id, err) })
  }

  constructor (private readonly components: ReservedClientAddressesComponents) {
    this.log = components.logger.forComponent('parley:relay:reserved-addresses')
  }

  start (): void {
    this.components.events.addEventListener('peer:update', this.onPeerUpdate)
  }

  stop (): void {
    this.components.events.removeEventListener('peer:update', this.onPeerUpdate)
  }

  private async addRelayedAddresses (peer: PeerUpdate['peer']): Promise<void> {
    const known = new Set(peer.addresses.map(a => a.multiaddr.toString()))
    const relayed = this.components.addressManager.getAddresses()
      .map(own => own.toString())
      .filter(own => !own.includes('/p2p-circuit'))
      .map(own => `${own}/p2p-circuit`)
      .filter(address => !known.has(address))
    if (relayed.length === 0) return
    this.log('%p holds a reservation: reachable at %s', peer.id, relayed.join(' '))
    await this.components.peerStore.merge(peer.id, { multiaddrs: relayed.map(a => multiaddr(a)) })
  }
}

export function reservedClientAddresses (): (components: ReservedClientAddressesComponents) => Startable {
  return components => new ReservedClientAddresses(components)
}
