import { isLinkLocalIp, isPrivateIp } from '@libp2p/utils'
import type { ConnectionGater } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface ConnectionGaterInit {
  /**
   * Allow private, loopback and link-local addresses: a LAN or a test on one machine. Off on the
   * public network, where such addresses only ever point into somebody's home network.
   */
  lan: boolean
}

/**
 * The connection gater of a Parley node. With `lan: false` it refuses to dial, or to store in the
 * peer store, any address that points at a private, loopback, link-local, unspecified or
 * multicast IP, a `localhost` name or a unix socket (see `isPublicDialable`). Peers advertise
 * their own addresses through identify and the DHT, so without this a hostile peer could make
 * the node probe the user's LAN (routers, printers, local admin pages) on its behalf.
 *
 * With `lan: true` everything is allowed.
 */
export function createConnectionGater (init: ConnectionGaterInit): ConnectionGater {
  if (init.lan) {
    // explicit allow-all rather than `{}`, so libp2p's browser default (deny private
    // addresses) cannot silently apply in a mode that asked for the LAN
    return {
      denyDialMultiaddr: () => false,
      filterMultiaddrForPeer: () => true
    }
  }
  return {
    denyDialMultiaddr: (ma) => !isPublicDialable(ma),
    filterMultiaddrForPeer: (_peer, ma) => isPublicDialable(ma)
  }
}

/**
 * False when dialing `ma` would open a connection to a private, loopback, link-local,
 * unspecified or multicast IP (IPv4 or IPv6, including IPv4-mapped IPv6), to `localhost` or a
 * `*.localhost` name, or to a unix socket; true otherwise.
 *
 * A circuit relay address (`<relay>/p2p-circuit/p2p/<target>`) is judged by its relay part only:
 * that is the only host the transport connects to. Addresses without a network host
 * (`/p2p/<id>` alone, `/memory/...`) are allowed: the first is resolved through the peer store,
 * whose addresses pass this check again, and the second never leaves the process.
 *
 * Other DNS names are allowed: they are resolved at dial time, and a name resolving to a
 * private IP is only caught when libp2p resolves it before dialing (as it does for dnsaddr).
 */
export function isPublicDialable (ma: Multiaddr): boolean {
  const host = dialedHost(ma)
  switch (host?.kind) {
    case 'ip': return !isLocalIp(host.value)
    case 'dns': return !isLocalhostName(host.value)
    case 'unix': return false
    default: return true
  }
}

/**
 * True when `ma` (its relay part, for a circuit address) reaches only this machine or its local
 * network: a private/loopback/link-local IP, a `localhost` name, a unix socket or the in-process
 * memory transport. Public IPs, other DNS names and host-less addresses are not local.
 */
export function isLocalAddress (ma: Multiaddr): boolean {
  const host = dialedHost(ma)
  switch (host?.kind) {
    case 'ip': return isLocalIp(host.value)
    case 'dns': return isLocalhostName(host.value)
    case 'unix':
    case 'memory':
      return true
    default: return false
  }
}

interface Host {
  kind: 'ip' | 'dns' | 'unix' | 'memory'
  value: string
}

/**
 * The host a dial of `ma` connects to: its leading network component. In a circuit address the
 * relay's part comes first, so this is the relay's host; whatever follows `/p2p-circuit` is
 * reached through the relay and never dialed directly.
 */
function dialedHost (ma: Multiaddr): Host | undefined {
  const components = ma.getComponents()
  // a zone only says which interface carries the IPv6 address that follows
  const first = components[0]?.name === 'ip6zone' ? components[1] : components[0]
  const value = first?.value ?? ''
  switch (first?.name) {
    case 'ip4':
    case 'ip6':
      return { kind: 'ip', value }
    case 'dns':
    case 'dns4':
    case 'dns6':
    case 'dnsaddr':
      return { kind: 'dns', value }
    case 'unix':
      return { kind: 'unix', value }
    case 'memory':
      return { kind: 'memory', value }
    default:
      return undefined
  }
}

function isLocalIp (ip: string): boolean {
  // isPrivateIp covers RFC 1918, loopback, link-local, CGNAT, unspecified, ULA, documentation
  // and IPv4-mapped IPv6; undefined means it could not parse the address, so refuse it
  return isPrivateIp(ip) !== false || isLinkLocalIp(ip) || isIpv4Multicast(ip)
}

/** 224.0.0.0/4, which isPrivateIp leaves out (IPv6 multicast ff00::/8 it covers) */
function isIpv4Multicast (ip: string): boolean {
  const match = /^(\d{1,3})\./.exec(ip)
  if (match == null) {
    return false
  }
  const first = Number(match[1])
  return first >= 224 && first <= 239
}

/** RFC 6761: `localhost` and names under it always resolve to loopback */
function isLocalhostName (name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '')
  return lower === 'localhost' || lower.endsWith('.localhost')
}
