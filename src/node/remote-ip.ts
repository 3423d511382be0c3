import { getNetConfig, isNetworkAddress } from '@libp2p/utils'
import { Circuit } from '@multiformats/multiaddr-matcher'
import type { MultiaddrConnection } from '@libp2p/interface'

/**
 * The IP an inbound connection came from, for limits per source; none for a relayed one, whose
 * address starts with its relay's IP: every peer reached through one relay would share the
 * relay's count (a NATted user was refused its sixth relayed connection in a second)
 */
export function remoteIp (maConn: Pick<MultiaddrConnection, 'remoteAddr'>): string | undefined {
  const addr = maConn.remoteAddr
  if (Circuit.matches(addr) || !isNetworkAddress(addr)) return undefined
  return getNetConfig(addr).host
}
