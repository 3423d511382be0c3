import { isLinkLocal, isLoopback, isPrivate } from '@libp2p/utils'
import { withComponents, withMethods } from './components-view.ts'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * True for an address another machine on the local network can dial: a private IP that is
 * neither loopback nor link-local (which needs a zone the peer cannot know), and not a circuit
 * address (which names the relay the node uses, and reaches it only through that relay).
 */
export function isLanAnnounceable (ma: Multiaddr): boolean {
  return isPrivate(ma) && !isLoopback(ma) && !isLinkLocal(ma) && !isCircuit(ma)
}

/** The part of libp2p's address manager that mDNS reads */
export interface AddressLister {
  getAddresses(): Multiaddr[]
}

/** Any address through a relay, `/p2p-circuit/webrtc` (signalled through it) included */
function isCircuit (ma: Multiaddr): boolean {
  return ma.getComponents().some(c => c.name === 'p2p-circuit')
}

/**
 * The components a LAN discovery service is built from, with an address manager that reports
 * only the addresses in `isLanAnnounceable`. @libp2p/mdns answers every query with all of
 * `addressManager.getAddresses()` it counts as private, which includes loopback and the
 * `/p2p-circuit` addresses naming the node's relay: the whole local network would learn them.
 * mDNS has no filter option, so it is given this view instead.
 */
export function lanAnnounceComponents<T extends { addressManager: AddressLister }> (components: T): T {
  const addressManager = withMethods(components.addressManager, {
    getAddresses: () => components.addressManager.getAddresses().filter(isLanAnnounceable)
  })
  return withComponents(components, { addressManager } as Partial<T>)
}
