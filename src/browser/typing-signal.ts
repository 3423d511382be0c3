import { TYPING_IDLE_MS, TYPING_REFRESH_MS } from './constants.ts'

export interface TypingSignalInit {
  /** @default TYPING_REFRESH_MS */
  refreshMs?: number
  /** @default TYPING_IDLE_MS */
  idleMs?: number
  /** @default Date.now */
  now?: () => number
}

/**
 * Turns the user's keystrokes in one conversation into "typing" and "stopped" signals for the
 * peer: "typing" at the first keystroke and again at most every `refreshMs` while keystrokes
 * go on (so the peer keeps showing it), "stopped" after `idleMs` without one, when the draft is
 * emptied, or on `stop()` (the message was sent, or the user left the conversation).
 */
export class TypingSignal {
  private typing = false
  private sentAt = 0
  private idle?: ReturnType<typeof setTimeout>
  private readonly refreshMs: number
  private readonly idleMs: number
  private readonly now: () => number

  constructor (private readonly send: (typing: boolean) => void, init: TypingSignalInit = {}) {
    this.refreshMs = init.refreshMs ?? TYPING_REFRESH_MS
    this.idleMs = init.idleMs ?? TYPING_IDLE_MS
    this.now = init.now ?? Date.now
  }

  /** The user changed the draft; `empty`: it holds nothing (but blanks) now */
  input (empty: boolean): void {
    if (empty) {
      this.stop()
      return
    }
    const now = this.now()
    if (!this.typing || now - this.sentAt >= this.refreshMs) {
      this.typing = true
      this.sentAt = now
      this.send(true)
    }
    clearTimeout(this.idle)
    this.idle = setTimeout(() => { this.stop() }, this.idleMs)
  }

  /** Says "stopped" if "typing" was said */
  stop (): void {
    clearTimeout(this.idle)
    this.idle = undefined
    if (!this.typing) return
    this.typing = false
    this.send(false)
  }
}
