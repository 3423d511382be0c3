import { autoNAT } from '@libp2p/autonat'
import { isMultiaddr } from '@multiformats/multiaddr'
import { withComponents, withMethods } from './components-view.ts'
import { withPoliteRandomWalk } from './polite-random-walk.ts'
import type { AutoNATComponents, AutoNATServiceInit } from '@libp2p/autonat'
import type { PeerRouting } from '@libp2p/interface'

/**
 * libp2p's autonat (v1) whose dial-backs open a new connection.
 *
 * Asked to check an address, the autonat server calls `connectionManager.openConnection(addr)`
 * without `force`, so it gets back the connection the request came over (the asker's own), and
 * then closes it, whatever the answer (@libp2p/autonat 3.0.28, `dialResponse`; unchanged
 * upstream in packages/protocol-autonat/src/autonat.ts). On the public internet every relay
 * asked its users to confirm its address this way and cut each of them off, reservation and
 * all. Forcing a new connection for the dial-back (the only call that passes a single
 * multiaddr; the random walk passes arrays) makes the check real, since a node behind NAT is not
 * reachable at its listening address, and leaves the asker's connection alone.
 * @libp2p/autonat-v2 dials with `force` but speaks another protocol, so every node would have
 * to switch at once. Its random walk is `politeRandomWalk`.
 */
export function autoNATWithFreshDialBack (init: AutoNATServiceInit = {}): (components: AutoNATComponents & { peerRouting: PeerRouting }) => unknown {
  const factory = autoNAT(init)
  return (components) => {
    const real = components.connectionManager
    const connectionManager = withMethods(real, {
      openConnection: async (peer, options = {}) => real.openConnection(peer, isMultiaddr(peer) ? { ...options, force: true } : options)
    })
    return factory(withPoliteRandomWalk(withComponents(components, { connectionManager })))
  }
}
