import { isUnconnectedWebRTC } from './webrtc-guard.ts'
import type { AbortOptions, PeerId, Stream } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

/**
 * Opens a stream for a protocol that also runs over relayed connections, on a connection that is
 * already open when there is one (an unlimited one first), else by dialling.
 *
 * libp2p's `openStream` reuses only unlimited connections (libp2p 3.3, `findExistingConnection`
 * in connection-manager/utils.ts), so with nothing but a relayed connection to a peer every
 * stream dialled it again: through the relay, and by WebRTC signalled over it. Behind two NATs
 * the WebRTC attempt cannot connect, and each chat message waited for it until its own timeout
 * and went to the mailbox, with the peer online at the end of a working relayed connection.
 */
export async function openStreamOnAnyConnection (connectionManager: Pick<ConnectionManager, 'getConnections' | 'openStream'>, peer: PeerId, protocol: string, options: AbortOptions = {}): Promise<Stream> {
  const open = connectionManager.getConnections(peer).filter(c => c.status === 'open')
  // an unlimited WebRTC connection whose ICE has not connected is worth less than a relayed one
  const connection = open.find(c => c.limits == null && !isUnconnectedWebRTC(c)) ?? open.find(c => c.limits != null) ?? open[0]
  const streamOptions = { ...options, runOnLimitedConnection: true }
  return connection != null
    ? connection.newStream(protocol, streamOptions)
    : connectionManager.openStream(peer, protocol, streamOptions)
}
