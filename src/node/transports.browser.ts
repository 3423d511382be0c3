import { webRTC, webRTCDirect } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { BROWSER_LISTEN } from './constants.ts'
import { politeRelayTransport } from './relay-transport.ts'
import { PlatformUnsupportedError } from './errors.ts'
import { withStunServers } from './rtc-configuration.ts'
import type { TransportFactory, TransportsInit } from './transports.ts'
import type { StunServerInit } from '../stun/index.ts'
import type { PeerDiscovery } from '@libp2p/interface'

export type { TransportFactory, TransportsInit } from './transports.ts'

/**
 * The browser's transports (replaces `transports.ts` in browser bundles). A page cannot listen
 * on a socket: it dials relays over WebSockets or WebRTC-Direct, is reachable through its relay
 * reservation (`/p2p-circuit`), and upgrades to direct WebRTC (signalled over the relay).
 * `rtcBindAddress` and `memory` are Node-only and ignored here: Chromium picks its own
 * candidates (tests restrict it to loopback with `--allow-loopback-in-peer-connection`).
 */
export function platformTransports (init: TransportsInit): TransportFactory[] {
  const rtcConfiguration = { iceServers: init.iceServers ?? [] }
  return [
    webSockets(),
    webRTC({ rtcConfiguration: withStunServers(rtcConfiguration, init.stunServers) }),
    webRTCDirect({ rtcConfiguration }),
    politeRelayTransport()
  ]
}

/** A browser never relays for others, so it listens the same way whatever role it was given */
export function defaultListen (_relay: boolean): string[] {
  return BROWSER_LISTEN
}

/** Multicast DNS needs UDP sockets, which pages do not have */
export function lanDiscovery (): (components: any) => PeerDiscovery {
  throw new PlatformUnsupportedError('mDNS is not available in browsers')
}

/** A browser never relays (see `defaultListen`), so it never needs a relay's keychain */
export function relayKeychain (): (components: any) => unknown {
  throw new PlatformUnsupportedError('a browser node cannot be a relay')
}

/** A browser never relays (see `defaultListen`), and has no UDP sockets to answer STUN on */
export function relayStun (_init: StunServerInit): (components: any) => unknown {
  throw new PlatformUnsupportedError('a browser node cannot be a relay')
}

/** A browser never relays (see `defaultListen`), so it has no relay addresses to announce */
export function relayAnnounce (_listen: string[]): string[] {
  throw new PlatformUnsupportedError('a browser node cannot be a relay')
}
