import type { CrashableDaemon } from '../crash-loop/daemon.ts'

/** How long one honest message may take before it counts as not delivered */
const SEND_TIMEOUT_MS = 30_000

export interface ChatFigures {
  sent: number
  delivered: number
  /** Went to the mailbox instead (both online: a degradation, not a loss) */
  stored: number
  failed: number
  /** Send call times of delivered messages, ms */
  p50Ms: number
  p95Ms: number
  maxMs: number
  /** Why the first few that failed did */
  errors: string[]
}

/**
 * Two real users (daemons that are each other's contacts) writing to each other, one message
 * after another each way, for as long as the load runs: what the limits must protect
 */
export class HonestChat {
  private running = false
  private loops: Array<Promise<void>> = []
  private times: number[] = []
  private counts = { sent: 0, delivered: 0, stored: 0, failed: 0 }
  private errors: string[] = []

  constructor (private readonly a: CrashableDaemon, private readonly b: CrashableDaemon, private readonly pauseMs = 200) {}

  start (): void {
    this.running = true
    this.loops = [this.loop(this.a, this.b), this.loop(this.b, this.a)]
  }

  /** Stops and gives the figures since the last `take` */
  async stop (): Promise<ChatFigures> {
    this.running = false
    await Promise.all(this.loops)
    return this.take()
  }

  /** The figures since the last call, and a fresh count from here */
  take (): ChatFigures {
    const sorted = [...this.times].sort((x, y) => x - y)
    const at = (q: number): number => sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
    const figures = { ...this.counts, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: sorted.at(-1) ?? 0, errors: this.errors }
    this.errors = []
    this.times = []
    this.counts = { sent: 0, delivered: 0, stored: 0, failed: 0 }
    return figures
  }

  private failed (why: string): void {
    this.counts.failed++
    if (this.errors.length < 5) this.errors.push(why)
  }

  private async loop (from: CrashableDaemon, to: CrashableDaemon): Promise<void> {
    for (let n = 0; this.running; n++) {
      const started = Date.now()
      try {
        const sent = await from.client.send(to.peerId, `${from.name}->${to.name} ${n}`, { signal: AbortSignal.timeout(SEND_TIMEOUT_MS) })
        if (sent.status === 'delivered') {
          this.counts.delivered++
          this.times.push(Date.now() - started)
        } else if (sent.status === 'stored') {
          this.counts.stored++
        } else {
          this.failed(`${sent.status}: ${sent.error ?? ''}`)
        }
      } catch (err: any) {
        this.failed(`${from.name} -> ${to.name}: ${err.message}`)
      }
      // counted once settled, so a phase's figures add up
      this.counts.sent++
      await new Promise(resolve => setTimeout(resolve, this.pauseMs))
    }
  }
}
