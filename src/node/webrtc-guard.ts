import { WebRTC } from '@multiformats/multiaddr-matcher'
import { WEBRTC_CONNECT_TIMEOUT_MS } from './constants.ts'
import type { ComponentLogger, Connection, IdentifyResult, Libp2pEvents, Logger, Startable, TypedEventTarget } from '@libp2p/interface'

/** `/webrtc` connections identify has completed on, noted by every node's guard */
const identified = new WeakSet<Pick<Connection, 'remoteAddr'>>()

export interface WebRTCGuardComponents {
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

export interface WebRTCGuardInit {
  /** @default WEBRTC_CONNECT_TIMEOUT_MS */
  connectTimeoutMs?: number
}

/** The part of an RTCPeerConnection this needs (browsers' and node-datachannel's both have it) */
interface PeerConnectionState {
  connectionState: string
  addEventListener(type: 'connectionstatechange', listener: () => void): void
  removeEventListener(type: 'connectionstatechange', listener: () => void): void
}

/**
 * Closes a WebRTC connection (`/webrtc`, signalled through a relay) whose peer connection never
 * connects.
 *
 * The answering side of @libp2p/webrtc (6.0.33, `readCandidatesUntilConnected` in
 * private-to-private/util.ts) swallows any error reading the signalling stream other than its own
 * timeout, so when the caller gives up and resets that stream, the answering side goes on and
 * registers a connection whose ICE never succeeded. libp2p then counts it as a direct, unlimited
 * connection, streams wait on data channels that never open, and messages meant for a peer
 * sitting right there behind a relay went to its mailbox instead: the connection looked direct
 * while no packet went between the two NATs.
 *
 * It also notes which WebRTC connections identify has run on (`isUnprovenWebRTC`): in
 * @libp2p/webrtc 6.0.33 the answering side closes the caller's `init` data channel as soon as it
 * sees it (`onDataChannel` in muxer.ts), and when that close reaches the caller before its channel
 * fired `open`, the caller's dial waits for an `open` that never comes (`initiateConnection` in
 * private-to-private/initiate-connection.ts) until its own timeout. The answering side has
 * registered a connected connection meanwhile that the caller never serves: a stream on it
 * waits five seconds, then fails. Identify, which each side runs on every new connection, never
 * completes on such a connection, and completes within milliseconds on a good one.
 */
class WebRTCGuard implements Startable {
  private readonly log: Logger
  private readonly timeoutMs: number
  private readonly pending = new Set<() => void>()
  private readonly onOpen = (evt: CustomEvent<Connection>): void => {
    const conn = evt.detail
    const pc = peerConnectionOf(conn)
    if (pc == null || pc.connectionState === 'connected') return
    const done = (): void => {
      clearTimeout(timer)
      pc.removeEventListener('connectionstatechange', onChange)
      this.pending.delete(done)
    }
    const onChange = (): void => {
      if (pc.connectionState === 'connected') done()
    }
    const timer = setTimeout(() => {
      done()
      this.log('closing the WebRTC connection to %p: its peer connection is still %s', conn.remotePeer, pc.connectionState)
      conn.abort(new Error(`the WebRTC peer connection did not connect within ${this.timeoutMs} ms`))
    }, this.timeoutMs)
    pc.addEventListener('connectionstatechange', onChange)
    this.pending.add(done)
  }

  private readonly onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
    if (WebRTC.matches(evt.detail.connection.remoteAddr)) identified.add(evt.detail.connection)
  }

  constructor (private readonly components: WebRTCGuardComponents, init: WebRTCGuardInit) {
    this.log = components.logger.forComponent('parley:webrtc-guard')
    this.timeoutMs = init.connectTimeoutMs ?? WEBRTC_CONNECT_TIMEOUT_MS
  }

  start (): void {
    this.components.events.addEventListener('connection:open', this.onOpen)
    this.components.events.addEventListener('peer:identify', this.onIdentify)
  }

  stop (): void {
    this.components.events.removeEventListener('connection:open', this.onOpen)
    this.components.events.removeEventListener('peer:identify', this.onIdentify)
    for (const done of [...this.pending]) done()
  }
}

/**
 * True for a `/webrtc` connection whose peer connection has not connected (yet, or ever): one the
 * guard has not closed so far. libp2p counts it as direct and unlimited, but a stream opened on
 * it waits for a data channel that may never open.
 */
export function isUnconnectedWebRTC (conn: Pick<Connection, 'remoteAddr'>): boolean {
  const state = peerConnectionOf(conn)?.connectionState
  return state != null && state !== 'connected'
}

/**
 * True for a `/webrtc` connection that is unconnected (`isUnconnectedWebRTC`) or that identify
 * has not completed on: one the other side may not serve (see the guard's notes)
 */
export function isUnprovenWebRTC (conn: Pick<Connection, 'remoteAddr'>): boolean {
  return isUnconnectedWebRTC(conn) || (WebRTC.matches(conn.remoteAddr) && !identified.has(conn))
}

/** The RTCPeerConnection under a `/webrtc` connection (not a libp2p API: @libp2p/webrtc's maConn) */
function peerConnectionOf (conn: Pick<Connection, 'remoteAddr'>): PeerConnectionState | undefined {
  return WebRTC.matches(conn.remoteAddr) ? (conn as any).maConn?.peerConnection : undefined
}

export function webRTCGuard (init: WebRTCGuardInit = {}): (components: WebRTCGuardComponents) => Startable {
  return (components) => new WebRTCGuard(components, init)
}
