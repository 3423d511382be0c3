import { KEY_ANSWER_INTERVAL_MS, MAX_KEY_ANSWERS_PER_INTERVAL, MAX_WAITING_MESSAGES, MAX_WAITING_PER_AUTHOR } from './constants.ts'
import type { EpochSecret } from './group-record.ts'

/** A group message kept for its author's key: the epoch secret it opened under, and its bytes */
export interface WaitingMessage {
  secret: EpochSecret
  data: Uint8Array
}

/**
 * The bookkeeping of sender keys that went missing, on both sides: messages kept for their
 * author's key (bounded per author and in all, the oldest dropped first), when this node last
 * asked for a chain (once an interval, until the key comes), and how often it answered a
 * member's requests for its own (a flood of requests must not become a flood of answers,
 * each of which travels through the outbox)
 */
export class MissingKeys {
  /** group!author -> messages waiting for the author's key, oldest first */
  private readonly waiting = new Map<string, WaitingMessage[]>()
  private waitingCount = 0
  /** group!author!keyId -> when this node last asked for that chain */
  private readonly asked = new Map<string, number>()
  /** group!member -> when this node answered its requests, within the last interval */
  private readonly answered = new Map<string, number[]>()

  constructor (private readonly now: () => number = Date.now) {}

  /** Keeps a message until the key of `author` in `group` comes */
  keep (group: string, author: string, message: WaitingMessage): void {
    const key = `${group}!${author}`
    const list = this.waiting.get(key) ?? []
    list.push(message)
    this.waitingCount++
    if (list.length > MAX_WAITING_PER_AUTHOR) {
      list.shift()
      this.waitingCount--
    }
    this.waiting.set(key, list)
    while (this.waitingCount > MAX_WAITING_MESSAGES) {
      const [oldest, held] = this.waiting.entries().next().value!
      held.shift()
      this.waitingCount--
      if (held.length === 0) this.waiting.delete(oldest)
    }
  }

  /**
   * The key of `author` in `group` came: the messages kept for it (now this node's to read),
   * and a chain of the author's that goes missing again will be asked for again
   */
  arrived (group: string, author: string): WaitingMessage[] {
    const key = `${group}!${author}`
    const held = this.waiting.get(key) ?? []
    this.waiting.delete(key)
    this.waitingCount -= held.length
    for (const asked of this.asked.keys()) if (asked.startsWith(`${key}!`)) this.asked.delete(asked)
    return held
  }

  /** Whether to ask `author` for chain `keyId` now (noted as asked if so) */
  shouldAsk (group: string, author: string, keyId: string): boolean {
    const key = `${group}!${author}!${keyId}`
    const last = this.asked.get(key)
    if (last != null && this.now() - last < KEY_ANSWER_INTERVAL_MS) return false
    this.asked.set(key, this.now())
    return true
  }

  /** Whether to answer `member`'s request for this node's key now (counted if so) */
  shouldAnswer (group: string, member: string): boolean {
    const key = `${group}!${member}`
    const now = this.now()
    const recent = (this.answered.get(key) ?? []).filter(at => now - at < KEY_ANSWER_INTERVAL_MS)
    if (recent.length >= MAX_KEY_ANSWERS_PER_INTERVAL) {
      this.answered.set(key, recent)
      return false
    }
    this.answered.set(key, [...recent, now])
    return true
  }
}
