import { toString as toHex } from 'uint8arrays/to-string'
import { MAX_TEXT_BYTES, MESSAGE_ID_BYTES } from '../protocols/chat/index.ts'
import { MAX_EDITS, MAX_RECEIPT_IDS, TIMER_SECONDS } from './constants.ts'
import { InvalidMessageTextError, InvalidReactionError, InvalidTimerError, MessageNotEditableError, SelfMessageError, UnknownMessageError } from './errors.ts'
import { tombstone } from './handlers/delete.ts'
import { edited } from './handlers/edit.ts'
import { isReaction, withReaction } from './handlers/reaction.ts'
import type { Contacts } from './contacts.ts'
import type { Disappearing } from './disappearing.ts'
import type { Emit } from './events.ts'
import type { Outbox } from './outbox.ts'
import type { MessageRecord, MessageRef, MessageStore, NewMessage, SettingsStore, WriteOptions } from '../storage/types.ts'
import type { AbortOptions, PeerId } from '@libp2p/interface'

export interface ComposerComponents {
  self: PeerId
  messages: MessageStore
  settings: SettingsStore
  contacts: Contacts
  outbox: Outbox
  disappearing: Disappearing
  /** Whether there is a connection to `peer` now (typing goes only then) */
  isConnected: (peer: PeerId) => boolean
  emit: Emit
}

/** What a new outgoing history entry may carry */
export type OutgoingBody = Pick<NewMessage, 'text' | 'file' | 'replyTo' | 'timer'>

const encoder = new TextEncoder()

/**
 * Everything the user writes into a conversation: messages (with a quote; under the
 * conversation's disappearing timer), and changes to earlier ones (reactions, edits, deletions
 * for everyone), read receipts, typing and timer changes. Each is applied here first, then sent
 * through the outbox, so it reaches the peer even if it is offline now.
 */
export class Composer {
  private readonly self: PeerId
  private readonly messages: MessageStore
  private readonly settings: SettingsStore
  private readonly contacts: Contacts
  private readonly outbox: Outbox
  private readonly disappearing: Disappearing
  private readonly isConnected: (peer: PeerId) => boolean
  private readonly emit: Emit

  /** `timers`: the disappearing-message timers allowed, in seconds */
  constructor (components: ComposerComponents, private readonly timers: readonly number[] = TIMER_SECONDS) {
    this.self = components.self
    this.messages = components.messages
    this.settings = components.settings
    this.contacts = components.contacts
    this.outbox = components.outbox
    this.disappearing = components.disappearing
    this.isConnected = components.isConnected
    this.emit = components.emit
  }

  /**
   * Stores a new outgoing message (with `options.also` in the same write) and makes a first
   * delivery attempt; resolves with the message as stored after it. Under a disappearing timer
   * it gets its expiry (a timer change itself does not disappear).
   */
  async send (to: PeerId, body: OutgoingBody, options: WriteOptions = {}): Promise<MessageRecord> {
    if (to.equals(this.self)) throw new SelfMessageError()
    const conversation = to.toString()
    if (body.file == null && body.timer == null) checkText(body.text)
    if (body.replyTo != null) await this.target(conversation, body.replyTo, options)
    await this.contacts.acceptOnWrite(conversation, options)
    const timer = body.timer == null ? (await this.messages.conversation(conversation, options))?.timer : undefined
    const timestamp = Date.now()
    const record = await this.messages.addOutgoing({
      id: newId(),
      peer: conversation,
      direction: 'out',
      ...body,
      timestamp,
      status: 'sending',
      ...(timer != null ? { expiresAt: timestamp + timer * 1_000 } : {})
    }, options)
    this.emit('status', record)
    this.disappearing.scheduled(record.expiresAt)
    await this.outbox.flush(conversation)
    return await this.messages.get(conversation, 'out', record.id, options) ?? record
  }

  /** Sets the conversation's disappearing-message timer for both sides (0 turns it off) */
  async setTimer (to: PeerId, seconds: number, options: AbortOptions = {}): Promise<MessageRecord> {
    if (!this.timers.includes(seconds)) throw new InvalidTimerError(`the timer must be one of ${this.timers.join(', ')} seconds`)
    return this.send(to, { text: '', timer: seconds }, options)
  }

  /**
   * Reacts to a message of the conversation (either side's) with one emoji, replacing this
   * user's earlier reaction to it; an empty emoji takes it back
   */
  async react (to: PeerId, target: MessageRef, emoji: string, options: AbortOptions = {}): Promise<MessageRecord> {
    if (!isReaction(emoji)) throw new InvalidReactionError('a reaction is one emoji, or empty to take it back')
    const conversation = to.toString()
    const record = await this.target(conversation, target, options)
    if (record.deleted === true) throw new MessageNotEditableError('the message was deleted')
    return this.change(to, record, withReaction(record, this.self.toString(), emoji), { kind: 'reaction', target, emoji })
  }

  /** Replaces the text of one of this user's messages; the earlier text stays in its edit history */
  async edit (to: PeerId, id: string, text: string, options: AbortOptions = {}): Promise<MessageRecord> {
    checkText(text)
    const record = await this.own(to.toString(), id, options)
    if (record.file != null || record.timer != null) throw new MessageNotEditableError('only a text can be edited')
    if ((record.edits?.length ?? 0) >= MAX_EDITS) throw new MessageNotEditableError(`a message keeps at most ${MAX_EDITS} edits`)
    return this.change(to, record, edited(record, text, Date.now()), { kind: 'edit', target: { id, author: this.self.toString() }, text })
  }

  /** Deletes one of this user's messages for everyone: its content is erased on both sides, a tombstone stays */
  async remove (to: PeerId, id: string, options: AbortOptions = {}): Promise<MessageRecord> {
    const record = await this.own(to.toString(), id, options)
    this.emit('deleted', record)
    return this.change(to, record, tombstone(record), { kind: 'delete', target: { id, author: this.self.toString() } })
  }

  /**
   * Marks the conversation read; with read receipts on, the peer learns which of its messages
   * were read. Resolves with how many messages were unread.
   */
  async markRead (to: PeerId, options: AbortOptions = {}): Promise<number> {
    const conversation = to.toString()
    const read = await this.messages.markRead(conversation, options)
    this.emit('read', { conversation })
    if (read.length > 0 && (await this.settings.get(options)).readReceipts) {
      for (let i = 0; i < read.length; i += MAX_RECEIPT_IDS) {
        await this.outbox.enqueueControl(conversation, { kind: 'read', reads: read.slice(i, i + MAX_RECEIPT_IDS).map(r => r.id) })
      }
    }
    return read.length
  }

  /**
   * Tells the peer this user started or stopped typing: only with typing indicators on and
   * while connected (never through a mailbox). Resolves whether it was sent.
   */
  async typing (to: PeerId, typing: boolean, options: AbortOptions = {}): Promise<boolean> {
    if (!(await this.settings.get(options)).typingIndicators || !this.isConnected(to)) return false
    await this.outbox.enqueueControl(to.toString(), { kind: 'typing', typing })
    return true
  }

  /** Stores `changed` in place of `record`, announces it, and sends the change */
  private async change (to: PeerId, record: MessageRecord, changed: MessageRecord, control: Parameters<Outbox['enqueueControl']>[1]): Promise<MessageRecord> {
    const stored = await this.messages.update(record.conversation, record.direction, record.id, () => changed) ?? changed
    this.emit('changed', stored)
    await this.outbox.enqueueControl(to.toString(), control)
    return stored
  }

  /** The message `ref` names in the conversation (either side's) */
  private async target (conversation: string, ref: MessageRef, options: AbortOptions): Promise<MessageRecord> {
    const direction = ref.author === this.self.toString() ? 'out' : ref.author === conversation ? 'in' : undefined
    const record = direction == null ? undefined : await this.messages.get(conversation, direction, ref.id, options)
    if (record == null) throw new UnknownMessageError(`no message ${ref.id} by ${ref.author} in this conversation`)
    return record
  }

  /** One of this user's own messages, not deleted */
  private async own (conversation: string, id: string, options: AbortOptions): Promise<MessageRecord> {
    const record = await this.messages.get(conversation, 'out', id, options)
    if (record == null) {
      if (await this.messages.get(conversation, 'in', id, options) != null) throw new MessageNotEditableError('only your own messages can be changed')
      throw new UnknownMessageError(`no message ${id} of yours in this conversation`)
    }
    if (record.deleted === true) throw new MessageNotEditableError('the message was deleted')
    return record
  }
}

/** A new message id: random, hex */
export function newId (): string {
  return toHex(crypto.getRandomValues(new Uint8Array(MESSAGE_ID_BYTES)), 'base16')
}

/**
 * @throws {InvalidMessageTextError} when `text` is empty or longer than MAX_TEXT_BYTES
 */
export function checkText (text: string): void {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InvalidMessageTextError('the message is empty')
  }
  const bytes = encoder.encode(text).byteLength
  if (bytes > MAX_TEXT_BYTES) {
    throw new InvalidMessageTextError(`the message is ${bytes} bytes, the limit is ${MAX_TEXT_BYTES}`)
  }
}
