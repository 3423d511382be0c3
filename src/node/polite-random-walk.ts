import { withComponents } from './components-view.ts'
import { RANDOM_WALK_INTERVAL_MS } from './constants.ts'
import type { AbortOptions, PeerId, PeerInfo, PeerRouting } from '@libp2p/interface'

/** What libp2p services that look for random peers (autonat, relay discovery) call */
export interface RandomWalk {
  walk(options?: AbortOptions): AsyncGenerator<PeerInfo>
}

export interface PoliteWalkComponents {
  peerRouting: PeerRouting
  connectionManager: { getConnections(peer?: PeerId): unknown[] }
  randomWalk: RandomWalk
}

/**
 * A random walk that asks the DHT for the peers closest to a random key at most once every
 * `intervalMs`, and yields only peers the node has no connection to.
 *
 * libp2p's shared random walk runs DHT queries back to back while any consumer listens, and
 * pauses only when exactly one consumer is waiting (libp2p 3.3, `RandomWalk.startWalk`). Autonat
 * walks for 10 s every minute while the node has an unconfirmed address, and dials each peer it
 * gets by its addresses alone (no peer id, so a new connection every time); a node behind NAT,
 * whose addresses never get confirmed, opened and closed about 35 connections a minute to its
 * only relay, and queried it without pause. Relay discovery, which walks until it finds a relay,
 * did the same while none was reachable.
 */
export function politeRandomWalk (components: Pick<PoliteWalkComponents, 'peerRouting' | 'connectionManager'>, intervalMs = RANDOM_WALK_INTERVAL_MS): RandomWalk {
  return {
    async * walk (options: AbortOptions = {}) {
      while (true) {
        await sleep(intervalMs, options.signal)
        const key = crypto.getRandomValues(new Uint8Array(32))
        for await (const peer of components.peerRouting.getClosestPeers(key, options)) {
          if (components.connectionManager.getConnections(peer.id).length === 0) yield peer
        }
      }
    }
  }
}

/** `components` with libp2p's random walk replaced by `politeRandomWalk` */
export function withPoliteRandomWalk<T extends PoliteWalkComponents> (components: T): T {
  return withComponents(components, { randomWalk: politeRandomWalk(components) } as Partial<T>)
}

async function sleep (ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted()
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
