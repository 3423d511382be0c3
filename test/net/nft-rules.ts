/** The nftables rulesets the harness loads: conntrack for plain hosts, and the three NAT kinds */

import { LAN_IFNAME, WAN_IFNAME } from './constants.ts'

/**
 * - `port-restricted`: endpoint-independent mapping (Linux keeps the source port when it is
 *   free), address-and-port-dependent filtering. The common home router.
 * - `full-cone`: endpoint-independent mapping and filtering: once the inside host has sent from
 *   a port, anyone may send to that port on the router.
 * - `symmetric`: a new external port per destination; filtering as port-restricted.
 */
export type NatKind = 'port-restricted' | 'full-cone' | 'symmetric'

export const NAT_KINDS: readonly NatKind[] = ['port-restricted', 'full-cone', 'symmetric']

const TABLE = 'parley'

/**
 * Conntrack only tracks a namespace once some rule there needs it, so a namespace without NAT
 * gets a no-op `ct state` rule in input and output; then `flows()` works there too.
 */
export function trackingRuleset (): string {
  return `
table inet ${TABLE} {
  chain input {
    type filter hook input priority filter; policy accept;
    ct state established,related accept
  }
  chain output {
    type filter hook output priority filter; policy accept;
    ct state established,related accept
  }
}
`
}

export interface RouterRulesetInit {
  nat: NatKind
  /** The one host behind the router: where a full cone sends inbound packets */
  hostIp: string
  /** Full cone: how long a port stays open after the host last sent from it */
  mappingTimeoutS: number
}

/**
 * A router with `wan` on the internet bridge and `lan` towards its host. Inbound packets that
 * belong to no connection are dropped silently, as most home routers do; a reset instead would
 * end the other side's SYN retries and so break TCP hole punching that could have worked.
 *
 * Full cone remembers the host's source ports in sets with a timeout and DNATs inbound packets
 * to a remembered port. Recording the host's own port is enough: with one host behind the
 * router, masquerade never has to change it. Symmetric uses `masquerade random`, which draws a
 * fresh external port for every connection (so for every destination).
 */
export function routerRuleset ({ nat, hostIp, mappingTimeoutS }: RouterRulesetInit): string {
  const fullCone = nat === 'full-cone'
  const wan = `iifname "${WAN_IFNAME}"`
  const lanToWan = `iifname "${LAN_IFNAME}" oifname "${WAN_IFNAME}"`
  const lines = (condition: boolean, ...rules: string[]): string => condition ? rules.join('\n    ') : ''
  return `
table ip ${TABLE} {
  ${lines(fullCone,
    `set mapped_udp { type inet_service; flags dynamic,timeout; timeout ${mappingTimeoutS}s; }`,
    `set mapped_tcp { type inet_service; flags dynamic,timeout; timeout ${mappingTimeoutS}s; }`)}
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    ${lines(fullCone,
      `${wan} udp dport @mapped_udp dnat to ${hostIp}`,
      `${wan} tcp dport @mapped_tcp dnat to ${hostIp}`)}
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "${WAN_IFNAME}" masquerade${nat === 'symmetric' ? ' random' : ''}
  }
  chain input {
    type filter hook input priority filter; policy drop;
    iifname "lo" accept
    iifname "${LAN_IFNAME}" accept
    ct state established,related accept
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
    ${lines(fullCone,
      // before the established rule, so every outbound packet keeps its port open
      `${lanToWan} update @mapped_udp { udp sport }`,
      `${lanToWan} update @mapped_tcp { tcp sport }`)}
    ct state established,related accept
    ${lanToWan} accept
    ${lines(fullCone, 'ct status dnat accept')}
  }
}
`
}
