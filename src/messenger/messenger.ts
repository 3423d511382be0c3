import { TypedEventEmitter } from 'main-event'
import { toString as toBase64 } from 'uint8arrays/to-string'
import { isGroupId } from '../groups/group-id.ts'
import { parsePeerArgument } from '../identity/invite.ts'
import { ContentHandlers } from './content-handlers.ts'
import { ANNOUNCE_CHECK_INTERVAL_MS } from './constants.ts'
import { messengerParts } from './parts.ts'
import type { Composer } from './composer.ts'
import type { Contacts, Verification } from './contacts.ts'
import type { Disappearing } from './disappearing.ts'
import type { Emit, MessengerEvents } from './events.ts'
import type { MailboxAddresses } from './mailbox-addresses.ts'
import type { MailboxSync } from './mailbox-sync.ts'
import type { Outbox } from './outbox.ts'
import type { MessengerComponents, MessengerInit } from './parts.ts'
import type { ReceivePipeline } from './receive-pipeline.ts'
import type { CollectResult } from '../protocols/mailbox/index.ts'
import type { ParleyNode } from '../node/create-node.ts'
import type { Contact, ConversationSummary, FileStore, ListMessagesOptions, MessageRecord, MessageRef, MessageRequest, MessageStore, Settings, SettingsStore, TransferRecord, Verified } from '../storage/types.ts'
import type { AbortOptions, IdentifyResult, Logger, PeerId, Startable } from '@libp2p/interface'

export type { MessengerComponents, MessengerInit } from './parts.ts'
export type { MessengerEvents } from './events.ts'

export interface HistoryOptions extends ListMessagesOptions {
  /** The direct conversation with this peer */
  peer?: PeerId | string
}

/**
 * What the user interfaces talk to: conversations, history, contacts, settings, and events for
 * what arrives or changes. It composes the parts that do the work (parts.ts wires them): the
 * `Composer` (what the user writes, applied here then sent), the `Outbox` (every outgoing
 * message until it is delivered: directly, through the mailbox, retried), the
 * `ReceivePipeline` (what arrives, directly or from the mailboxes), `Contacts` (names,
 * standing, requests), `MailboxSync` (fetching this node's mail) and `Disappearing` (erasing
 * messages whose timer ran out).
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
  private readonly composer: Composer
  private readonly addresses: MailboxAddresses
  private announceTimer?: ReturnType<typeof setInterval>
  /** Peers sent an announcement alone, by the epoch it covers through: one per window each */
  private readonly announcing = new Map<string, number>()
  private readonly disappearing: Disappearing
  private readonly settingsStore: SettingsStore
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
    this.settingsStore = components.settings
    this.log = components.node.logger.forComponent('parley:messenger')
    this.emit = (type, detail) => {
      try {
        this.safeDispatchEvent(type, { detail })
      } catch (err) {
        this.log.error('a %s listener threw - %e', type, err)
      }
    }
    const parts = messengerParts(components, init, this.content, this.emit, this.log, this.shutdown.signal)
    this.people = parts.people
    this.outbox = parts.outbox
    this.pipeline = parts.pipeline
    this.sync = parts.sync
    this.disappearing = parts.disappearing
    this.composer = parts.composer
    this.addresses = parts.addresses
    // a peer that just announced its identities (a new contact, a new window), or one the user
    // just accepted, hears ours back
    this.addresses.onLearned = () => { this.announceDue() }
    this.addEventListener('accepted', () => { this.announceDue() })
    // what arrives under a timer is erased when its time comes, like what is sent
    this.addEventListener('message', evt => { this.disappearing.scheduled(evt.detail.expiresAt) })
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
    await this.disappearing.start()
    this.sync.start()
    this.announceTimer = setInterval(() => { this.announceDue() }, ANNOUNCE_CHECK_INTERVAL_MS)
    this.announceTimer.unref?.()
    this.announceDue()
  }

  /**
   * Sends this node's mailbox identities alone to each peer that reads them (it announced its
   * own) and was sent none for the current window: most windows they ride on other content
   */
  private announceDue (): void {
    this.addresses.due({ signal: this.shutdown.signal }).then(async due => {
      for (const { peer, through } of due) {
        if ((this.announcing.get(peer) ?? -1) >= through) continue
        this.announcing.set(peer, through)
        await this.outbox.enqueueControl(peer, { kind: 'mailbox' })
      }
    }).catch(err => { this.log('announcing mailbox identities failed - %e', err) })
  }

  async stop (): Promise<void> {
    this.node.removeEventListener('peer:identify', this.onIdentify)
    clearInterval(this.announceTimer)
    // no new fetches while the outbox's deliveries under way get their grace
    this.sync.stopFetching()
    await this.outbox.stop()
    this.shutdown.abort()
    await this.sync.stop()
    await this.disappearing.stop()
  }

  /**
   * Sends a text message, perhaps quoting an earlier one (`replyTo`). Resolves after the first
   * delivery attempt with the message as stored: `delivered`, `stored` (held by mailbox storers
   * for the offline recipient, `holders` saying which), `queued` (neither: it stays in the
   * outbox and is retried) or `failed` (refused). `peer` is a PeerId, an invite
   * (`parley://...`) or a contact's name.
   */
  async send (peer: PeerId | string, text: string, options: AbortOptions & { replyTo?: MessageRef } = {}): Promise<MessageRecord> {
    const { replyTo, ...rest } = options
    return this.composer.send(await this.peer(peer, rest), { text, ...(replyTo != null ? { replyTo } : {}) }, rest)
  }

  /** Reacts to a message with one emoji (replacing this user's earlier one); '' takes it back */
  async react (peer: PeerId | string, target: MessageRef, emoji: string, options: AbortOptions = {}): Promise<MessageRecord> {
    return this.composer.react(await this.peer(peer, options), target, emoji, options)
  }

  /** Edits one of this user's texts (the earlier text kept in its history) */
  async edit (peer: PeerId | string, id: string, text: string, options: AbortOptions = {}): Promise<MessageRecord> {
    return this.composer.edit(await this.peer(peer, options), id, text, options)
  }

  /** Deletes one of this user's messages for everyone (a tombstone stays) */
  async deleteForEveryone (peer: PeerId | string, id: string, options: AbortOptions = {}): Promise<MessageRecord> {
    return this.composer.remove(await this.peer(peer, options), id, options)
  }

  /** Sets the conversation's disappearing-message timer, in seconds (one of TIMER_SECONDS; 0 is off) */
  async setTimer (peer: PeerId | string, seconds: number, options: AbortOptions = {}): Promise<MessageRecord> {
    return this.composer.setTimer(await this.peer(peer, options), seconds, options)
  }

  /** Marks the conversation read (sending read receipts if they are on); resolves how many were unread */
  async markRead (peer: PeerId | string, options: AbortOptions = {}): Promise<number> {
    return this.composer.markRead(await this.peer(peer, options), options)
  }

  /** Tells the peer this user is typing or stopped (if typing indicators are on and it is connected) */
  async typing (peer: PeerId | string, typing: boolean, options: AbortOptions = {}): Promise<boolean> {
    return this.composer.typing(await this.peer(peer, options), typing, options)
  }

  async settings (options: AbortOptions = {}): Promise<Settings> {
    return this.settingsStore.get(options)
  }

  async changeSettings (change: Partial<Settings>, options: AbortOptions = {}): Promise<Settings> {
    return this.settingsStore.set(change, options)
  }

  /**
   * Offers a file: stores the transfer (`transfer`, outgoing, whose file the caller has hashed)
   * with a message carrying its offer, then delivers the message like any other (directly, or to
   * the recipient's mailbox). Resolves after the first delivery attempt with the message as stored.
   */
  async sendFile (transfer: TransferRecord, options: AbortOptions = {}): Promise<MessageRecord> {
    const file = { id: transfer.id, name: transfer.name, size: transfer.size, type: transfer.type }
    return this.composer.send(parsePeerArgument(transfer.peer), { text: '', file }, { ...options, also: [this.files.putWrite(transfer)] })
  }

  /**
   * Tells the peer of a transfer what became of it here (received in full, or cancelled), through
   * the outbox like a receipt, so it arrives even if the peer is offline now
   */
  async reportFile (transfer: TransferRecord, state: 'received' | 'cancelled'): Promise<void> {
    await this.outbox.enqueueControl(transfer.peer, { kind: 'file-status', fileStatus: { id: transfer.id, state } })
  }

  /**
   * Hands a group's encoded update, a sender key or a group receipt (src/groups) to a member
   * through the outbox like a receipt, so it arrives even if the member is offline now
   */
  async sendGroupControl (peer: string, kind: 'group' | 'sender-key' | 'group-receipt', payload: Uint8Array): Promise<void> {
    await this.outbox.enqueueControl(peer, { kind, payload: toBase64(payload, 'base64') })
  }

  /**
   * Hands a call's signalling message (an encoded CallSignal) to `peer` through the outbox;
   * `ephemeral` (a call's negotiation) only while the peer answers, never to its mailbox
   */
  async sendCallSignal (peer: string, payload: Uint8Array, options: { ephemeral?: boolean } = {}): Promise<void> {
    await this.outbox.enqueueControl(peer, { kind: 'call', payload: toBase64(payload, 'base64'), ...(options.ephemeral === true ? { ephemeral: true } : {}) })
  }

  /** History, oldest first: of the direct conversation with `peer` if given, else of all */
  async history (options: HistoryOptions = {}): Promise<MessageRecord[]> {
    const { peer, ...rest } = options
    // a direct conversation's id is the peer's PeerId
    return this.messages.list(peer == null ? rest : { ...rest, conversation: peer.toString() })
  }

  /** Every conversation with its newest message, unread count and timer, the latest first */
  async conversations (options: AbortOptions = {}): Promise<ConversationSummary[]> {
    return (await this.messages.conversations(options)).map(c => isGroupId(c.id) ? { ...c, group: true } : c)
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

  /** The safety number with `peer` and whether the user marked it as compared */
  async verification (peer: PeerId | string, options: AbortOptions = {}): Promise<Verification> {
    return this.people.verification(peer, options)
  }

  /** Marks the safety number with `peer` as compared, or clears the mark (see `Contacts.setVerified`) */
  async setVerified (peer: PeerId | string, verified: boolean, options: AbortOptions = {}): Promise<Verification> {
    return this.people.setVerified(peer, verified, options)
  }

  /** Every peer whose safety number the user marked as compared */
  async verifiedPeers (options: AbortOptions = {}): Promise<Verified[]> {
    return this.people.verifiedPeers(options)
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
  /** A message stored elsewhere (a group's) disappears at `at`: erased then with the rest */
  scheduleDisappearing (at: number | undefined): void {
    this.disappearing.scheduled(at)
  }

  /**
   * Resolves once the mailbox check at start has ended (what came meanwhile, group updates and
   * keys among it, is taken): before it, a group's mailbox would be read without them
   */
  async firstMailboxCheck (): Promise<void> {
    await this.sync.started()
  }

  async checkMailbox (): Promise<CollectResult> {
    return this.sync.collect()
  }

  private async peer (peer: PeerId | string, options: AbortOptions): Promise<PeerId> {
    return typeof peer === 'string' ? this.people.resolve(peer, options) : peer
  }

  private onIdentify (evt: CustomEvent<IdentifyResult>): void {
    this.outbox.peerIsBack(evt.detail.peerId.toString())
  }
}
