import { peerIdFromMultihash } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import * as Digest from 'multiformats/hashes/digest'
import { COURIER_LOOKUP_ALPHA, COURIER_LOOKUP_WIDTH, HOST_DHT_PROTOCOL, HOST_LOOKUP_TIMEOUT_MS, MAX_CANDIDATES, MAX_FIND_NODE_BYTES, MAX_FIND_NODE_PEERS, MAX_FIND_NODE_PEER_ADDRS } from './constants.ts'
import { closestFirst } from './distance.ts'
import { FindNodeMessage, FindNodeType } from './pb/find-node.ts'
import { own } from './wire.ts'
import { framing } from '../length-prefix.ts'
import type { Couriers } from './couriers.ts'
import type { AbortOptions, Logger, PeerId, PeerStore } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface CourierLookupInit {
  couriers: Couriers
  /** The node's peer store: found hosts' addresses go there, as its own DHT would put them */
  peerStore: PeerStore
  /** The node itself, never a result */
  self: PeerId
  log: Logger
}

interface Candidate {
  peer: PeerId
  state: 'new' | 'asking' | 'answered' | 'failed'
}

/**
 * The hosts closest to `key`, looked up in the hosts' DHT under the courier of `mailbox`, so
 * that the hosts on the lookup's path see the key asked for by a PeerId that is nobody's: the
 * same courier that then deposits there or fetches from there. (From the node's own DHT client
 * the lookup would tell them which user deposits in that mailbox, or owns it.)
 *
 * Kademlia's iterative lookup, `COURIER_LOOKUP_ALPHA` FIND_NODE requests at a time, starting
 * from `seeds` (the hosts the node knows closest to the key), until the `COURIER_LOOKUP_WIDTH`
 * closest it knows of have answered or failed. The result is the hosts that answered, closest
 * first: each of them is up, and reachable by a courier.
 */
export async function lookupUnderCourier (init: CourierLookupInit, mailbox: Uint8Array, key: Uint8Array, seeds: PeerId[], options: AbortOptions = {}): Promise<PeerId[]> {
  const signal = AbortSignal.any([...(options.signal != null ? [options.signal] : []), AbortSignal.timeout(HOST_LOOKUP_TIMEOUT_MS)])
  const candidates = new Map<string, Candidate>()
  const add = (peer: PeerId): void => {
    if (!peer.equals(init.self) && !candidates.has(peer.toString())) candidates.set(peer.toString(), { peer, state: 'new' })
  }
  seeds.forEach(add)
  const ask = async (candidate: Candidate): Promise<void> => {
    candidate.state = 'asking'
    try {
      const closer = await findNode(init, mailbox, candidate.peer, key, { signal })
      candidate.state = 'answered'
      for (const { peer, addresses } of closer) {
        if (addresses.length > 0 && !candidates.has(peer.toString())) {
          await init.peerStore.merge(peer, { multiaddrs: addresses }, { signal }).catch(() => {})
        }
        add(peer)
      }
    } catch (err: any) {
      candidate.state = 'failed'
      init.log('a courier\'s FIND_NODE to a host failed - %s', err.message)
    }
  }
  const inFlight = new Set<Promise<void>>()
  const aborted = new Promise<void>(resolve => { signal.addEventListener('abort', () => { resolve() }, { once: true }) })
  while (!signal.aborted) {
    const live = [...candidates.values()].filter(c => c.state !== 'failed')
    const nearest = closestFirst(key, live.map(c => c.peer)).slice(0, COURIER_LOOKUP_WIDTH).map(p => candidates.get(p.toString())!)
    const next = nearest.filter(c => c.state === 'new').slice(0, COURIER_LOOKUP_ALPHA - inFlight.size)
    if (next.length === 0 && inFlight.size === 0) break
    for (const candidate of next) {
      const run = ask(candidate).finally(() => { inFlight.delete(run) })
      inFlight.add(run)
    }
    // one answer can bring closer peers: look again as soon as any request ends
    await Promise.race([...inFlight, aborted])
  }
  options.signal?.throwIfAborted()
  const answered = [...candidates.values()].filter(c => c.state === 'answered').map(c => c.peer)
  return closestFirst(key, answered).slice(0, MAX_CANDIDATES)
}

/** One FIND_NODE over the courier: the peers the host says are closer, with their addresses */
async function findNode (init: CourierLookupInit, mailbox: Uint8Array, host: PeerId, key: Uint8Array, options: AbortOptions): Promise<Array<{ peer: PeerId, addresses: Multiaddr[] }>> {
  const stream = await init.couriers.open(mailbox, host, HOST_DHT_PROTOCOL, options)
  try {
    const lp = lpStream(stream, framing(MAX_FIND_NODE_BYTES))
    await lp.write(FindNodeMessage.encode({ type: FindNodeType.FIND_NODE, key: own(key), closer: [] }), options)
    const reply = FindNodeMessage.decode(await lp.read(options), { limits: { closer: MAX_FIND_NODE_PEERS, closer$: { multiaddrs: MAX_FIND_NODE_PEER_ADDRS } } })
    await stream.close(options)
    return reply.closer.flatMap(info => {
      try {
        const peer = peerIdFromMultihash(Digest.decode(info.id))
        const addresses = info.multiaddrs.flatMap(bytes => { try { return [multiaddr(bytes)] } catch { return [] } })
        return [{ peer, addresses }]
      } catch {
        // a host may send anything: an id that is no PeerId is skipped
        return []
      }
    })
  } catch (err: any) {
    stream.abort(err)
    throw err
  }
}
