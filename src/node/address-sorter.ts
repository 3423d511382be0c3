import { circuitRelayAddressesLast, loopbackAddressLast, publicAddressesFirst, reliableTransportsFirst } from '@libp2p/utils'
import { relayedKind } from './relayed-address.ts'
import type { Address } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * The order in which a peer's addresses are dialled: libp2p's own order (libp2p 3.3,
 * `defaultAddressSorter`), except that WebRTC signalled through a relay (`/p2p-circuit/webrtc`)
 * comes after every other address that is not loopback, the plain relayed one included.
 *
 * libp2p puts relayed addresses last, but its test for one does not match `/p2p-circuit/webrtc`,
 * so that address went first. Behind NATs that cannot be punched through, its signalling then
 * ran into its timeout (6 s and more) before the relayed address was tried, longer than a chat
 * message waits: a peer reachable through the relay got its messages through the mailbox. A
 * relayed connection first, then dcutr moves it to WebRTC where the NATs allow it.
 */
export function dialOrder (a: Address, b: Address): -1 | 0 | 1 {
  return Math.sign(loopbackAddressLast(a.multiaddr, b.multiaddr) ||
    publicAddressesFirst(a.multiaddr, b.multiaddr) ||
    signalledWebRTCLast(a.multiaddr, b.multiaddr) ||
    circuitRelayAddressesLast(a.multiaddr, b.multiaddr) ||
    Number(b.isCertified) - Number(a.isCertified) ||
    reliableTransportsFirst(a.multiaddr, b.multiaddr)) as -1 | 0 | 1
}

function signalledWebRTCLast (a: Multiaddr, b: Multiaddr): number {
  return Number(isSignalledWebRTC(a)) - Number(isSignalledWebRTC(b))
}

function isSignalledWebRTC (ma: Multiaddr): boolean {
  return relayedKind(ma) === 'webrtc'
}
