import { MAX_RELAY_STUN_SERVERS } from './constants.ts'

/**
 * The STUN servers of the relays a user node is connected to, which WebRTC asks for the
 * address the user's NAT maps it to. Filled by `relayStunDiscovery`; read by the WebRTC
 * transport at each new peer connection (its `rtcConfiguration` function), so a relay that
 * connects or goes away counts from the next connection on.
 */
export class StunServerList {
  /** By relay peer id, in the order they were learnt */
  private readonly servers = new Map<string, string>()

  constructor (private readonly max = MAX_RELAY_STUN_SERVERS) {}

  /** `stun:` URL of the relay's server, e.g. `stun:203.0.113.7:3478` or `stun:[2001:db8::7]:3478` */
  set (relay: string, ip: string, port: number): void {
    this.servers.set(relay, `stun:${ip.includes(':') ? `[${ip}]` : ip}:${port}`)
  }

  delete (relay: string): void {
    this.servers.delete(relay)
  }

  has (relay: string): boolean {
    return this.servers.has(relay)
  }

  /** At most `max` servers, the longest-known first (a relay that stays is the one to ask) */
  iceServers (): RTCIceServer[] {
    return [...this.servers.values()].slice(0, this.max).map(url => ({ urls: url }))
  }
}
