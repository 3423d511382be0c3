import { RateLimiter } from '@libp2p/utils'
import { Circuit } from '@multiformats/multiaddr-matcher'
import {
  ONE_TIME_PREKEYS_PER_REQUESTER, ONE_TIME_REQUESTS_PER_IP, ONE_TIME_REQUESTS_PER_PEER, ONE_TIME_REQUESTS_WINDOW_S,
  TRACKED_REQUESTERS
} from './constants.ts'
import type { Connection } from '@libp2p/interface'

/**
 * Who may be handed a fresh one-time prekey now. Anyone may ask for this node's bundle; a
 * one-time prekey is the one part of it that costs this node something (a key pair kept until
 * used), so each peer and each IP address gets a few per window, and each peer at most
 * ONE_TIME_PREKEYS_PER_REQUESTER not yet used. Past that the answer is the bundle without one:
 * PQXDH works without it (the first message then has no one-time prekey's forward secrecy),
 * and nothing anyone was given before is ever taken back.
 */
export class OneTimeBudget {
  private readonly perPeer = new RateLimiter({ points: ONE_TIME_REQUESTS_PER_PEER, duration: ONE_TIME_REQUESTS_WINDOW_S })
  private readonly perIp = new RateLimiter({ points: ONE_TIME_REQUESTS_PER_IP, duration: ONE_TIME_REQUESTS_WINDOW_S })
  /** Ids handed to each peer, in order of last request (the first entry is forgotten first) */
  private readonly handedOut = new Map<string, number[]>()

  /**
   * Whether `connection`'s peer may have one more, given which of the ids it holds are still
   * unused (`unused`). Counts against the rates only when it may.
   */
  async allows (connection: Connection, unused: (id: number) => Promise<boolean>): Promise<boolean> {
    const peer = connection.remotePeer.toString()
    const held = this.handedOut.get(peer) ?? []
    const stillUnused: number[] = []
    for (const id of held) if (await unused(id)) stillUnused.push(id)
    this.remember(peer, stillUnused)
    if (stillUnused.length >= ONE_TIME_PREKEYS_PER_REQUESTER) return false
    if (!consumed(this.perPeer, peer)) return false
    const ip = ipOf(connection)
    return ip == null || consumed(this.perIp, ip)
  }

  /** Records that `connection`'s peer was given one-time prekey `id` */
  gave (connection: Connection, id: number): void {
    const peer = connection.remotePeer.toString()
    this.remember(peer, [...(this.handedOut.get(peer) ?? []), id])
  }

  private remember (peer: string, ids: number[]): void {
    this.handedOut.delete(peer)
    if (ids.length === 0) return
    this.handedOut.set(peer, ids)
    if (this.handedOut.size > TRACKED_REQUESTERS) this.handedOut.delete(this.handedOut.keys().next().value as string)
  }
}

function consumed (limiter: RateLimiter, key: string): boolean {
  try {
    limiter.consume(key)
    return true
  } catch {
    return false
  }
}

/**
 * The remote IP address of a direct connection. A relayed one's address is the relay's, shared
 * by everyone it relays: there only the peer counts.
 */
function ipOf (connection: Connection): string | undefined {
  if (Circuit.matches(connection.remoteAddr)) return undefined
  const first = connection.remoteAddr.getComponents()[0]
  return first?.name === 'ip4' || first?.name === 'ip6' ? first.value : undefined
}
