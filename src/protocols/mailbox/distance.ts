import { sha256 } from '@noble/hashes/sha2.js'
import { compare } from 'uint8arrays/compare'
import { xor } from 'uint8arrays/xor'
import type { PeerId } from '@libp2p/interface'

/**
 * Sorts peers by Kademlia distance to `key`, closest first, measured the way kad-dht does
 * (XOR of the SHA-256 of the key and of each peer's multihash), so that senders, recipients
 * and storers agree on which peers are "the closest" to a mailbox key.
 */
export function closestFirst (key: Uint8Array, peers: PeerId[]): PeerId[] {
  const target = sha256(key)
  return peers
    .map(peer => ({ peer, distance: xor(target, sha256(peer.toMultihash().bytes)) }))
    .sort((a, b) => compare(a.distance, b.distance))
    .map(({ peer }) => peer)
}
