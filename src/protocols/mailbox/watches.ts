import { WATCH_RENEW_MS } from './constants.ts'
import type { Logger, PeerId } from '@libp2p/interface'

/** One watch to keep: a mailbox of this node's (some of its epochs) at one storer */
export interface WatchTarget {
  /** Names the watch: the storer and the mailbox together */
  id: string
  storer: PeerId
}

/** An accepted watch: its notices one by one, until the stream ends (then `next` rejects) */
export interface OpenWatch {
  /** The next notice's count (envelopes its keys hold) */
  next: (signal: AbortSignal) => Promise<number>
  /** Ends the watch at the storer */
  end: () => void
}

export interface MailboxWatchesInit<T extends WatchTarget> {
  /** Opens `target`'s watch; rejects when the storer refuses or cannot be reached */
  open: (target: T, signal: AbortSignal) => Promise<OpenWatch>
  /** A storer says it holds mail for this node */
  onMail: (storer: PeerId) => void
  log: Logger
  /** @default WATCH_RENEW_MS */
  renewMs?: number
}

interface Held {
  opened: number
  controller: AbortController
  done: Promise<void>
}

/**
 * The watches a recipient keeps on its mailboxes while it runs, so that a storer tells it of
 * mail left for it while it is online (a sender that could not reach it directly) at once,
 * instead of at its next periodic check. `keep` is given the watches wanted (after each check):
 * it opens those missing, ends those no longer wanted and renews those older than `renewMs`.
 * A watch that fails or ends is left to the next `keep`.
 */
export class MailboxWatches<T extends WatchTarget> {
  private readonly held = new Map<string, Held>()
  private readonly renewMs: number
  /** What the last `keep` was given */
  private targets: T[] = []
  private stopped = false

  constructor (private readonly init: MailboxWatchesInit<T>) {
    this.renewMs = init.renewMs ?? WATCH_RENEW_MS
  }

  /** How many watches are open or opening */
  get size (): number {
    return this.held.size
  }

  /** Keeps exactly `targets` watched, renewing those past their time */
  keep (targets: T[]): void {
    if (this.stopped) return
    this.targets = targets
    const now = Date.now()
    const wanted = new Map(targets.map(t => [t.id, t]))
    for (const [id, held] of this.held) {
      if (wanted.has(id) && now - held.opened < this.renewMs) continue
      held.controller.abort()
      this.held.delete(id)
    }
    for (const [id, target] of wanted) {
      if (!this.held.has(id)) this.hold(target)
    }
  }

  /** Opens again those of the last `keep`'s watches that ended (a storer is back) */
  restore (): void {
    this.keep(this.targets)
  }

  /** Ends every watch, and waits for them */
  async stop (): Promise<void> {
    this.stopped = true
    const all = [...this.held.values()]
    this.held.clear()
    for (const held of all) held.controller.abort()
    await Promise.allSettled(all.map(async held => held.done))
  }

  private hold (target: T): void {
    const controller = new AbortController()
    const held: Held = { opened: Date.now(), controller, done: Promise.resolve() }
    held.done = this.watch(target, controller.signal)
      .catch((err: any) => {
        if (!controller.signal.aborted) this.init.log('a mailbox watch at %p ended - %s', target.storer, err.message)
      })
      .finally(() => {
        if (this.held.get(target.id) === held) this.held.delete(target.id)
      })
    this.held.set(target.id, held)
  }

  private async watch (target: T, signal: AbortSignal): Promise<void> {
    const watch = await this.init.open(target, signal)
    try {
      for (;;) {
        if (await watch.next(signal) > 0) this.init.onMail(target.storer)
      }
    } finally {
      watch.end()
    }
  }
}
