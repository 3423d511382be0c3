import { logger } from '@libp2p/logger'
import { isPrivateIp } from '@libp2p/utils'
import { osLookup } from './host-lookup.ts'
import { InboundRate } from './inbound-rate.ts'
import { PendingInbound } from './pending-inbound.ts'
import type { LookupHost } from './host-lookup.ts'
import type { ConnectionGater } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const log = logger('parley:connection-gater')

/** How long a dial waits for the gater to resolve a name before it is refused */
const LOOKUP_TIMEOUT_MS = 5_000

export interface ConnectionGaterInit {
  /**
   * Allow private, loopback and link-local addresses: a LAN or a test on one machine. Off on the
   * public network, where such addresses only ever point into somebody's home network.
   */
  lan: boolean
  /**
   * Resolves the DNS names of `/dns`, `/dns4` and `/dns6` addresses before they are dialled
   * (tests give their own, so no query leaves the machine).
   * @default the operating system's resolver (`osLookup`); none in a browser
   */
  lookupHost?: LookupHost
  /** @default LOOKUP_TIMEOUT_MS */
  lookupTimeoutMs?: number
}

/**
 * The connection gater of a Parley node. With `lan: false` it refuses to dial, or to store in the
 * peer store, any address that points at a private, loopback, link-local, unspecified or
 * multicast IP, a `localhost` name or a unix socket (see `isPublicDialable`). Peers advertise
 * their own addresses through identify and the DHT, so without this a hostile peer could make
 * the node probe the user's LAN (routers, printers, local admin pages) on its behalf.
 *
 * A DNS name is no different from the addresses it resolves to, and a hostile peer chooses the
 * name (its own DNS zone, or a service like nip.io that answers `10.0.0.1.nip.io` with
 * 10.0.0.1). libp2p resolves only `/dnsaddr` before gating (dial-queue `calculateMultiaddrs`);
 * `/dns4`, `/dns6` and `/dns` reach the transport as names and the OS resolves them in
 * `net.connect`. So before a dial the gater resolves the name itself and refuses it when any
 * answer is local (the transport may connect to any of them), when it does not resolve, or
 * when it takes longer than `lookupTimeoutMs`. A public name, such as a relay's in
 * `bootstrap-nodes.json`, resolves to public addresses and is dialled. Names are not resolved
 * when stored: every dial passes here, and a peer's addresses must not make the node send DNS
 * queries of the peer's choosing.
 *
 * The transport resolves the name again when it connects, and a DNS server that answers
 * differently from one query to the next (rebinding, with a TTL of 0) could slip a local address
 * in between; so the TCP transport resolves through `gatedNetLookup` (gated-lookup.ts), which
 * refuses the same answers. WebSocket dials by name (`/dns4/.../ws`) still resolve through the
 * OS after the gate. In a browser, which resolves names itself, names are not checked here.
 *
 * Inbound, it refuses a connection from an IP that opened INBOUND_CONNECTIONS_PER_IP_PER_S others
 * in the last second (`InboundRate`), or has MAX_PENDING_INBOUND_PER_IP others still negotiating
 * (`PendingInbound`); relayed connections count against neither.
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
  const lookup = init.lookupHost ?? osLookup()
  const timeoutMs = init.lookupTimeoutMs ?? LOOKUP_TIMEOUT_MS
  const rate = new InboundRate()
  const pending = new PendingInbound()
  return {
    denyInboundConnection: (maConn) => !(rate.admit(maConn) && pending.admit(maConn)),
    denyInboundUpgradedConnection: (_peer, maConn) => {
      pending.upgraded(maConn)
      return false
    },
    denyDialMultiaddr: async (ma) => {
      if (!isPublicDialable(ma)) {
        return true
      }
      const host = dialedHost(ma)
      return host?.kind === 'name' && lookup != null && await resolvesToLocal(host.value, lookup, timeoutMs)
    },
    filterMultiaddrForPeer: (_peer, ma) => isPublicDialable(ma)
  }
}

/**
 * False when dialing `ma` would open a connection to a private, loopback, link-local,
 * unspecified, multicast or otherwise non-global IP (IPv4 or IPv6, including IPv4 carried in
 * IPv6: mapped, compatible, or behind NAT64), to `localhost` or a `*.localhost` name, to a name
 * that is itself such an IP (`/dns4/127.0.0.1`, `/dns4/127.1`), or to a unix socket; true
 * otherwise. Other names are judged by what they resolve to, at dial time (see
 * `createConnectionGater`).
 *
 * A circuit relay address (`<relay>/p2p-circuit/p2p/<target>`) is judged by its relay part only:
 * that is the only host the transport connects to. Addresses without a network host
 * (`/p2p/<id>` alone, `/memory/...`) are allowed: the first is resolved through the peer store,
 * whose addresses pass this check again, and the second never leaves the process. So is
 * `/dnsaddr`, which libp2p replaces with the addresses in its TXT records before gating them.
 */
export function isPublicDialable (ma: Multiaddr): boolean {
  const host = dialedHost(ma)
  switch (host?.kind) {
    case 'ip': return !isLocalIp(host.value)
    case 'name': return isPlainHostName(host.value) && !isLocalhostName(host.value)
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
    case 'name': return isLocalhostName(host.value)
    case 'unix':
    case 'memory':
      return true
    default: return false
  }
}

interface Host {
  /** `name` is a DNS name the transport resolves; `dnsaddr` one libp2p resolves before gating */
  kind: 'ip' | 'name' | 'dnsaddr' | 'unix' | 'memory'
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
    case 'dns6': {
      const ip = ipLiteral(value)
      return ip != null ? { kind: 'ip', value: ip } : { kind: 'name', value }
    }
    case 'dnsaddr':
      return { kind: 'dnsaddr', value }
    case 'unix':
      return { kind: 'unix', value }
    case 'memory':
      return { kind: 'memory', value }
    default:
      return undefined
  }
}

/**
 * The IP a "name" stands for when it is an address: the OS parses `127.0.0.1`, and inet_aton's
 * shorter forms (`127.1`, `2130706433`, `0x7f.1`), without asking DNS. The URL host parser
 * reads the same forms, and gives IPv6 in its canonical text. Undefined for a real name.
 */
function ipLiteral (name: string): string | undefined {
  let host: string
  try {
    host = new URL(`http://${name.includes(':') ? `[${name}]` : name}/`).hostname
  } catch {
    // not a valid URL host, so not an address either: left to resolution
    return undefined
  }
  if (host.startsWith('[')) {
    return host.slice(1, -1)
  }
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : undefined
}

/**
 * True when `name` resolves to any local IP, to nothing, or not within `timeoutMs`: a name that
 * cannot be shown to be public is not dialled.
 */
async function resolvesToLocal (name: string, lookup: LookupHost, timeoutMs: number): Promise<boolean> {
  try {
    await publicAnswers(name, lookup, timeoutMs)
    return false
  } catch (err) {
    log('refusing %s - %e', name, err)
    return true
  }
}

/**
 * What `name` resolves to, when every answer is a public address
 *
 * @throws Error when it does not resolve within `timeoutMs`, to nothing, or to any local address
 */
export async function publicAnswers (name: string, lookup: LookupHost, timeoutMs = LOOKUP_TIMEOUT_MS): Promise<string[]> {
  const signal = AbortSignal.timeout(timeoutMs)
  // the OS resolver cannot be cancelled, so the dial stops waiting for it rather than aborting it
  const ips = await Promise.race([
    lookup(name, { signal }),
    new Promise<never>((_resolve, reject) => {
      signal.addEventListener('abort', () => { reject(signal.reason) }, { once: true })
    })
  ])
  const local = ips.filter(isLocalIp)
  if (ips.length === 0 || local.length > 0) {
    throw new Error(`${name} resolves to ${ips.length === 0 ? 'no address' : local.join(', ')}`)
  }
  return ips
}

function isLocalIp (ip: string): boolean {
  return ip.includes(':') ? isLocalIpv6(ip) : isLocalIpv4(ip)
}

function isLocalIpv4 (ip: string): boolean {
  // isPrivateIp covers RFC 1918, loopback, link-local, CGNAT, unspecified, documentation and
  // reserved ranges; undefined means it could not parse the address, so refuse it
  return isPrivateIp(ip) !== false || isIpv4Multicast(ip)
}

/** 224.0.0.0/4, which isPrivateIp leaves out */
function isIpv4Multicast (ip: string): boolean {
  const match = /^(\d{1,3})\./.exec(ip)
  if (match == null) {
    return false
  }
  const first = Number(match[1])
  return first >= 224 && first <= 239
}

/**
 * Local unless it is a global unicast address (2000::/3) that isPrivateIp passes, or carries
 * a public IPv4 the way a connection really reaches it: IPv4-mapped (::ffff:a.b.c.d, connects
 * over IPv4) or through a NAT64 gateway (64:ff9b::a.b.c.d, RFC 6052). isPrivateIp matches
 * text, and missed NAT64 and IPv4-compatible addresses in hex (`64:ff9b::a00:1`, `::a00:1`), so
 * the address is read as numbers here. Everything else outside 2000::/3 is loopback,
 * unspecified, link-local, unique local, multicast, or reserved and not routed on the internet:
 * IPv4-compatible ::a.b.c.d (deprecated; Linux's sit tunnel sends it to the IPv4), the NAT64
 * local-use prefix 64:ff9b:1::/48 (RFC 8215, translated into whatever its operator chose),
 * discard-only 100::/64.
 */
function isLocalIpv6 (ip: string): boolean {
  // a zone only says which interface to use
  const parsed = parseIpv6(ip.replace(/%.*$/, ''))
  if (parsed == null) {
    return true
  }
  const { groups, text } = parsed
  if (hasPrefix(groups, IPV4_MAPPED) || hasPrefix(groups, NAT64_WELL_KNOWN)) {
    return isLocalIpv4(`${groups[6] >> 8}.${groups[6] & 0xff}.${groups[7] >> 8}.${groups[7] & 0xff}`)
  }
  const globalUnicast = (groups[0] & 0xe000) === 0x2000
  return !globalUnicast || isPrivateIp(text) !== false
}

/** ::ffff:0:0/96 */
const IPV4_MAPPED = [0, 0, 0, 0, 0, 0xffff]
/** 64:ff9b::/96 */
const NAT64_WELL_KNOWN = [0x64, 0xff9b, 0, 0, 0, 0]

function hasPrefix (groups: number[], prefix: number[]): boolean {
  return prefix.every((group, i) => groups[i] === group)
}

/**
 * The eight 16-bit groups of an IPv6 address and its canonical text (the form isPrivateIp's
 * patterns expect), or undefined when it is not one
 */
function parseIpv6 (ip: string): { groups: number[], text: string } | undefined {
  let text: string
  try {
    // the URL parser accepts every IPv6 text form and gives back one: lower case, the longest
    // run of zeros as `::`, an embedded dotted IPv4 in hex
    text = new URL(`http://[${ip}]/`).hostname.slice(1, -1)
  } catch {
    return undefined
  }
  const [head, tail] = text.split('::')
  const parse = (part: string): number[] => part === '' ? [] : part.split(':').map(group => parseInt(group, 16))
  const left = parse(head)
  if (tail == null) {
    return { groups: left, text }
  }
  const right = parse(tail)
  return { groups: [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right], text }
}

/**
 * Letters, digits, `-`, `_` and dots only (an international name in its `xn--` form). The TCP
 * transport hands a name to getaddrinfo as it is, WebSockets through the URL parser, which
 * decodes `%xx` and maps Unicode: with anything else in it, the name checked and the name
 * connected to could differ.
 */
function isPlainHostName (name: string): boolean {
  return /^[a-z0-9_.-]+$/i.test(name)
}

/** RFC 6761: `localhost` and names under it always resolve to loopback */
function isLocalhostName (name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '')
  return lower === 'localhost' || lower.endsWith('.localhost')
}
