import { IpNet } from '@chainsafe/netmask'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { toString as toHex } from 'uint8arrays/to-string'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * What a deposit made before storers charged sources (their depositor was a PeerId, which is
 * not kept): one shared source, whose items count against no sender anyone can name
 */
export const EARLIER_SOURCE = 'earlier'

/** An IPv6 host usually holds a /64: its addresses count as one source */
const IPV6_PREFIX = '64'
const TAG_BYTES = 16
const encoder = new TextEncoder()

/**
 * Whom a storer's quotas charge a deposit to: not the depositor's PeerId (which would tell the
 * storer who writes to whom, and which a sender could change at will), but the network it came
 * from (an IPv4 address, an IPv6 /64; for an address without an IP, a simulated network's, the
 * whole address), as a keyed hash under a secret this process drew at start and never writes down.
 * So the storer's database holds no address either: after a restart its tags match nothing.
 */
export class SourceTags {
  private readonly secret = crypto.getRandomValues(new Uint8Array(32))

  /** The tag of the network `remoteAddr` is on */
  tagOf (remoteAddr: Multiaddr): string {
    return `s${toHex(hmac(sha256, this.secret, encoder.encode(networkOf(remoteAddr))).subarray(0, TAG_BYTES), 'base16')}`
  }
}

/** The network a connection's remote address is on, as text */
export function networkOf (remoteAddr: Multiaddr): string {
  const components = remoteAddr.getComponents()
  const ip = components.find(c => c.name === 'ip4' || c.name === 'ip6')
  // no IP: a simulated network's memory address, each dialler's its own (it is only ever hashed)
  if (ip?.value == null) return remoteAddr.toString()
  return ip.name === 'ip4' ? ip.value : new IpNet(ip.value, IPV6_PREFIX).toString()
}
