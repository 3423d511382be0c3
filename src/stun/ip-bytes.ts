import { isIPv4, isIPv6 } from 'node:net'

/** An IP address as STUN carries it: family and network-order bytes */
export interface IpBytes {
  family: 4 | 6
  bytes: Uint8Array
}

/**
 * The bytes of an IPv4 or IPv6 address as a UDP socket reports it. An IPv4-mapped IPv6 address
 * (`::ffff:1.2.3.4`, what a dual-stack socket reports for IPv4 peers) is the IPv4 address: that
 * is the address the peer's NAT mapped. Throws `TypeError` for anything else.
 */
export function ipBytes (ip: string): IpBytes {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped != null) return ipBytes(mapped[1])
  if (isIPv4(ip)) return { family: 4, bytes: Uint8Array.from(ip.split('.').map(Number)) }
  if (!isIPv6(ip)) throw new TypeError(`not an IP address: ${ip}`)
  // a zone (fe80::1%eth0) names the interface, not part of the address; an embedded IPv4 tail
  // (::1.2.3.4) is the last two groups
  const text = ip.replace(/%.*$/, '').replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`)
  const [head, tail] = text.split('::')
  const groups = (part: string | undefined): number[] => part == null || part === '' ? [] : part.split(':').map(g => parseInt(g, 16))
  const front = groups(head)
  const back = groups(tail)
  const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back]
  const bytes = new Uint8Array(16)
  all.forEach((group, i) => {
    bytes[2 * i] = group >> 8
    bytes[2 * i + 1] = group & 0xff
  })
  return { family: 6, bytes }
}
