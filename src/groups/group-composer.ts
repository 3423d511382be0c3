import { checkText, newId } from '../messenger/composer.ts'
import { InvalidReactionError, MessageNotEditableError, UnknownMessageError } from '../messenger/errors.ts'
import { tombstone } from '../messenger/handlers/delete.ts'
import { edited } from '../messenger/handlers/edit.ts'
import { isReaction, withReaction } from '../messenger/handlers/reaction.ts'
import { MAX_EDITS } from '../messenger/constants.ts'
import type { GroupRecord } from './group-record.ts'
import type { ControlKind, FileSummary, MessageRecord, MessageRef, MessageStore, WriteOptions } from '../storage/types.ts'
import type { AbortOptions } from '@libp2p/interface'

/** What became of a message sent to a group */
export interface GroupSendResult {
  message: MessageRecord
  /** The members gossipsub handed it to directly */
  delivered: number
  /** The group's other members */
  members: number
}

/** What a publish to the group did */
export interface Published {
  /** The members gossipsub handed it to directly */
  recipients: number
  /** The group's other members */
  members: number
}

export interface GroupComposerComponents {
  messages: MessageStore
  self: string
  /** The group as this node holds it, this node a member of it */
  record: (idOrName: string, options: AbortOptions) => Promise<GroupRecord>
  /** Encrypts a message of this node's for the group and sends it: gossip, and the group's mailbox */
  publish: (record: GroupRecord, message: MessageRecord, options: AbortOptions) => Promise<Published>
  /** A message stored here disappears at `at` */
  expires: (at: number | undefined) => void
  /** Announces an outgoing message's status, or a message changed in place */
  emit: (type: 'status' | 'changed' | 'deleted', record: MessageRecord) => void
}

/**
 * What the user writes into a group: texts (with a quote) and file offers, under the group's
 * disappearing timer; and changes to earlier messages (reactions to anyone's, edits and
 * deletions for everyone of its own). Each is applied here first, then published to the group once.
 */
export class GroupComposer {
  constructor (private readonly components: GroupComposerComponents) {}

  /**
   * Stores a text in the group's history and publishes it. Resolves once published: the record
   * (`delivered` when gossipsub handed it to at least one member, else `queued`), and counts.
   */
  async send (idOrName: string, text: string, options: AbortOptions & { replyTo?: MessageRef } = {}): Promise<GroupSendResult> {
    checkText(text)
    const record = await this.components.record(idOrName, options)
    if (options.replyTo != null) await this.target(record, options.replyTo, options)
    return this.post(record, { text, ...(options.replyTo != null ? { replyTo: options.replyTo } : {}) }, options)
  }

  /**
   * Stores the offer of a file in the group's history, with the writes of its transfer record,
   * and publishes it; resolves as `send` does
   */
  async sendFile (idOrName: string, file: FileSummary, options: WriteOptions = {}): Promise<GroupSendResult> {
    return this.post(await this.components.record(idOrName, options), { text: '', file }, options)
  }

  /** Stores a new message of this user's (under the group's timer) and publishes it */
  private async post (record: GroupRecord, body: Pick<MessageRecord, 'text' | 'replyTo' | 'file'>, options: WriteOptions): Promise<GroupSendResult> {
    const timer = record.state().timer
    const timestamp = Date.now()
    const stored = await this.components.messages.addOutgoing({
      id: newId(),
      conversation: record.id,
      peer: record.id,
      direction: 'out',
      timestamp,
      status: 'sending',
      ...body,
      ...(timer > 0 ? { expiresAt: timestamp + timer * 1_000 } : {})
    }, { ...options, outbox: false })
    this.components.expires(stored.expiresAt)
    const { recipients, members } = await this.components.publish(record, stored, options)
    const message = await this.components.messages.setStatus(record.id, stored.id, recipients > 0 ? 'delivered' : 'queued') ?? stored
    this.components.emit('status', message)
    return { message, delivered: recipients, members }
  }

  /** Reacts to any member's message with one emoji, replacing this user's earlier one; empty takes it back */
  async react (idOrName: string, target: MessageRef, emoji: string, options: AbortOptions = {}): Promise<MessageRecord> {
    if (!isReaction(emoji)) throw new InvalidReactionError('a reaction is one emoji, or empty to take it back')
    const record = await this.components.record(idOrName, options)
    const message = await this.target(record, target, options)
    if (message.deleted === true) throw new MessageNotEditableError('the message was deleted')
    return this.change(record, message, withReaction(message, this.components.self, emoji), { kind: 'reaction', target, emoji }, options)
  }

  /** Replaces the text of one of this user's messages in the group; the earlier text stays in its edit history */
  async edit (idOrName: string, id: string, text: string, options: AbortOptions = {}): Promise<MessageRecord> {
    checkText(text)
    const record = await this.components.record(idOrName, options)
    const message = await this.own(record, id, options)
    if (message.file != null || message.timer != null) throw new MessageNotEditableError('only a text can be edited')
    if ((message.edits?.length ?? 0) >= MAX_EDITS) throw new MessageNotEditableError(`a message keeps at most ${MAX_EDITS} edits`)
    return this.change(record, message, edited(message, text, Date.now()), { kind: 'edit', target: { id, author: this.components.self }, text }, options)
  }

  /** Deletes one of this user's messages for every member: a tombstone stays */
  async remove (idOrName: string, id: string, options: AbortOptions = {}): Promise<MessageRecord> {
    const record = await this.components.record(idOrName, options)
    const message = await this.own(record, id, options)
    this.components.emit('deleted', message)
    return this.change(record, message, tombstone(message), { kind: 'delete', target: { id, author: this.components.self } }, options)
  }

  /** Stores `changed` in place of `message`, announces it, and publishes the change */
  private async change (record: GroupRecord, message: MessageRecord, changed: MessageRecord, control: { kind: ControlKind, target: MessageRef, emoji?: string, text?: string }, options: AbortOptions): Promise<MessageRecord> {
    const stored = await this.components.messages.update(record.id, message.direction, message.id, () => changed) ?? changed
    this.components.emit('changed', stored)
    const { text, ...rest } = control
    await this.components.publish(record, {
      id: newId(), conversation: record.id, peer: record.id, direction: 'out', text: text ?? '', timestamp: Date.now(), status: 'sending', seq: 0, ...rest
    }, options)
    return stored
  }

  /** The message `ref` names in the group (any member's) */
  private async target (record: GroupRecord, ref: MessageRef, options: AbortOptions): Promise<MessageRecord> {
    const direction = ref.author === this.components.self ? 'out' : 'in'
    const message = await this.components.messages.get(record.id, direction, ref.id, options)
    if (message == null || (direction === 'in' && message.peer !== ref.author)) throw new UnknownMessageError(`no message ${ref.id} by ${ref.author} in this group`)
    return message
  }

  /** One of this user's own messages in the group, not deleted */
  private async own (record: GroupRecord, id: string, options: AbortOptions): Promise<MessageRecord> {
    const message = await this.components.messages.get(record.id, 'out', id, options)
    if (message == null) {
      if (await this.components.messages.get(record.id, 'in', id, options) != null) throw new MessageNotEditableError('only your own messages can be changed')
      throw new UnknownMessageError(`no message ${id} of yours in this group`)
    }
    if (message.deleted === true) throw new MessageNotEditableError('the message was deleted')
    return message
  }
}
