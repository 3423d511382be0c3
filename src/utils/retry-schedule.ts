export interface RetryScheduleInit {
  /** The first retry comes after half to all of this */
  baseMs: number
  /** Delays double per attempt up to this */
  maxMs: number
}

/**
 * Exponential backoff with jitter, per key (a peer's outbox, a transfer): `schedule` calls
 * `fire(key)` after a delay that doubles with each attempt since the last `reset`, drawn from
 * the upper half of it so that many keys failing together do not retry together.
 */
export class RetrySchedule<K = string> {
  private readonly pending = new Map<K, { attempts: number, timer?: ReturnType<typeof setTimeout> }>()

  constructor (private readonly init: RetryScheduleInit, private readonly fire: (key: K) => void) {}

  /** The next attempt for `key`, after its backoff (replacing one already scheduled) */
  schedule (key: K): void {
    const state = this.pending.get(key) ?? { attempts: 0 }
    clearTimeout(state.timer)
    const backoff = Math.min(this.init.baseMs * 2 ** state.attempts, this.init.maxMs)
    state.attempts++
    state.timer = setTimeout(() => { this.fire(key) }, backoff / 2 + Math.random() * backoff / 2)
    state.timer.unref?.()
    this.pending.set(key, state)
  }

  /** Forgets `key`'s attempts and cancels its scheduled one (it succeeded, or is retried now) */
  reset (key: K): void {
    clearTimeout(this.pending.get(key)?.timer)
    this.pending.delete(key)
  }

  /** Cancels every scheduled attempt */
  clear (): void {
    for (const state of this.pending.values()) clearTimeout(state.timer)
    this.pending.clear()
  }
}
