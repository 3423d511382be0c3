import { isUnprovenWebRTC } from './webrtc-guard.ts'
import type { AbortOptions, Connection, PeerId, Stream } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

/**
 * The open connection a new stream to a peer should go on: an unlimited (direct) one first, then
 * a limited (relayed) one. An unlimited WebRTC connection whose ICE has not connected, or that
 * identify has not run on yet, is worth less than a relayed one (`isUnprovenWebRTC`).
 */
export function preferredConnection (connections: Connection[]): Connection | undefined {
  const open = connections.filter(c => c.status === 'open')
  return open.find(c => c.limits == null && !isUnprovenWebRTC(c)) ?? open.find(c => c.limits != null) ?? open[0]
}

/** Whether a stream kept on `connection` should give way to a new one on a direct connection */
export function hasBetterConnection (connection: Connection, connections: Connection[]): boolean {
  if (connection.limits == null) return false
  return preferredConnection(connections)?.limits == null
}

export interface OpenStreamOptions extends AbortOptions {
  /** A connection to take only when there is no other (one a stream just failed on) */
  avoid?: Connection
}

/**
 * Opens a stream for a protocol that also runs over relayed connections, on a connection that is
 * already open when there is one (`preferredConnection`), else by dialling; resolves with the
 * stream and the connection it is on.
 *
 * libp2p's `openStream` reuses only unlimited connections (libp2p 3.3, `findExistingConnection`
 * in connection-manager/utils.ts), so with nothing but a relayed connection to a peer every
 * stream dialled it again: through the relay, and by WebRTC signalled over it. Behind two NATs
 * the WebRTC attempt cannot connect, and each chat message waited for it until its own timeout
 * and went to the mailbox, with the peer online at the end of a working relayed connection.
 */
export async function openStreamWithConnection (connectionManager: Pick<ConnectionManager, 'getConnections' | 'openConnection'>, peer: PeerId, protocol: string, options: OpenStreamOptions = {}): Promise<{ stream: Stream, connection: Connection }> {
  const { avoid, ...abort } = options
  const streamOptions = { ...abort, runOnLimitedConnection: true }
  const connections = connectionManager.getConnections(peer)
  const connection = preferredConnection(connections.filter(c => c !== avoid)) ?? preferredConnection(connections) ?? await connectionManager.openConnection(peer, abort)
  return { stream: await connection.newStream(protocol, streamOptions), connection }
}

/** `openStreamWithConnection`, for callers that need only the stream */
export async function openStreamOnAnyConnection (connectionManager: Pick<ConnectionManager, 'getConnections' | 'openConnection'>, peer: PeerId, protocol: string, options: AbortOptions = {}): Promise<Stream> {
  return (await openStreamWithConnection(connectionManager, peer, protocol, options)).stream
}
