/** What the box hands out: hosts on the internet, routers, and hosts behind a router */

import { Namespace } from './namespace.ts'
import type { NatKind } from './nft-rules.ts'

/** A machine with one interface, `eth0` */
export class Host extends Namespace {
  /** Its own address */
  readonly ip: string
  /** The address the internet sees: `ip` itself on the internet, the router's behind a NAT */
  readonly publicIp: string

  constructor (name: string, ip: string, publicIp: string) {
    super(name)
    this.ip = ip
    this.publicIp = publicIp
  }
}

/** A home router: `wan` on the internet bridge, `lan` towards the one host behind it */
export class Router extends Namespace {
  readonly nat: NatKind
  readonly wanIp: string
  readonly lanIp: string

  constructor (name: string, nat: NatKind, wanIp: string, lanIp: string) {
    super(name)
    this.nat = nat
    this.wanIp = wanIp
    this.lanIp = lanIp
  }
}

export class NattedHost extends Host {
  readonly router: Router

  constructor (name: string, ip: string, router: Router) {
    super(name, ip, router.wanIp)
    this.router = router
  }
}
