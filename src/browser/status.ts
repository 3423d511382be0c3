import { Circuit, TCP, WebRTC, WebRTCDirect, WebSockets, WebSocketsSecure } from '@multiformats/multiaddr-matcher'
import { TypedEventEmitter } from 'main-event'
import type { ParleyNode } from '../node/create-node.ts'
import type { Connection } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export type ConnectionKind = 'direct' | 'relayed'

export interface PeerConnectionInfo {
  peerId: string
  /** The remote address of the connection */
  address: string
  /** `relayed`: through a circuit relay (limited in time and data); `direct`: anything else */
  kind: ConnectionKind
  /** webrtc, webrtc-direct, websockets, circuit-relay or another transport's name */
  transport: string
}

export interface ConnectionSnapshot {
  /** This node's addresses, each ending in /p2p/<own PeerId> */
  addresses: string[]
  /** The relays this node holds a reservation on (PeerIds from its /p2p-circuit addresses) */
  reservations: string[]
  peers: PeerConnectionInfo[]
}

export interface ConnectionStatusEvents {
  change: CustomEvent<ConnectionSnapshot>
}

/**
 * The events after which the snapshot is taken again: connections, and this node's addresses (a
 * relay reservation's circuit listener may add them without a self:peer:update)
 */
const NODE_EVENTS = ['connection:open', 'connection:close', 'self:peer:update', 'peer:identify', 'transport:listening', 'transport:close'] as const

/**
 * Turns libp2p's connection events into snapshots for the status panel, so the UI never
 * touches the node: peers with direct or relayed connections, and the relay reservation (which
 * is what makes a page reachable at all).
 */
export class ConnectionStatus extends TypedEventEmitter<ConnectionStatusEvents> {
  private readonly onNodeEvent = (): void => { this.safeDispatchEvent('change', { detail: this.snapshot() }) }

  constructor (private readonly node: ParleyNode) {
    super()
    for (const type of NODE_EVENTS) this.node.addEventListener(type, this.onNodeEvent)
  }

  stop (): void {
    for (const type of NODE_EVENTS) this.node.removeEventListener(type, this.onNodeEvent)
  }

  snapshot (): ConnectionSnapshot {
    const addresses = this.node.getMultiaddrs().map(ma => ma.toString())
    return {
      addresses,
      reservations: [...new Set(addresses.flatMap(relayOf))],
      peers: this.node.getConnections()
        .filter(conn => conn.status === 'open')
        .map(describeConnection)
        .sort((a, b) => a.peerId.localeCompare(b.peerId))
    }
  }
}

/** The relay PeerId in `/.../p2p/<relay>/p2p-circuit/...`, if `address` is a circuit address */
function relayOf (address: string): string[] {
  const match = /\/p2p\/([^/]+)\/p2p-circuit/.exec(address)
  return match != null ? [match[1]] : []
}

/** How the status panel shows one connection */
export function describeConnection (conn: Connection): PeerConnectionInfo {
  const ma = conn.remoteAddr
  const transport = transportOf(ma)
  return {
    peerId: conn.remotePeer.toString(),
    address: ma.toString(),
    // relayed connections carry the relay's limits (time, bytes); nothing else does
    kind: transport === 'circuit-relay' || conn.limits != null ? 'relayed' : 'direct',
    transport
  }
}

/**
 * A WebRTC connection is peer to peer even though the dialer's remote address names the relay
 * that carried its signalling (`.../p2p-circuit/webrtc/p2p/<peer>`), so WebRTC is matched first.
 */
function transportOf (ma: Multiaddr): string {
  if (WebRTC.matches(ma)) return 'webrtc'
  if (Circuit.matches(ma)) return 'circuit-relay'
  if (WebRTCDirect.matches(ma)) return 'webrtc-direct'
  if (WebSockets.matches(ma) || WebSocketsSecure.matches(ma)) return 'websockets'
  if (TCP.matches(ma)) return 'tcp'
  return 'other'
}

/**
 * How reachable the page is, for the dot that stays in view: `reachable` with a relay
 * reservation (others can reach it), `connecting` while connected but holding none yet (it can
 * send, nobody can reach it), `offline` with no connection at all
 */
export type Reachability = 'reachable' | 'connecting' | 'offline'

export function reachability (s: ConnectionSnapshot): Reachability {
  if (s.reservations.length > 0) return 'reachable'
  return s.peers.length > 0 ? 'connecting' : 'offline'
}
