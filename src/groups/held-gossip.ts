import { unpad } from '../crypto/padding.ts'
import { decodeContent } from '../messenger/content.ts'
import { GROUP_HOLD_GOSSIP_MS, MAX_HELD_GOSSIP } from './constants.ts'

/** A group message decrypted, waiting to be taken in writing order */
export interface ReadableMessage {
  author: string
  plaintext: Uint8Array
  /** When its author wrote it (its content's timestamp; 0 when that does not decode) */
  writtenAt: number
}

export interface HeldGossipInit {
  /** Takes what a group held, in writing order, when its hold ends */
  release: (group: string, messages: ReadableMessage[]) => Promise<void>
  /** @default GROUP_HOLD_GOSSIP_MS */
  holdMs?: number
  /** @default MAX_HELD_GOSSIP */
  maxHeld?: number
}

/**
 * What gossip brings to a group before its mailbox was first read since the start: held, so
 * that what this node missed while away lands first and all of it in order (gossip hands a
 * member coming back the last few messages at once, before the mailbox has the rest). A hold
 * ends when the mailbox was read (`release`), or after `holdMs` in case it never is; past
 * `maxHeld` messages gossip is taken as it comes.
 */
export class HeldGossip {
  private readonly held = new Map<string, ReadableMessage[]>()
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private readonly holdMs: number
  private readonly maxHeld: number

  constructor (private readonly init: HeldGossipInit) {
    this.holdMs = init.holdMs ?? GROUP_HOLD_GOSSIP_MS
    this.maxHeld = init.maxHeld ?? MAX_HELD_GOSSIP
  }

  /** Holds `group`'s gossip from now on, until `release` or `holdMs` */
  hold (group: string): void {
    this.held.set(group, [])
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      void this.release(group)
    }, this.holdMs)
    this.timers.add(timer)
  }

  /** Keeps `message` if its group is held (and has room): whether it did */
  keep (group: string, message: Omit<ReadableMessage, 'writtenAt'>): boolean {
    const held = this.held.get(group)
    if (held == null || held.length >= this.maxHeld) return false
    held.push({ ...message, writtenAt: writtenAt(message.plaintext) })
    return true
  }

  /** Ends `group`'s hold: what it held is taken now */
  async release (group: string): Promise<void> {
    const held = this.held.get(group)
    if (held == null) return
    this.held.delete(group)
    await this.init.release(group, held)
  }

  /** Ends every hold without taking anything (stopping) */
  clear (): void {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.held.clear()
  }
}

/** When a group message's author wrote it, for ordering (0 when its content does not decode) */
export function writtenAt (plaintext: Uint8Array): number {
  try {
    return Number(decodeContent(unpad(plaintext)).timestamp)
  } catch {
    return 0
  }
}
