import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What kind of relayed address `ma` is: plain (a limited connection), WebRTC signalled through the relay, or none */
export function relayedKind (ma: Multiaddr): 'plain' | 'webrtc' | undefined {
  const names = ma.getComponents().map(c => c.name)
  const circuit = names.indexOf('p2p-circuit')
  if (circuit < 0) return undefined
  return names.indexOf('webrtc', circuit) > circuit ? 'webrtc' : 'plain'
}

/**
 * `ma` ending in `/p2p/<peer>`. The peer store keeps a peer's addresses without it, and libp2p
 * dials the last `/p2p/` of an address: in `<relay>/p2p-circuit/...` that is the relay's.
 */
export function addressOf (peer: PeerId, ma: Multiaddr): Multiaddr {
  return ma.getComponents().at(-1)?.name === 'p2p' ? ma : ma.encapsulate(`/p2p/${peer.toString()}`)
}
