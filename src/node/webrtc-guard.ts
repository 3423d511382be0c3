import { WebRTC } from '@multiformats/multiaddr-matcher'
import { WEBRTC_CONNECT_TIMEOUT_MS } from './constants.ts'
import type { ComponentLogger, Connection, Libp2pEvents, Logger, Startable, TypedEventTarget } from '@libp2p/interface'

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
 * A WebRTC connection (`/webrtc`) whose peer connection is not connected: one the answering side
 * registered although ICE failed (see `WebRTCGuard`), which carries nothing until it is closed.
 * Callers picking a connection for a stream skip it.
 */
export function isUnconnectedWebRTC (conn: Pick<Connection, 'remoteAddr'>): boolean {
  if (!WebRTC.matches(conn.remoteAddr)) return false
  const pc = peerConnectionOf(conn)
  return pc != null && pc.connectionState !== 'connected'
}

/** node-datachannel's or the browser's RTCPeerConnection under a WebRTC connection */
function peerConnectionOf (conn: Pick<Connection, 'remoteAddr'>): PeerConnectionState | undefined {
  return (conn as any).maConn?.peerConnection
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
 * while no packet went between the two NATs. Until it is closed, `openStreamOnAnyConnection`
 * skips it (`isUnconnectedWebRTC`).
 */
class WebRTCGuard implements Startable {
  private readonly log: Logger
  private readonly timeoutMs: number
  private readonly pending = new Set<() => void>()
  private readonly onOpen = (evt: CustomEvent<Connection>): void => {
    const conn = evt.detail
    if (!isUnconnectedWebRTC(conn)) return
    const pc = peerConnectionOf(conn)
    if (pc == null) return
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

  constructor (private readonly components: WebRTCGuardComponents, init: WebRTCGuardInit) {
    this.log = components.logger.forComponent('parley:webrtc-guard')
    this.timeoutMs = init.connectTimeoutMs ?? WEBRTC_CONNECT_TIMEOUT_MS
  }

  start (): void {
    this.components.events.addEventListener('connection:open', this.onOpen)
  }

  stop (): void {
    this.components.events.removeEventListener('connection:open', this.onOpen)
    for (const done of [...this.pending]) done()
  }
}

export function webRTCGuard (init: WebRTCGuardInit = {}): (components: WebRTCGuardComponents) => Startable {
  return (components) => new WebRTCGuard(components, init)
}
