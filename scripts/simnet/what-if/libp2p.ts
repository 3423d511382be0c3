/** `createLibp2p` with the `--what-if` settings (JSON in $SIMNET_WHAT_IF) laid over Parley's */

import { gossipsub } from '@libp2p/gossipsub'
import { createLibp2p as createLibp2pAsShipped } from 'libp2p'
import type { WhatIf } from './what-if.ts'
import type { ServiceMap } from '@libp2p/interface'
import type { Libp2p, Libp2pOptions } from 'libp2p'

export * from 'libp2p'

const whatIf: WhatIf = JSON.parse(process.env.SIMNET_WHAT_IF ?? '{}')

/** Relays have a connection budget of their own (RELAY_MAX_CONNECTIONS): only users' changes */
const USER_MAX_CONNECTIONS_LIMIT = 500

export async function createLibp2p<T extends ServiceMap> (options: Libp2pOptions<T>): Promise<Libp2p<T>> {
  const changed: Libp2pOptions<T> = { ...options }
  if (whatIf.connectionMonitor != null) changed.connectionMonitor = whatIf.connectionMonitor
  const max = options.connectionManager?.maxConnections
  if (whatIf.userMaxConnections != null && max != null && max < USER_MAX_CONNECTIONS_LIMIT) {
    changed.connectionManager = { ...options.connectionManager, maxConnections: whatIf.userMaxConnections }
  }
  if (whatIf.inboundConnectionsPerIpPerS != null) {
    changed.connectionManager = { ...changed.connectionManager, inboundConnectionThreshold: whatIf.inboundConnectionsPerIpPerS }
  }
  if (whatIf.gossipIpColocationWeight != null) {
    const services: Record<string, unknown> = { ...options.services }
    services.pubsub = gossipsub({ scoreParams: { IPColocationFactorWeight: whatIf.gossipIpColocationWeight } })
    changed.services = services as Libp2pOptions<T>['services']
  }
  return createLibp2pAsShipped(changed)
}
