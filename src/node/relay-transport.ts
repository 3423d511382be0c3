import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { withPoliteRandomWalk } from './polite-random-walk.ts'
import type { Transport } from '@libp2p/interface'

/**
 * libp2p's circuit relay transport, whose relay discovery (a random walk until it finds relays to
 * reserve on) runs at the pace of `politeRandomWalk` instead of querying without pause
 */
export function politeRelayTransport (): (components: any) => Transport {
  const factory = circuitRelayTransport()
  return (components) => factory(withPoliteRandomWalk(components))
}
