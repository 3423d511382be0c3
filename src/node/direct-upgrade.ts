import { logger } from '@libp2p/logger'
import { WebRTC } from '@multiformats/multiaddr-matcher'
import { DIRECT_UPGRADE_DRAIN_TIMEOUT_MS, DIRECT_UPGRADE_INBOUND_DELAY_MS, DIRECT_UPGRADE_TIMEOUT_MS } from './constants.ts'
import { addressOf } from './relayed-address.ts'
import { isUnconnectedWebRTC } from './webrtc-guard.ts'
import type { AbortOptions, Connection, Libp2p, PeerId } from '@libp2p/interface'

const log = logger('parley:direct-upgrade')

export interface DirectUpgradeInit {
  /** @default DIRECT_UPGRADE_INBOUND_DELAY_MS */
  inboundDelayMs?: number
  /** @default DIRECT_UPGRADE_TIMEOUT_MS */
  timeoutMs?: number
  /** @default DIRECT_UPGRADE_DRAIN_TIMEOUT_MS */
  drainTimeoutMs?: number
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
 * Once direct, the relayed connections to the peer are closed (as dcutr does), when the streams
 * under way on them have ended or after `drainTimeoutMs`. Returns a function
 * that stops it. A failed upgrade is only logged: the relayed connection still carries chat, and
 * the next relayed connection tries again.
 */
export function upgradeToDirect (node: Libp2p, init: DirectUpgradeInit = {}): () => void {
  const inboundDelayMs = init.inboundDelayMs ?? DIRECT_UPGRADE_INBOUND_DELAY_MS
  const timeoutMs = init.timeoutMs ?? DIRECT_UPGRADE_TIMEOUT_MS
  const drainTimeoutMs = init.drainTimeoutMs ?? DIRECT_UPGRADE_DRAIN_TIMEOUT_MS
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
      if (conn.limits == null) {
        await closeRelayed(node, peer, { signal: AbortSignal.any([shutdown.signal, AbortSignal.timeout(drainTimeoutMs)]) })
      }
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
 *
 * Each is closed once the streams on it have ended, or when `options.signal` aborts: closing a
 * connection ends the reading side of its streams, so a request under way (a prekey bundle, a
 * chat message waiting for its ack) lost its answer, and a page's first message to a peer went to
 * the mailbox while both were online. New streams go on the direct connection meanwhile
 * (open-stream.ts prefers it), so only those begun before it opened hold the close up.
 */
async function closeRelayed (node: Libp2p, peer: PeerId, options: AbortOptions): Promise<void> {
  await Promise.all(node.getConnections(peer)
    .filter(c => c.limits != null && c.status === 'open')
    .map(async c => {
      const open = c.streams.filter(s => s.status === 'open').map(s => s.protocol ?? 'negotiating')
      if (open.length > 0) log('closing the relayed connection to %p once its streams end: %s', peer, open.join(', '))
      await drained(c, options)
      if (c.status !== 'open') return
      await c.close().catch((err: any) => { log('closing the relayed connection to %p failed - %s', peer, err.message) })
    }))
}

/** Resolves once `connection` carries no open stream, or its close, or `options.signal` aborts */
async function drained (connection: Connection, options: AbortOptions): Promise<void> {
  const { signal } = options
  while (connection.status === 'open' && signal?.aborted !== true) {
    const open = connection.streams.filter(s => s.status === 'open')
    if (open.length === 0) return
    await new Promise<void>(resolve => {
      const done = (): void => {
        for (const s of open) s.removeEventListener('close', done)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      for (const s of open) s.addEventListener('close', done)
      signal?.addEventListener('abort', done)
    })
  }
}

function hasDirect (connections: Connection[]): boolean {
  return connections.some(c => c.status === 'open' && c.limits == null && !isUnconnectedWebRTC(c))
}
