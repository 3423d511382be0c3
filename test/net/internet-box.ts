/**
 * The internet in a box: public hosts and NAT routers on one bridge, each in its own network
 * namespace, so Parley daemons run as separate processes that see public and NATted addresses.
 * Nothing is created in the caller's own namespace: every veth is made inside a box namespace
 * with its peer placed straight into another.
 */

import { lanPrefix, publicIp } from './addresses.ts'
import {
  BRIDGE_IFNAME, DEFAULT_LAN_PREFIX, FULL_CONE_MAPPING_TIMEOUT_S, HOST_IFNAME, HOST_NAME_PATTERN, INTERNET_ROLE,
  LAN_IFNAME, NATTED_HOST_LAN_HOST, PORT_IFNAME_PREFIX, PUBLIC_PREFIX_LENGTH, ROUTER_LAN_HOST, ROUTER_ROLE_SUFFIX, WAN_IFNAME
} from './constants.ts'
import { AddressesExhaustedError, BoxDestroyedError, InvalidHostNameError } from './errors.ts'
import { Host, NattedHost, Router } from './hosts.ts'
import { Namespace } from './namespace.ts'
import { routerRuleset, trackingRuleset } from './nft-rules.ts'
import { namespaceName, removeStaleNamespaces } from './stale.ts'
import type { NamespaceInit } from './namespace.ts'
import type { NatKind } from './nft-rules.ts'

export interface InternetBoxInit {
  /**
   * Keep IPv6 in every namespace (link-local only: the box assigns IPv4 addresses)
   * @default false
   */
  ipv6?: boolean
}

export interface NattedHostInit {
  nat: NatKind
  /**
   * The LAN behind the router as a.b.c.0/24: router .1, host .2. Two routers may be given the
   * same one, as two real home networks often are.
   * @default 192.168.<n>.0/24, n counting this box's routers from 1
   */
  lanSubnet?: string
  /**
   * Full cone only: how long a port stays open to everyone after the host last sent from it
   * @default FULL_CONE_MAPPING_TIMEOUT_S
   */
  mappingTimeoutS?: number
}

/** Boxes made by this process, so two boxes never share a namespace name */
let boxCount = 0

export class InternetBox {
  /**
   * Holds the bridge and nothing else. It has no netfilter rules, so bridged packets pass
   * untouched even where br_netfilter would hand them to iptables.
   */
  readonly internet: Namespace
  private readonly all: Namespace[] = []
  private readonly hostNames = new Set<string>()
  private readonly id = boxCount++
  private readonly ipv6: boolean
  private publicAddresses = 0
  private defaultLans = 0
  private destroying?: Promise<void>

  private constructor (init: InternetBoxInit) {
    this.ipv6 = init.ipv6 === true
    this.internet = new Namespace(namespaceName(this.id, INTERNET_ROLE))
  }

  /** Removes namespaces a killed run left behind, then builds an empty internet */
  static async create (init: InternetBoxInit = {}): Promise<InternetBox> {
    await removeStaleNamespaces()
    const box = new InternetBox(init)
    try {
      await box.make(box.internet)
      await box.internet.runIpBatch([`link add ${BRIDGE_IFNAME} type bridge`, `link set ${BRIDGE_IFNAME} up`])
    } catch (err) {
      await box.destroy()
      throw err
    }
    return box
  }

  /** Every namespace of the box, in creation order */
  get namespaces (): readonly Namespace[] {
    return this.all
  }

  /** A host with a public address straight on the internet */
  async addPublicHost (name: string): Promise<Host> {
    this.claim(name)
    const ip = publicIp(this.publicAddresses++)
    const host = await this.make(new Host(namespaceName(this.id, name), ip, ip))
    await this.plug(host, HOST_IFNAME, name)
    await host.runIpBatch([`addr add ${ip}/${PUBLIC_PREFIX_LENGTH} dev ${HOST_IFNAME}`, `link set ${HOST_IFNAME} up`])
    await host.loadRules(trackingRuleset())
    return host
  }

  /** A host behind its own NAT router; the router is `host.router` */
  async addNattedHost (name: string, init: NattedHostInit): Promise<NattedHost> {
    this.claim(name)
    const lan = init.lanSubnet != null ? lanPrefix(init.lanSubnet) : this.nextDefaultLan()
    const routerName = namespaceName(this.id, name + ROUTER_ROLE_SUFFIX)
    const router = await this.make(
      new Router(routerName, init.nat, publicIp(this.publicAddresses++), `${lan}.${ROUTER_LAN_HOST}`),
      { 'net.ipv4.ip_forward': 1 }
    )
    const host = await this.make(new NattedHost(namespaceName(this.id, name), `${lan}.${NATTED_HOST_LAN_HOST}`, router))
    await this.plug(router, WAN_IFNAME, name)
    await router.runIp(['link', 'add', LAN_IFNAME, 'type', 'veth', 'peer', 'name', HOST_IFNAME, 'netns', host.name])
    await router.runIpBatch([
      `addr add ${router.wanIp}/${PUBLIC_PREFIX_LENGTH} dev ${WAN_IFNAME}`,
      `link set ${WAN_IFNAME} up`,
      `addr add ${router.lanIp}/24 dev ${LAN_IFNAME}`,
      `link set ${LAN_IFNAME} up`
    ])
    await host.runIpBatch([
      `addr add ${host.ip}/24 dev ${HOST_IFNAME}`,
      `link set ${HOST_IFNAME} up`,
      `route add default via ${router.lanIp}`
    ])
    await router.loadRules(routerRuleset({
      nat: init.nat,
      hostIp: host.ip,
      mappingTimeoutS: init.mappingTimeoutS ?? FULL_CONE_MAPPING_TIMEOUT_S
    }))
    await host.loadRules(trackingRuleset())
    return host
  }

  /** Kills every process spawned in the box and deletes all its namespaces; idempotent */
  async destroy (): Promise<void> {
    this.destroying ??= (async () => {
      const results = await Promise.allSettled(this.all.map(async ns => ns.delete()))
      const failed = results.find(result => result.status === 'rejected')
      if (failed != null) throw failed.reason
    })()
    return this.destroying
  }

  private claim (name: string): void {
    if (this.destroying != null) throw new BoxDestroyedError()
    if (!HOST_NAME_PATTERN.test(name) || name === INTERNET_ROLE) throw new InvalidHostNameError(`Not a usable host name: ${name}`)
    if (this.hostNames.has(name)) throw new InvalidHostNameError(`The box already has a host named ${name}`)
    this.hostNames.add(name)
  }

  /** Creates the namespace, first listing it so destroy() deletes it even if setup fails later */
  private async make<T extends Namespace> (ns: T, sysctls: NamespaceInit['sysctls'] = {}): Promise<T> {
    if (this.destroying != null) throw new BoxDestroyedError()
    this.all.push(ns)
    await ns.create({ ipv6: this.ipv6, sysctls })
    return ns
  }

  /** A cable from `ns` (where the end is called `ifname`) to a port of the internet's bridge */
  private async plug (ns: Namespace, ifname: string, hostName: string): Promise<void> {
    const port = PORT_IFNAME_PREFIX + hostName
    await this.internet.runIpBatch([
      `link add ${port} type veth peer name ${ifname} netns ${ns.name}`,
      `link set ${port} master ${BRIDGE_IFNAME} up`
    ])
  }

  private nextDefaultLan (): string {
    if (this.defaultLans >= 254) throw new AddressesExhaustedError('No default LAN subnet left: give lanSubnet')
    return `${DEFAULT_LAN_PREFIX}.${++this.defaultLans}`
  }
}
