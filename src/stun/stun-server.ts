import { createSocket } from 'node:dgram'
import { serviceCapabilities } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import { MAX_STUN_INFO_BYTES, STUN_INFO_PROTOCOL, STUN_INFO_TIMEOUT_MS, STUN_PORT } from './constants.ts'
import { StunListenError } from './errors.ts'
import { ipBytes } from './ip-bytes.ts'
import { decodeBindingRequest, encodeBindingSuccess } from './message.ts'
import { StunInfo } from './pb/stun.ts'
import { RateLimit } from './rate-limit.ts'
import { framing } from '../protocols/length-prefix.ts'
import type { RateLimitInit } from './rate-limit.ts'
import type { ComponentLogger, Connection, Logger, Startable, Stream } from '@libp2p/interface'
import type { AddressManager, Registrar } from '@libp2p/interface-internal'
import type { RemoteInfo, Socket } from 'node:dgram'

export interface StunServerInit {
  /** UDP port on each listening IP. 0 takes a free port per socket (tests). @default STUN_PORT */
  port?: number
  /** Per-source and total rate limits (see `RateLimit`) */
  rateLimit?: RateLimitInit
}

export interface StunServerComponents {
  addressManager: Pick<AddressManager, 'getListenAddrs'>
  registrar: Pick<Registrar, 'handle' | 'unhandle'>
  logger: ComponentLogger
}

/** A UDP socket the server answers on */
export interface StunSocketAddress {
  address: string
  port: number
  family: 'IPv4' | 'IPv6'
}

/**
 * A relay's STUN server (RFC 8489 binding requests only, no authentication), so that its users'
 * WebRTC learns the address their NAT maps them to without asking a third party. It answers on
 * `port` of every IP host the node listens on (`0.0.0.0` and `::` for a relay's defaults), and
 * tells users the port over `/parley/stun/1.0.0`.
 *
 * Everything that is not a well-formed binding request is dropped unanswered (no error
 * responses: they would reflect traffic to whoever the source claims to be), as is every
 * request over the rate limits. A response is at most the request's size plus the mapped
 * address.
 */
export class StunServer implements Startable {
  private readonly log: Logger
  private readonly port: number
  private readonly limit: RateLimit
  private sockets: Socket[] = []

  constructor (private readonly components: StunServerComponents, init: StunServerInit = {}) {
    this.log = components.logger.forComponent('parley:stun')
    this.port = init.port ?? STUN_PORT
    this.limit = new RateLimit(init.rateLimit)
  }

  readonly [Symbol.toStringTag] = '@parley/stun-server'
  readonly [serviceCapabilities] = ['@parley/stun-server']

  /**
   * Binds a socket per listening IP host. One that fails (no IPv6 on this machine) is logged and
   * skipped; throws `StunListenError` when none binds.
   */
  async start (): Promise<void> {
    const failures: string[] = []
    for (const host of listeningHosts(this.components.addressManager)) {
      try {
        this.sockets.push(await this.bind(host))
      } catch (err: any) {
        failures.push(`${host}: ${err.message}`)
        this.log.error('cannot answer STUN on %s port %d - %e', host, this.port, err)
      }
    }
    if (this.sockets.length === 0) {
      throw new StunListenError(`the STUN server could not listen on UDP port ${this.port}${failures.length > 0 ? ` (${failures.join('; ')}); free it, or choose another with --stun-port (0: no STUN)` : ': the node listens on no IP address'}`)
    }
    await this.components.registrar.handle(STUN_INFO_PROTOCOL, this.onInfoStream.bind(this), {
      maxInboundStreams: 2,
      maxOutboundStreams: 0
    })
    this.log('answering STUN on %s', this.addresses().map(a => `${a.address} port ${a.port}`).join(', '))
  }

  async stop (): Promise<void> {
    await this.components.registrar.unhandle(STUN_INFO_PROTOCOL)
    const sockets = this.sockets
    this.sockets = []
    await Promise.all(sockets.map(async s => new Promise<void>(resolve => { s.close(() => { resolve() }) })))
  }

  /** Where it answers (empty when stopped) */
  addresses (): StunSocketAddress[] {
    return this.sockets.map(s => s.address() as StunSocketAddress)
  }

  private async bind (host: string): Promise<Socket> {
    const ipv6 = host.includes(':')
    // ipv6Only: IPv4 has its own socket, and a dual-stack one would report IPv4 peers as ::ffff:
    const socket = createSocket({ type: ipv6 ? 'udp6' : 'udp4', ipv6Only: ipv6 })
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind({ address: host, port: this.port }, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    socket.on('error', err => { this.log.error('STUN socket error - %e', err) })
    socket.on('message', (datagram, from) => { this.onDatagram(socket, datagram, from) })
    return socket
  }

  private onDatagram (socket: Socket, datagram: Buffer, from: RemoteInfo): void {
    let request
    try {
      request = decodeBindingRequest(datagram)
    } catch (err: any) {
      this.log.trace('dropping a datagram from %s - %s', from.address, err.message)
      return
    }
    if (!this.limit.take(from.address)) {
      this.log.trace('dropping a binding request from %s: over the rate limit', from.address)
      return
    }
    const response = encodeBindingSuccess({ ...request, address: ipBytes(from.address), port: from.port })
    socket.send(response, from.port, from.address, err => {
      if (err != null) this.log.trace('could not answer %s - %e', from.address, err)
    })
  }

  /** Tells a connected user the STUN port; the IP is the one it reached this node at */
  private async onInfoStream (stream: Stream, _connection: Connection): Promise<void> {
    try {
      const pb = pbStream(stream, framing(MAX_STUN_INFO_BYTES))
      const signal = AbortSignal.timeout(STUN_INFO_TIMEOUT_MS)
      await pb.write({ port: this.addresses()[0]?.port ?? this.port }, StunInfo, { signal })
      await stream.close({ signal })
    } catch (err: any) {
      stream.abort(err)
    }
  }
}

/** The IP hosts of the node's listening addresses (`0.0.0.0`, `::`, or specific ones), once each */
function listeningHosts (addressManager: Pick<AddressManager, 'getListenAddrs'>): string[] {
  const hosts = new Set<string>()
  for (const ma of addressManager.getListenAddrs()) {
    const first = ma.getComponents()[0]
    if ((first?.name === 'ip4' || first?.name === 'ip6') && first.value != null) hosts.add(first.value)
  }
  return [...hosts]
}
