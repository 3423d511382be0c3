import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { MAX_RECEIPT_IDS } from '../messenger/constants.ts'
import { GROUP_ID_BYTES, GROUP_RECEIPT_DELAY_MS, MAX_GATHERING_RECEIPTS } from './constants.ts'
import type { Groups } from './groups.ts'
import type { GroupReceipt } from '../messenger/pb/content.ts'
import type { MessageRecord, MessageStore, SettingsStore } from '../storage/types.ts'
import type { AbortOptions, Logger } from '@libp2p/interface'

export interface GroupReceiptsComponents {
  groups: Groups
  messages: MessageStore
  settings: SettingsStore
  /** Hands a receipt to a message's author over the pairwise session, through the outbox */
  send: (author: string, receipt: GroupReceipt) => Promise<void>
  /** Announces one of this node's messages as it is now (its counts changed) */
  emit: (record: MessageRecord) => void
  log: Logger
}

/**
 * Delivered and read counts for group messages. A member tells each author which of its
 * messages reached it (gathered a moment, then one receipt) and, with read receipts on, which
 * its user read; each goes to the author alone, over their pairwise session, as Signal's do.
 * An author counts, per message, the members whose receipts name it (`deliveredTo`, `readBy`).
 */
export class GroupReceipts {
  private readonly groups: Groups
  private readonly messages: MessageStore
  private readonly settings: SettingsStore
  private readonly send: GroupReceiptsComponents['send']
  private readonly emit: GroupReceiptsComponents['emit']
  private readonly log: Logger
  /** group!author -> ids of its messages that reached this node, not yet sent */
  private readonly gathering = new Map<string, { group: string, author: string, ids: string[], timer: ReturnType<typeof setTimeout> }>()

  constructor (components: GroupReceiptsComponents) {
    this.groups = components.groups
    this.messages = components.messages
    this.settings = components.settings
    this.send = components.send
    this.emit = components.emit
    this.log = components.log
  }

  /** Sends what is gathering now (the node is stopping: the outbox keeps it) */
  async stop (): Promise<void> {
    await Promise.allSettled([...this.gathering.keys()].map(async key => this.flush(key)))
  }

  /** A message of `author`'s in `group` reached this node: the author hears of it shortly */
  delivered (group: string, author: string, id: string): void {
    const key = `${group}!${author}`
    const gathering = this.gathering.get(key)
    if (gathering != null) {
      gathering.ids.push(id)
      if (gathering.ids.length >= MAX_RECEIPT_IDS) this.flushSoon(key)
      return
    }
    const timer = setTimeout(() => { this.flushSoon(key) }, GROUP_RECEIPT_DELAY_MS)
    this.gathering.set(key, { group, author, ids: [id], timer })
    if (this.gathering.size > MAX_GATHERING_RECEIPTS) this.flushSoon(this.gathering.keys().next().value!)
  }

  /**
   * Marks the group read; with read receipts on, each author learns which of its messages were
   * read. Resolves with how many were unread.
   */
  async markRead (group: string, options: AbortOptions = {}): Promise<number> {
    const read = await this.messages.markRead(group, options)
    if (read.length > 0 && (await this.settings.get(options)).readReceipts) {
      const byAuthor = new Map<string, string[]>()
      for (const record of read) byAuthor.set(record.peer, [...byAuthor.get(record.peer) ?? [], record.id])
      for (const [author, ids] of byAuthor) {
        for (let i = 0; i < ids.length; i += MAX_RECEIPT_IDS) {
          await this.send(author, { group: fromHex(group, 'base16'), delivered: [], read: ids.slice(i, i + MAX_RECEIPT_IDS).map(id => fromHex(id, 'base16')) })
        }
      }
    }
    return read.length
  }

  /**
   * A member's receipt for messages of this node's: each it names that is here counts the
   * member once. One from someone who was never a member, or naming another group, counts
   * nothing; read receipts count only while this user has read receipts on.
   */
  async take (from: string, receipt: GroupReceipt, options: AbortOptions = {}): Promise<void> {
    if (receipt.group.byteLength !== GROUP_ID_BYTES) return
    const group = toHex(receipt.group, 'base16')
    const record = await this.groups.record(group, options).catch(() => undefined)
    if (record == null || !record.everMembers().has(from)) {
      this.log('a group receipt for group %s from %s, not a member, ignored', group, from)
      return
    }
    const readOn = receipt.read.length > 0 && (await this.settings.get(options)).readReceipts
    const counts = new Map<string, { delivered: boolean, read: boolean }>()
    for (const id of receipt.delivered) counts.set(toHex(id, 'base16'), { delivered: true, read: false })
    if (readOn) for (const id of receipt.read) counts.set(toHex(id, 'base16'), { delivered: true, read: true })
    for (const [id, { read }] of counts) {
      const changed = await this.messages.update(group, 'out', id, message => {
        const deliveredTo = withMember(message.deliveredTo, from)
        const readBy = read ? withMember(message.readBy, from) : message.readBy
        if (deliveredTo === message.deliveredTo && readBy === message.readBy) return undefined
        return { ...message, deliveredTo, ...(readBy != null ? { readBy } : {}) }
      }, options)
      if (changed != null) this.emit(changed)
    }
  }

  private flushSoon (key: string): void {
    this.flush(key).catch(err => { this.log('a group delivery receipt was not sent - %s', err.message) })
  }

  private async flush (key: string): Promise<void> {
    const gathering = this.gathering.get(key)
    if (gathering == null) return
    clearTimeout(gathering.timer)
    this.gathering.delete(key)
    const { group, author, ids } = gathering
    for (let i = 0; i < ids.length; i += MAX_RECEIPT_IDS) {
      await this.send(author, { group: fromHex(group, 'base16'), delivered: ids.slice(i, i + MAX_RECEIPT_IDS).map(id => fromHex(id, 'base16')), read: [] })
    }
  }
}

/** `members` with `member` in it: the same array when it was there already */
function withMember (members: string[] | undefined, member: string): string[] {
  if (members?.includes(member) === true) return members
  return [...members ?? [], member]
}
