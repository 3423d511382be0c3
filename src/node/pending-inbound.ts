import { logger } from '@libp2p/logger'
import { MAX_PENDING_INBOUND_PER_IP } from './constants.ts'
import { remoteIp } from './remote-ip.ts'
import type { MultiaddrConnection } from '@libp2p/interface'

const log = logger('parley:pending-inbound')

/**
 * Inbound connections still negotiating (encryption, then the muxer), counted per remote IP, so
 * that one source cannot hold every slot libp2p keeps for them.
 *
 * libp2p bounds them in total (`maxIncomingPendingConnections`) and bounds each one's time
 * (`inboundUpgradeTimeout`), but not per source: a dozen sockets every few seconds that sent
 * nothing, or stopped after multistream's header, held all 10 default slots and kept 70-100 % of
 * honest newcomers out for as long as it went on. The gater asks `admit` when a connection
 * comes in; one is counted until its upgrade ends (`upgraded`) or its socket closes.
 */
export class PendingInbound {
  private readonly maxPerIp: number
  private readonly perIp = new Map<string, Set<MultiaddrConnection>>()

  constructor (maxPerIp = MAX_PENDING_INBOUND_PER_IP) {
    this.maxPerIp = maxPerIp
  }

  /** False when the connection's IP already has `maxPerIp` connections negotiating */
  admit (maConn: MultiaddrConnection): boolean {
    const ip = remoteIp(maConn)
    if (ip == null) return true
    const pending = this.perIp.get(ip) ?? new Set()
    if (pending.size >= this.maxPerIp) {
      log('refusing a connection from %s: %d from there still negotiating', ip, pending.size)
      return false
    }
    pending.add(maConn)
    this.perIp.set(ip, pending)
    maConn.addEventListener('close', () => { this.upgraded(maConn) }, { once: true })
    return true
  }

  /** The connection's upgrade is over: it no longer counts */
  upgraded (maConn: MultiaddrConnection): void {
    const ip = remoteIp(maConn)
    const pending = ip == null ? undefined : this.perIp.get(ip)
    if (ip == null || pending == null) return
    pending.delete(maConn)
    if (pending.size === 0) this.perIp.delete(ip)
  }

  /** Connections from `ip` still negotiating */
  count (ip: string): number {
    return this.perIp.get(ip)?.size ?? 0
  }
}
