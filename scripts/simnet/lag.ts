/**
 * Event-loop lag of this process: the simnet's measure of saturation. Past a few hundred ms,
 * libp2p's own timeouts (5 s pings before a peer enters a DHT routing table, 5 s self-queries)
 * start failing because the simulator is slow, not because the protocol is.
 */

import { createHistogram } from 'node:perf_hooks'
import type { RecordableHistogram } from 'node:perf_hooks'

const TICK_MS = 50
/** `recentMs()` looks at this many ticks */
const RECENT_TICKS = 20

export interface LagSummary {
  p50Ms: number
  p99Ms: number
  maxMs: number
  /** Share of the wall-clock time lost in stalls of more than 100 ms */
  stalledShare: number
}

export class LagMonitor {
  private readonly timer: ReturnType<typeof setInterval>
  private readonly recent: number[] = []
  private histogram: RecordableHistogram = createHistogram()
  private since = performance.now()
  private stalledMs = 0
  private last = performance.now()

  constructor () {
    this.timer = setInterval(() => {
      const now = performance.now()
      const lag = Math.max(0, now - this.last - TICK_MS)
      this.last = now
      this.recent.push(lag)
      if (this.recent.length > RECENT_TICKS) this.recent.shift()
      this.histogram.record(Math.max(1, Math.round(lag)))
      if (lag > 100) this.stalledMs += lag
    }, TICK_MS)
    this.timer.unref()
  }

  /** The worst lag of the last second or so */
  recentMs (): number {
    return Math.max(0, ...this.recent)
  }

  /** Lag since the previous call (or since the start) */
  takeSummary (): LagSummary {
    const h = this.histogram
    const summary = {
      p50Ms: h.count > 0 ? h.percentile(50) : 0,
      p99Ms: h.count > 0 ? h.percentile(99) : 0,
      maxMs: h.count > 0 ? h.max : 0,
      stalledShare: this.stalledMs / Math.max(1, performance.now() - this.since)
    }
    this.histogram = createHistogram()
    this.since = performance.now()
    this.stalledMs = 0
    return summary
  }

  stop (): void {
    clearInterval(this.timer)
  }
}
