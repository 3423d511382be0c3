import { keychain } from '@libp2p/keychain'
import { mdns } from '@libp2p/mdns'
import { memory } from '@libp2p/memory'
import { tcp } from '@libp2p/tcp'
import type { TCPSocketOptions } from '@libp2p/tcp'
import { webRTC, webRTCDirect } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { cleanup as nodeDataChannelCleanup } from 'node-datachannel'
import { RELAY_LISTEN, USER_LISTEN } from './constants.ts'
import { politeRelayTransport } from './relay-transport.ts'
import { withStunServers } from './rtc-configuration.ts'
import { lanAnnounceComponents } from './lan-announce.ts'
import { relayPublicAddresses } from './relay-announce.ts'
import { stunServer } from '../stun/server.ts'
import type { StunServerInit } from '../stun/index.ts'
import type { NetLookup } from './gated-lookup.ts'
import type { PeerDiscovery, Transport } from '@libp2p/interface'

/**
 * What a platform's node is built from. This file is Node's; `transports.browser.ts` replaces it
 * in browser bundles (package.json's `browser` field), so no browser code path carries TCP,
 * mDNS or node-datachannel, and no runtime check picks between them.
 */
export interface TransportsInit {
  /** How the TCP transport resolves `/dns*` names (outside LAN mode: `gatedNetLookup`). @default the OS */
  dialLookup?: NetLookup
  /** STUN/TURN servers for WebRTC; none unless given */
  iceServers?: RTCIceServer[]
  /**
   * More STUN servers, asked for at each new WebRTC (`/webrtc`) peer connection: the user's
   * relays that answer STUN (`StunServerList`), which change as relays come and go
   */
  stunServers?: () => RTCIceServer[]
  /**
   * Node only: the local address WebRTC binds its ICE candidates to (node-datachannel's
   * `bindAddress`). Tests pass 127.0.0.1 so no WebRTC traffic leaves loopback.
   */
  rtcBindAddress?: string
  /** Simulation only: the in-process memory transport instead of the network ones */
  memory?: boolean
  /**
   * A relay: no `/webrtc` (WebRTC signalled through a relay). Nobody reaches a relay through
   * another relay, and an inbound WebRTC connection on a relay had libp2p confirm the address
   * `/webrtc/p2p/<peer>/p2p-circuit`, which has no IP, and crash on it (@libp2p/circuit-relay-v2
   * 4.2.13 adds the remote address of the connection a reservation went over as an observed
   * address; the address manager then throws in `confirmObservedAddr`, from an event listener).
   */
  relay?: boolean
}

export type TransportFactory = (components: any) => Transport

export function platformTransports (init: TransportsInit): TransportFactory[] {
  if (init.memory === true) {
    return [memory(), politeRelayTransport()]
  }
  // node-datachannel takes `bindAddress` next to the standard RTCConfiguration fields
  const rtcConfiguration = {
    iceServers: init.iceServers ?? [],
    ...(init.rtcBindAddress != null ? { bindAddress: init.rtcBindAddress } : {})
  }
  return [
    // @libp2p/tcp hands dialOpts to net.connect as they are; its type lists only a few of them
    tcp(init.dialLookup != null ? { dialOpts: { lookup: init.dialLookup } as TCPSocketOptions } : {}),
    webSockets(),
    ...(init.relay === true ? [] : [webRTC({ rtcConfiguration: withStunServers(rtcConfiguration, init.stunServers) })]),
    // relays listen on it for browsers; user nodes can dial a relay's certhash address too (a
    // relay is on a public address: no STUN needed)
    webRTCDirect({ rtcConfiguration }),
    politeRelayTransport()
  ]
}

/** Listen addresses when the caller gives none */
export function defaultListen (relay: boolean): string[] {
  return relay ? RELAY_LISTEN : USER_LISTEN
}

/**
 * Peer discovery on the local network (multicast DNS), announcing only the addresses LAN peers
 * can use (`isLanAnnounceable`): no loopback, link-local or circuit addresses
 */
export function lanDiscovery (): (components: any) => PeerDiscovery {
  const discovery = mdns()
  return (components) => discovery(lanAnnounceComponents(components))
}

/**
 * libp2p's keychain, which relays run so that WebRTC-Direct keeps its certificate (whose hash is
 * in their published addresses) across restarts; only Node nodes relay, and leaving it out of
 * browser bundles saves its ASN.1 code
 */
export function relayKeychain (): (components: any) => unknown {
  return keychain()
}

/** A relay's STUN server (`src/stun`), for its users' WebRTC; UDP sockets, so Node only */
export function relayStun (init: StunServerInit): (components: any) => unknown {
  return stunServer(init)
}

/** The public addresses a relay announces from the start (see `relayPublicAddresses`) */
export function relayAnnounce (listen: string[]): string[] {
  return relayPublicAddresses(listen)
}

/**
 * Node only, once per process, when every node in it has stopped: closes what node-datachannel
 * (WebRTC and WebRTC-Direct) still holds and ends libdatachannel's threads. Without it, after a
 * stop under traffic, a peer connection or data channel whose close never reached JavaScript
 * keeps its native callback referenced, so the event loop never runs dry and the process never
 * exits (js-libp2p #2625, node-datachannel #349), and
 * a process that does exit can crash in a libdatachannel thread still running during teardown
 * (`terminate called ... std::system_error`, SIGABRT; libdatachannel #1443). libp2p leaves it
 * out of its stop on purpose: it ends every peer connection in the process, other nodes' too
 * (js-libp2p #2498). Blocks for up to 10 s and throws `cleanup timeout` past that.
 */
export function releaseNativeTransports (): void {
  nodeDataChannelCleanup()
}
