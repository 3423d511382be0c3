import { equals } from 'uint8arrays/equals'
import { toString as toHex } from 'uint8arrays/to-string'
import { MessageRefusedError } from '../protocols/chat/index.ts'
import { STAMP_BITS, verifyStamp } from '../protocols/mailbox/index.ts'
import { MAX_RECEIPT_IDS } from './constants.ts'
import { bodyOf, decodeContent } from './content.ts'
import type { ContentHandlers } from './content-handlers.ts'
import type { MailboxAddresses } from './mailbox-addresses.ts'
import type { Contacts } from './contacts.ts'
import type { Emit } from './events.ts'
import type { ControlFields } from './outbox.ts'
import type { RequestQuota } from './request-quota.ts'
import type { IncomingChatMessage } from '../protocols/chat/index.ts'
import type { FetchedEnvelope } from '../protocols/mailbox/index.ts'
import type { Content } from './content.ts'
import type { SessionCipher } from '../crypto/session/session-cipher.ts'
import type { KeyStore, MessageRecord, MessageRequest, MessageStore } from '../storage/types.ts'
import type { AbortOptions, Logger } from '@libp2p/interface'

export interface ReceivePipelineInit {
  /**
   * Proof-of-work difficulty a stranger's message through a mailbox must carry.
   * @default STAMP_BITS
   */
  stampBits?: number
}

export interface ReceivePipelineComponents {
  messages: MessageStore
  keys: KeyStore
  cipher: SessionCipher
  contacts: Contacts
  /** Who takes each kind of content */
  handlers: ContentHandlers
  /** Keeps the mailbox identities a sender announces (none: they are not kept) */
  addresses?: Pick<MailboxAddresses, 'learnWrite' | 'learned'>
  requestQuota: Pick<RequestQuota, 'added'>
  /** Queues a receipt for what arrived through a mailbox */
  enqueueControl: (peer: string, fields: ControlFields) => Promise<void>
  emit: Emit
  log: Logger
  /** This node's PeerId */
  self: string
}

/** Thrown inside a decrypt's commit to read a message without taking it (mailbox ordering) */
class Peeked extends Error {
  constructor (readonly content: Content) {
    super('peeked')
  }
}

/** Errors that mean an incoming envelope cannot be decrypted (as opposed to a local failure) */
const UNDECRYPTABLE = new Set([
  'InvalidEnvelopeError', 'InvalidMessageError', 'InvalidSessionMessageError', 'InvalidSessionError', 'NoSessionError',
  'UnknownPrekeyError', 'InvalidInitialMessageError', 'TooManySkippedMessagesError', 'InvalidPaddingError',
  'SkippedKeyEvictedError', 'InvalidContentError'
])

/**
 * Of those, the ones a new session cures: the envelope opened (it is the sender's), but no
 * session here decrypts it, because the one-time prekey it used is gone (drained, expired), the
 * session was lost (a restore from an old backup), or the message came so late that its key was
 * dropped (more than MAX_SKIPPED_KEYS after it). The sender is told to start a new one.
 */
const SESSION_LOST = new Set(['UnknownPrekeyError', 'NoSessionError', 'InvalidMessageError', 'SkippedKeyEvictedError'])

/**
 * Everything that arrives, directly or from the mailboxes: decrypted, checked (who sent it,
 * whether they may), stored with the session's new state in one write, and announced.
 */
export class ReceivePipeline {
  private readonly messages: MessageStore
  private readonly keys: KeyStore
  private readonly cipher: SessionCipher
  private readonly contacts: Contacts
  private readonly handlers: ContentHandlers
  private readonly addresses?: Pick<MailboxAddresses, 'learnWrite' | 'learned'>
  private readonly requestQuota: Pick<RequestQuota, 'added'>
  private readonly enqueueControl: (peer: string, fields: ControlFields) => Promise<void>
  private readonly emit: Emit
  private readonly log: Logger
  private readonly stampBits: number
  private readonly self: string

  constructor (components: ReceivePipelineComponents, init: ReceivePipelineInit = {}) {
    this.messages = components.messages
    this.keys = components.keys
    this.cipher = components.cipher
    this.contacts = components.contacts
    this.handlers = components.handlers
    this.addresses = components.addresses
    this.requestQuota = components.requestQuota
    this.enqueueControl = components.enqueueControl
    this.emit = components.emit
    this.log = components.log
    this.stampBits = init.stampBits ?? STAMP_BITS
    this.self = components.self
  }

  /** A message that came over a direct chat stream (the chat ack follows when this resolves) */
  async fromChat (message: IncomingChatMessage, options: AbortOptions): Promise<void> {
    await this.take(message.envelope, { id: message.id }, options)
  }

  /**
   * Takes what the mailbox storers held for this node: first reads every envelope without
   * taking it, to learn the order it was written in, then takes them in that order, so several
   * storers' copies and sessions started offline come out once and in conversation order. Each
   * sender then gets a receipt for what arrived. Returns the hashes the storers may delete.
   */
  async fromMailbox (items: FetchedEnvelope[], options: AbortOptions): Promise<Uint8Array[]> {
    const done: Uint8Array[] = []
    const readable: Array<{ item: FetchedEnvelope, content: Content }> = []
    for (const item of items) {
      try {
        await this.cipher.decrypt(item.envelope, async opened => { throw new Peeked(decodeContent(opened.plaintext)) }, options)
      } catch (err: any) {
        if (err instanceof Peeked) {
          readable.push({ item, content: err.content })
        } else if (err.name === 'DuplicateMessageError' || UNDECRYPTABLE.has(err.name)) {
          // already here, or never readable: the storers may drop it
          if (err.name !== 'DuplicateMessageError') this.log('dropped a mailbox envelope no session here opens - %s', err.message)
          done.push(item.hash)
        } else {
          this.log('a mailbox envelope stays for later - %s', err.message)
        }
      }
    }
    readable.sort((a, b) => a.content.timestamp < b.content.timestamp ? -1 : a.content.timestamp > b.content.timestamp ? 1 : 0)
    const receipts = new Map<string, string[]>()
    for (const { item } of readable) {
      try {
        const record = await this.take(item.envelope, { mailbox: item }, options)
        done.push(item.hash)
        if (record != null) receipts.set(record.peer, [...(receipts.get(record.peer) ?? []), record.id])
      } catch (err: any) {
        if (err.name === MessageRefusedError.name) {
          this.log('dropped a mailbox envelope - %s', err.message)
          done.push(item.hash)
        } else {
          this.log('a mailbox envelope stays for later - %s', err.message)
        }
      }
    }
    for (const [peer, ids] of receipts) {
      for (let i = 0; i < ids.length; i += MAX_RECEIPT_IDS) {
        await this.enqueueControl(peer, { kind: 'receipt', delivers: ids.slice(i, i + MAX_RECEIPT_IDS) })
      }
    }
    return done
  }

  /**
   * Decrypts an incoming content and hands it to the handler of its kind, inside the decrypt's
   * commit: what the handler stores lands in one write with the session's new state (and a
   * one-time prekey it used up). A repeat is taken without being stored again. What cannot be
   * decrypted, or comes from a blocked peer, or reaches a mailbox from a stranger without a
   * valid stamp, is refused (`MessageRefusedError`). Resolves with the record when a new history
   * entry was stored.
   */
  private async take (envelope: Uint8Array, via: { id?: Uint8Array, mailbox?: FetchedEnvelope }, options: AbortOptions): Promise<MessageRecord | undefined> {
    let added: MessageRecord | undefined
    /** A stranger's message request, as stored with its message */
    let request: MessageRequest | undefined
    const announced: Array<() => void> = []
    try {
      await this.cipher.decrypt(envelope, async opened => {
        const peer = opened.sender.toString()
        const content = decodeContent(opened.plaintext)
        if (via.id != null && !equals(content.id, via.id)) {
          throw new MessageRefusedError('the message id does not match the encrypted one')
        }
        const standing = await this.contacts.standing(peer, options)
        if (standing === 'blocked') {
          throw new MessageRefusedError('the recipient does not accept messages from you')
        }
        const known = await this.contacts.knows(peer, standing, options)
        // the sender's mailbox identities (with any content) land with the session's new state
        const learned = content.mailbox != null ? await this.addresses?.learnWrite(peer, content.mailbox, options) : undefined
        if (learned != null) announced.push(() => { this.addresses?.learned(peer) })
        const sessionWrites = [
          this.keys.sessionWrite(peer, opened.sessionRecord),
          ...(opened.usedOneTimePrekeyId != null ? [this.keys.prekeyDelete('one-time', opened.usedOneTimePrekeyId)] : []),
          ...(learned != null ? [learned] : [])
        ]
        const body = bodyOf(content)
        const handler = this.handlers.forIncoming(body.kind)
        if (handler == null) throw new MessageRefusedError(`this node takes no content of kind ${body.kind}`)
        await handler.take({
          peer,
          // a direct conversation's id is the peer's PeerId
          conversation: peer,
          self: this.self,
          content,
          body,
          known,
          sessionWrites,
          addMessage: async (message, extra = {}) => {
            if (!known && via.mailbox != null && !verifyStamp(via.mailbox.key, via.mailbox.hash, via.mailbox.stamp, this.stampBits)) {
              throw new MessageRefusedError('a stranger\'s message through a mailbox needs a valid proof-of-work stamp')
            }
            const asked = known ? undefined : { peerId: peer, at: Date.now() }
            const result = await this.messages.addIncoming({
              ...message,
              id: toHex(content.id, 'base16'),
              peer,
              direction: 'in',
              timestamp: Number(content.timestamp),
              status: 'delivered'
            }, {
              ...options,
              also: [...sessionWrites, ...(asked != null ? [this.contacts.requestWrite(asked)] : [])],
              ...(extra.ifNew != null ? { ifNew: extra.ifNew } : {})
            })
            if (!result.added) return undefined
            added = result.record
            request = asked
            return result.record
          },
          // marks nothing delivered: commits the session's new state alone
          commitSession: async () => { await this.messages.markDelivered(peer, [], { ...options, also: sessionWrites }) },
          emit: (type, detail) => { announced.push(() => { this.emit(type, detail) }) }
        }, options)
      }, options)
    } catch (err: any) {
      if (err.name === 'DuplicateMessageError') {
        return undefined // stored before; the sender missed our ack
      }
      if (UNDECRYPTABLE.has(err.name)) {
        this.log('refused a message - %s', err.message)
        throw new MessageRefusedError(`the recipient cannot decrypt it: ${err.message}`, { newSession: SESSION_LOST.has(err.name) })
      }
      throw err
    }
    // the new entry first, then what the handler announced (a file offer's transfer, statuses)
    if (added != null) this.emit('message', added)
    for (const announce of announced) announce()
    if (added != null && request != null) {
      this.emit('request', request)
      await this.requestQuota.added(added, options)
    }
    return added
  }
}
