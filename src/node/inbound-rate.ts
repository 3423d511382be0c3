import { logger } from '@libp2p/logger'
import { RateLimiter } from '@libp2p/utils'
import { INBOUND_CONNECTIONS_PER_IP_PER_S } from './constants.ts'
import { remoteIp } from './remote-ip.ts'
import type { MultiaddrConnection } from '@libp2p/interface'

const log = logger('parley:inbound-rate')

/**
 * New inbound connections per IP per second, relayed ones not counted.
 *
 * libp2p's own limit (`inboundConnectionThreshold`, in `acceptIncomingConnection`) keys every
 * connection by the IP in its remote address, and a relayed connection's address starts with
 * its relay's: a NATted user reached by six peers in one second through its relay refused the
 * sixth. The node gives libp2p a limit that never bites and the gater asks this instead.
 */
export class InboundRate {
  private readonly limiter: RateLimiter
  private readonly perSecond: number

  constructor (perSecond = INBOUND_CONNECTIONS_PER_IP_PER_S) {
    this.perSecond = perSecond
    this.limiter = new RateLimiter({ points: perSecond, duration: 1 })
  }

  /** False when the connection's IP opened `perSecond` others in the last second */
  admit (maConn: Pick<MultiaddrConnection, 'remoteAddr'>): boolean {
    const ip = remoteIp(maConn)
    if (ip == null) return true
    try {
      this.limiter.consume(ip, 1)
      return true
    } catch {
      log('refusing a connection from %s: over %d new connections a second', ip, this.perSecond)
      return false
    }
  }
}
