import { EXPIRE_BATCH } from './constants.ts'
import type { Emit } from './events.ts'
import type { MessageStore } from '../storage/types.ts'
import type { Logger } from '@libp2p/interface'

/** setTimeout's longest delay (about 24.8 days): a later expiry is waited for in steps */
const MAX_TIMEOUT_MS = 2 ** 31 - 1

/**
 * Erases disappearing messages when their time comes: from history, the outbox and the disk
 * (the store drops every record and index of one), announcing each as `erased`. One timer, set
 * for the soonest expiry stored; a message stored with a sooner one moves it.
 */
export class Disappearing {
  private timer?: ReturnType<typeof setTimeout>
  private due?: number
  private running = false
  private sweeping?: Promise<void>

  constructor (private readonly messages: MessageStore, private readonly emit: Emit, private readonly log: Logger) {}

  async start (): Promise<void> {
    this.running = true
    await this.sweep()
  }

  async stop (): Promise<void> {
    this.running = false
    clearTimeout(this.timer)
    this.timer = undefined
    await this.sweeping
  }

  /** A message was stored that disappears at `expiresAt` */
  scheduled (expiresAt: number | undefined): void {
    if (expiresAt == null || !this.running || (this.due != null && this.due <= expiresAt)) return
    this.arm(expiresAt)
  }

  private arm (at: number): void {
    clearTimeout(this.timer)
    this.due = at
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.due = undefined
      this.sweeping = this.sweep().catch(err => { this.log.error('erasing disappearing messages failed - %e', err) })
    }, Math.min(MAX_TIMEOUT_MS, Math.max(0, at - Date.now())))
  }

  /** Erases everything due, then waits for the next */
  private async sweep (): Promise<void> {
    for (;;) {
      const due = await this.messages.expiring(Date.now(), EXPIRE_BATCH)
      if (due.length === 0) break
      await this.messages.erase(due)
      for (const record of due) this.emit('erased', { conversation: record.conversation, id: record.id, direction: record.direction })
    }
    const next = await this.messages.nextExpiry()
    if (next != null && this.running && this.timer == null) this.arm(next)
  }
}
