import { networkInterfaces } from 'node:os'
import { isLinkLocalIp, isPrivateIp } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import type { NetworkInterfaceInfo } from 'node:os'

/**
 * The public addresses a relay listens on, to announce from the start. libp2p announces a
 * public address only once autonat has confirmed it (private and loopback ones at once), so a
 * relay on a public IP printed and published only `127.0.0.1` until peers had dialled it back,
 * and every `/p2p-circuit` address built on it named loopback, which public nodes refuse. A relay
 * is public by definition (that is what running one means), so its public listening addresses
 * need no confirmation.
 *
 * A wildcard host (`0.0.0.0`, `::`) stands for each of this machine's addresses of that family;
 * private, loopback and link-local ones are left out, and so is any address on port 0 (its port
 * is only known once listening, and relays keep fixed ports).
 */
export function relayPublicAddresses (listen: string[], interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string[] {
  const local = Object.values(interfaces).flatMap(list => list ?? []).filter(i => !i.internal)
  const found = new Set<string>()
  for (const text of listen) {
    const ma = multiaddr(text)
    const [host, transport] = ma.getComponents()
    if ((host?.name !== 'ip4' && host?.name !== 'ip6') || transport?.value === '0') continue
    const family = host.name === 'ip4' ? 'IPv4' : 'IPv6'
    const ips = host.value === '0.0.0.0' || host.value === '::'
      ? local.filter(i => i.family === family).map(i => i.address)
      : [host.value ?? '']
    const rest = ma.toString().slice(`/${host.name}/${host.value}`.length)
    for (const ip of ips) {
      if (isPrivateIp(ip) === false && !isLinkLocalIp(ip)) found.add(`/${host.name}/${ip}${rest}`)
    }
  }
  return [...found]
}
