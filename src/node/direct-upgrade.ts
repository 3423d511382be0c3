import { logger } from '@libp2p/logger'
import { WebRTC } from '@multiformats/multiaddr-matcher'
import { DIRECT_UPGRADE_INBOUND_DELAY_MS, DIRECT_UPGRADE_TIMEOUT_MS } from './constants.ts'
import { addressOf } from './relayed-address.ts'
import { isUnconnectedWebRTC } from './webrtc-guard.ts'
import type { Connection, Libp2p, PeerId } from '@libp2p/interface'

const log = logger('parley:direct-upgrade')

export interface DirectUpgradeInit {
  /** @default DIRECT_UPGRADE_INBOUND_DELAY_MS */
  inboundDelayMs?: number
  /** @default DIRECT_UPGRADE_TIMEOUT_MS */
  timeoutMs?: number
}

/**
 * Moves peers reached through a relay onto a direct WebRTC connection. A relayed connection is
 * limited (2 minutes, 1 MiB) and costs the relay; when the peer listens on `/webrtc` (browsers,
 * and Node nodes by default) a WebRTC connection signalled over the relayed one is direct. TCP
 * peers get this from dcutr; a browser has no TCP, so it dials the peer's `/p2p-circuit/webrtc`
 * address itself. The side that opened the relayed connection upgrades at once; the other side
 * waits `inboundDelayMs` first, so two browsers do not both open a WebRTC connection, and a
 * peer that never upgrades (one without this) still ends up direct.
 *
 * Once direct, the relayed connections to the peer are closed (as dcutr does). Returns a function
 * that stops it. A failed upgrade is only logged: the relayed connection still carries chat, and
 * the next relayed connection tries again.
 */
export function upgradeToDirect (node: Libp2p, init: DirectUpgradeInit = {}): () => void {
  const inboundDelayMs = init.inboundDelayMs ?? DIRECT_UPGRADE_INBOUND_DELAY_MS
  const timeoutMs = init.timeoutMs ?? DIRECT_UPGRADE_TIMEOUT_MS
  const pending = new Map<string, ReturnType<typeof setTimeout>>()
  const shutdown = new AbortController()

  const attempt = async (peer: PeerId): Promise<void> => {
    pending.delete(peer.toString())
    if (hasDirect(node.getConnections(peer))) return
    // named as the peer's (addressOf): else libp2p dialled the relay, returned the open
    // connection to it, and the upgrade "succeeded" without a WebRTC attempt
    const addrs = (await node.peerStore.get(peer).catch(() => undefined))?.addresses
      .map(a => a.multiaddr)
      .filter(ma => WebRTC.matches(ma))
      .map(ma => addressOf(peer, ma)) ?? []
    if (addrs.length === 0) {
      log('%p has no WebRTC address; staying relayed', peer)
      return
    }
    try {
      const conn = await node.dial(addrs, { signal: AbortSignal.any([shutdown.signal, AbortSignal.timeout(timeoutMs)]) })
      log('%p now direct over %a', peer, conn.remoteAddr)
      if (conn.limits == null) await closeRelayed(node, peer)
    } catch (err: any) {
      log('upgrading %p to a direct connection failed - %s', peer, err.message)
    }
  }

  const onOpen = (evt: CustomEvent<Connection>): void => {
    const conn = evt.detail
    const key = conn.remotePeer.toString()
    if (conn.limits == null || pending.has(key)) return
    const delay = conn.direction === 'outbound' ? 0 : inboundDelayMs
    pending.set(key, setTimeout(() => { void attempt(conn.remotePeer) }, delay))
  }

  node.addEventListener('connection:open', onOpen)
  return () => {
    node.removeEventListener('connection:open', onOpen)
    shutdown.abort()
    for (const timer of pending.values()) clearTimeout(timer)
    pending.clear()
  }
}

/**
 * Closes the relayed connections to `peer`, as dcutr does after its upgrade: streams kept on them
 * (a chat stream, which carries every message to that peer) would otherwise stay on the relay
 * beside the direct connection; closed, the next message opens its stream on the direct one.
 */
async function closeRelayed (node: Libp2p, peer: PeerId): Promise<void> {
  await Promise.all(node.getConnections(peer)
    .filter(c => c.limits != null && c.status === 'open')
    .map(async c => c.close().catch((err: any) => { log('closing the relayed connection to %p failed - %s', peer, err.message) })))
}

function hasDirect (connections: Connection[]): boolean {
  return connections.some(c => c.status === 'open' && c.limits == null && !isUnconnectedWebRTC(c))
}
