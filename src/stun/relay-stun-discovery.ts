import { serviceCapabilities } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import { IP } from '@multiformats/multiaddr-matcher'
import { MAX_STUN_INFO_BYTES, STUN_INFO_PROTOCOL, STUN_INFO_TIMEOUT_MS } from './constants.ts'
import { InvalidStunInfoError } from './errors.ts'
import { StunInfo } from './pb/stun.ts'
import { framing } from '../protocols/length-prefix.ts'
import type { StunServerList } from './stun-server-list.ts'
import type { AbortOptions, ComponentLogger, Connection, IdentifyResult, Libp2pEvents, Logger, PeerId, Startable, TypedEventTarget } from '@libp2p/interface'

export interface RelayStunDiscoveryInit {
  /** Where the servers found go (the same list the WebRTC transport reads) */
  list: StunServerList
  /** @default STUN_INFO_TIMEOUT_MS */
  timeoutMs?: number
}

export interface RelayStunDiscoveryComponents {
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

/**
 * Keeps a user's `StunServerList` to the relays it is connected to that answer STUN: when a peer
 * identifies with `/parley/stun/1.0.0` over a direct connection, it asks for the port and lists
 * the peer at the IP it reached it at; when the peer disconnects, it is taken off. So STUN goes
 * only to relays the user chose to bootstrap from or found in the DHT, never to a third party.
 */
export class RelayStunDiscovery implements Startable {
  private readonly log: Logger
  private readonly list: StunServerList
  private readonly timeoutMs: number
  private readonly shutdown = new AbortController()

  private readonly onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
    const { peerId, protocols, connection } = evt.detail
    if (!protocols.includes(STUN_INFO_PROTOCOL) || this.list.has(peerId.toString())) return
    // over a relay, the remote address names the relay in between, not this peer's IP
    if (connection.limits != null || !IP.matches(connection.remoteAddr)) return
    const ip = connection.remoteAddr.getComponents()[0].value ?? ''
    this.ask(connection, { signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(this.timeoutMs)]) })
      .then(port => {
        if (connection.status !== 'open') return
        this.list.set(peerId.toString(), ip, port)
        this.log('%p answers STUN on %s port %d', peerId, ip, port)
      }, (err: any) => {
        this.log('could not learn the STUN port of %p - %e', peerId, err)
      })
  }

  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    this.list.delete(evt.detail.toString())
  }

  constructor (private readonly components: RelayStunDiscoveryComponents, init: RelayStunDiscoveryInit) {
    this.log = components.logger.forComponent('parley:stun')
    this.list = init.list
    this.timeoutMs = init.timeoutMs ?? STUN_INFO_TIMEOUT_MS
  }

  readonly [Symbol.toStringTag] = '@parley/relay-stun-discovery'
  readonly [serviceCapabilities] = ['@parley/relay-stun-discovery']

  start (): void {
    this.components.events.addEventListener('peer:identify', this.onIdentify)
    this.components.events.addEventListener('peer:disconnect', this.onDisconnect)
  }

  stop (): void {
    this.components.events.removeEventListener('peer:identify', this.onIdentify)
    this.components.events.removeEventListener('peer:disconnect', this.onDisconnect)
    this.shutdown.abort()
  }

  /** The servers WebRTC is given now (see `StunServerList.iceServers`) */
  iceServers (): RTCIceServer[] {
    return this.list.iceServers()
  }

  /** The relay's STUN port; throws `InvalidStunInfoError` when its answer names none */
  private async ask (connection: Connection, options: AbortOptions): Promise<number> {
    const stream = await connection.newStream(STUN_INFO_PROTOCOL, options)
    try {
      const info = await pbStream(stream, framing(MAX_STUN_INFO_BYTES)).read(StunInfo, options)
      if (info.port < 1 || info.port > 65_535) throw new InvalidStunInfoError(`the STUN port ${info.port} is not a UDP port`)
      await stream.close(options)
      return info.port
    } catch (err: any) {
      stream.abort(err)
      throw err
    }
  }
}
