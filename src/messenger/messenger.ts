import { TypedEventEmitter } from 'main-event'
import { toString as toHex } from 'uint8arrays/to-string'
import { parsePeerArgument } from '../identity/invite.ts'
import { MAX_TEXT_BYTES, MESSAGE_ID_BYTES } from '../protocols/chat/index.ts'
import { Contacts } from './contacts.ts'
import { ContentHandlers } from './content-handlers.ts'
import { receiptHandler } from './handlers/receipt.ts'
import { textHandler } from './handlers/text.ts'
import { unsupportedHandler } from './handlers/unsupported.ts'
import { NodeDelivery } from './delivery.ts'
import { InvalidMessageTextError, SelfMessageError } from './errors.ts'
import { MailboxSync } from './mailbox-sync.ts'
import { Outbox } from './outbox.ts'
import { ReceivePipeline } from './receive-pipeline.ts'
import { RequestQuota } from './request-quota.ts'
import type { Emit, MessengerEvents } from './events.ts'
import type { MailboxSyncInit } from './mailbox-sync.ts'
import type { OutboxInit } from './outbox.ts'
import type { ReceivePipelineInit } from './receive-pipeline.ts'
import type { RequestQuotaInit } from './request-quota.ts'
import type { ParleyNode } from '../node/create-node.ts'
import type { CollectResult } from '../protocols/mailbox/index.ts'
import type { SessionCipher } from '../crypto/session/session-cipher.ts'
import type { Contact, ContactStore, ConversationSummary, FileStore, KeyStore, ListMessagesOptions, MessageRecord, MessageRequest, MessageStore, NewMessage, TransferRecord, WriteOptions } from '../storage/types.ts'
import type { AbortOptions, IdentifyResult, Logger, PeerId, Startable } from '@libp2p/interface'

export type { MessengerEvents } from './events.ts'

export interface MessengerInit extends OutboxInit, ReceivePipelineInit, MailboxSyncInit {
  /** Bounds on what strangers' pending requests keep (RequestQuota) */
  requests?: RequestQuotaInit
}

export interface HistoryOptions extends ListMessagesOptions {
  /** The direct conversation with this peer */
  peer?: PeerId | string
}

export interface MessengerComponents {
  node: ParleyNode
  messages: MessageStore
  contacts: ContactStore
  keys: KeyStore
  files: FileStore
  cipher: SessionCipher
}

const textEncoder = new TextEncoder()

/**
 * What the user interfaces talk to: send, history, contacts, and events for what arrives or
 * changes. It composes the parts that do the work: the `Outbox` (every outgoing message until
 * it is delivered: directly, through the mailbox, retried), the `ReceivePipeline` (what
 * arrives, directly or from the mailboxes), `Contacts` (names, standing, requests) and
 * `MailboxSync` (fetching this node's mail).
 */
export class Messenger extends TypedEventEmitter<MessengerEvents> implements Startable {
  private readonly node: ParleyNode
  private readonly messages: MessageStore
  private readonly files: FileStore
  private readonly log: Logger
  private readonly people: Contacts
  private readonly outbox: Outbox
  private readonly pipeline: ReceivePipeline
  private readonly sync: MailboxSync
  private readonly shutdown = new AbortController()
  /** Dispatches an event; a listener that throws is logged and does not reach the part that announced it */
  private readonly emit: Emit
  /**
   * Who takes and sends each kind of content: text and receipts here; file transfers, and later
   * features, register their kinds before the messenger starts
   */
  readonly content = new ContentHandlers()

  constructor (components: MessengerComponents, init: MessengerInit = {}) {
    super()
    this.node = components.node
    this.messages = components.messages
    this.files = components.files
    this.log = components.node.logger.forComponent('parley:messenger')
    this.emit = (type, detail) => {
      try {
        this.safeDispatchEvent(type, { detail })
      } catch (err) {
        this.log.error('a %s listener threw - %e', type, err)
      }
    }
    this.people = new Contacts(components.contacts, components.node.peerId, this.emit)
    this.content.register('text', textHandler())
    this.content.register('receipt', receiptHandler(components.messages))
    this.content.register('unsupported', unsupportedHandler())
    this.outbox = new Outbox({
      ...components,
      delivery: new NodeDelivery(components.node, this.log, this.shutdown.signal),
      handlers: this.content,
      emit: this.emit,
      log: this.log
    }, init)
    this.pipeline = new ReceivePipeline({
      ...components,
      contacts: this.people,
      handlers: this.content,
      requestQuota: new RequestQuota(components, this.log, init.requests),
      enqueueControl: async (peer, fields) => this.outbox.enqueueControl(peer, fields),
      emit: this.emit,
      log: this.log
    }, init)
    this.sync = new MailboxSync(components.node, this.log, init)
    this.onIdentify = this.onIdentify.bind(this)
  }

  get peerId (): PeerId {
    return this.node.peerId
  }

  async start (): Promise<void> {
    this.node.services.chat.setHandler(this.pipeline.fromChat.bind(this.pipeline))
    this.node.services.mailbox.setHandler(this.pipeline.fromMailbox.bind(this.pipeline))
    this.node.addEventListener('peer:identify', this.onIdentify)
    await this.outbox.start((await this.people.list()).map(c => c.peerId))
    this.sync.start()
  }

  async stop (): Promise<void> {
    this.node.removeEventListener('peer:identify', this.onIdentify)
    // no new fetches while the outbox's deliveries under way get their grace
    this.sync.stopFetching()
    await this.outbox.stop()
    this.shutdown.abort()
    await this.sync.stop()
  }

  /**
   * Sends a text message. Resolves after the first delivery attempt with the message as stored:
   * `delivered`, `stored` (held by mailbox storers for the offline recipient, `holders` saying
   * which), `queued` (neither: it stays in the outbox and is retried) or `failed` (refused).
   * `peer` is a PeerId, an invite (`parley://...`) or a contact's name.
   */
  async send (peer: PeerId | string, text: string, options: AbortOptions = {}): Promise<MessageRecord> {
    const to = typeof peer === 'string' ? await this.people.resolve(peer, options) : peer
    checkText(text)
    return this.enqueue(to, { text }, options)
  }

  /**
   * Offers a file: stores the transfer (`transfer`, outgoing, whose file the caller has hashed)
   * with a message carrying its offer, then delivers the message like any other (directly, or to
   * the recipient's mailbox). Resolves after the first delivery attempt with the message as stored.
   */
  async sendFile (transfer: TransferRecord, options: AbortOptions = {}): Promise<MessageRecord> {
    const file = { id: transfer.id, name: transfer.name, size: transfer.size, type: transfer.type }
    return this.enqueue(parsePeerArgument(transfer.peer), { text: '', file }, { ...options, also: [this.files.putWrite(transfer)] })
  }

  /**
   * Tells the peer of a transfer what became of it here (received in full, or cancelled), through
   * the outbox like a receipt, so it arrives even if the peer is offline now
   */
  async reportFile (transfer: TransferRecord, state: 'received' | 'cancelled'): Promise<void> {
    await this.outbox.enqueueControl(transfer.peer, { kind: 'file-status', fileStatus: { id: transfer.id, state } })
  }

  /** History, oldest first: of the direct conversation with `peer` if given, else of all */
  async history (options: HistoryOptions = {}): Promise<MessageRecord[]> {
    const { peer, ...rest } = options
    // a direct conversation's id is the peer's PeerId
    return this.messages.list(peer == null ? rest : { ...rest, conversation: peer.toString() })
  }

  /** Every conversation with its newest message, unread count and timer, the latest first */
  async conversations (options: AbortOptions = {}): Promise<ConversationSummary[]> {
    return this.messages.conversations(options)
  }

  async addContact (peer: PeerId | string, name: string, options: AbortOptions = {}): Promise<Contact> {
    return this.people.add(peer, name, options)
  }

  async removeContact (peer: PeerId | string, options: AbortOptions = {}): Promise<void> {
    await this.people.remove(peer, options)
  }

  async contacts (options: AbortOptions = {}): Promise<Contact[]> {
    return this.people.list(options)
  }

  /** Peers who wrote without being accepted, oldest first: the user accepts or blocks each */
  async requests (options: AbortOptions = {}): Promise<MessageRequest[]> {
    return this.people.requests(options)
  }

  /** Accepts a message request (or any peer): its messages no longer need stamps */
  async accept (peer: PeerId | string, options: AbortOptions = {}): Promise<void> {
    await this.people.accept(peer, options)
  }

  /** Refuses everything from `peer` from now on (its request is dismissed) */
  async block (peer: PeerId | string, options: AbortOptions = {}): Promise<void> {
    await this.people.block(peer, options)
  }

  async unblock (peer: PeerId | string, options: AbortOptions = {}): Promise<void> {
    await this.people.unblock(peer, options)
  }

  /** The safety number of this node and `peer` (see `Contacts.safetyNumber`) */
  async safetyNumber (peer: PeerId | string, options: AbortOptions = {}): Promise<string> {
    return this.people.safetyNumber(peer, options)
  }

  /** A contact's name, else a PeerId, invite or `/p2p/` multiaddr (throws `InvalidPeerError`) */
  async resolvePeer (input: string, options: AbortOptions = {}): Promise<PeerId> {
    return this.people.resolve(input, options)
  }

  /**
   * Fetches this node's mailboxes now (it also does at start, every `fetchIntervalMs`, and when
   * a storer says it holds mail). Runs one collection at a time; a call during one waits for a
   * fresh one after it.
   */
  async checkMailbox (): Promise<CollectResult> {
    return this.sync.collect()
  }

  /**
   * Stores a new outgoing message (with `options.also` in the same write) and makes a first
   * delivery attempt; resolves with the message as stored after it
   */
  private async enqueue (to: PeerId, body: Pick<NewMessage, 'text' | 'file'>, options: WriteOptions): Promise<MessageRecord> {
    if (to.equals(this.node.peerId)) {
      throw new SelfMessageError()
    }
    await this.people.acceptOnWrite(to.toString(), options)
    const record = await this.messages.addOutgoing({
      id: toHex(crypto.getRandomValues(new Uint8Array(MESSAGE_ID_BYTES)), 'base16'),
      peer: to.toString(),
      direction: 'out',
      ...body,
      timestamp: Date.now(),
      status: 'sending'
    }, options)
    this.emit('status', record)
    await this.outbox.flush(record.peer)
    return await this.messages.get(record.conversation, 'out', record.id, options) ?? record
  }

  private onIdentify (evt: CustomEvent<IdentifyResult>): void {
    this.outbox.peerIsBack(evt.detail.peerId.toString())
  }
}

function checkText (text: string): void {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InvalidMessageTextError('the message is empty')
  }
  const bytes = textEncoder.encode(text).byteLength
  if (bytes > MAX_TEXT_BYTES) {
    throw new InvalidMessageTextError(`the message is ${bytes} bytes, the limit is ${MAX_TEXT_BYTES}`)
  }
}
