/**
 * @packageDocumentation
 *
 * STUN without a third party. Relays answer STUN binding requests (RFC 8489) on UDP 3478
 * (`stunServer`, Node only) and say so over `/parley/stun/1.0.0`; user nodes list the relays
 * they are connected to that do (`relayStunDiscovery`) and give them to WebRTC as its ICE
 * servers, so ICE learns the address each NAT maps its user to and two users behind NATs can
 * hole-punch a direct connection.
 */
import { RelayStunDiscovery } from './relay-stun-discovery.ts'
import type { RelayStunDiscoveryComponents, RelayStunDiscoveryInit } from './relay-stun-discovery.ts'

export { MAX_RELAY_STUN_SERVERS, STUN_INFO_PROTOCOL, STUN_PORT } from './constants.ts'
export * from './errors.ts'
export { StunServerList } from './stun-server-list.ts'
export type { RelayStunDiscovery, RelayStunDiscoveryComponents, RelayStunDiscoveryInit } from './relay-stun-discovery.ts'
export type { StunServer, StunServerComponents, StunServerInit, StunSocketAddress } from './stun-server.ts'

export function relayStunDiscovery (init: RelayStunDiscoveryInit): (components: RelayStunDiscoveryComponents) => RelayStunDiscovery {
  return (components) => new RelayStunDiscovery(components, init)
}
