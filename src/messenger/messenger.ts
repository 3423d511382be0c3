import { TypedEventEmitter } from 'main-event'
import { equals } from 'uint8arrays/equals'
import { toString as toHex } from 'uint8arrays/to-string'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { safetyNumber } from '../crypto/safety-number.ts'
import { InvalidPeerError } from '../identity/errors.ts'
import { parsePeerArgument } from '../identity/invite.ts'
import { MAX_TEXT_BYTES, MESSAGE_ID_BYTES, MessageRefusedError, MessageRejectedError } from '../protocols/chat/index.ts'
import { STAMP_BITS, verifyStamp } from '../protocols/mailbox/index.ts'
import { MAX_RECEIPT_IDS } from '../crypto/session/constants.ts'
import { FETCH_INTERVAL_MS, LOOKUP_TIMEOUT_MS, MAX_PEERS_GREETED_ON_START, RELOCATE_INTERVAL_MS, RETRY_BASE_MS, RETRY_MAX_MS, STOP_GRACE_MS } from './constants.ts'
import { InvalidMessageTextError, SelfMessageError } from './errors.ts'
import { afterPeerStatus, checkOffer, incomingTransfer, offerOf, offerState } from './file-offers.ts'
import { RequestQuota } from './request-quota.ts'
import { AUTO_DOWNLOAD_MAX_BYTES } from '../files/constants.ts'
import { FileStatus } from '../crypto/session/pb/session.ts'
import type { ParleyNode } from '../node/create-node.ts'
import type { IncomingChatMessage } from '../protocols/chat/index.ts'
import type { CollectResult, FetchedEnvelope } from '../protocols/mailbox/index.ts'
import type { Content } from '../crypto/session/pb/session.ts'
import type { EncryptOptions, SessionCipher } from '../crypto/session/session-cipher.ts'
import type { RequestQuotaInit } from './request-quota.ts'
import type { Contact, ContactStore, FileStore, KeyStore, ListMessagesOptions, MessageRecord, MessageRequest, MessageStore, TransferRecord, WriteOp } from '../storage/types.ts'
import type { AbortOptions, IdentifyResult, Logger, PeerId, Startable } from '@libp2p/interface'

export interface MessengerEvents {
  /** A new message arrived (repeats of a stored message are not announced again) */
  message: CustomEvent<MessageRecord>
  /** An outgoing message was created or changed status */
  status: CustomEvent<MessageRecord>
  /** A peer offered a file (a new transfer), or its end of a transfer changed ours */
  transfer: CustomEvent<TransferRecord>
  /** The user accepted a peer (its offered files may now be fetched) */
  accepted: CustomEvent<string>
}

export interface MessengerInit {
  /** @default RETRY_BASE_MS */
  retryBaseMs?: number
  /** @default RETRY_MAX_MS */
  retryMaxMs?: number
  /** How often the node checks its mailboxes while running. @default FETCH_INTERVAL_MS */
  fetchIntervalMs?: number
  /**
   * Proof-of-work difficulty of the stamp a sender attaches to a mailbox message for a peer that
   * has never written back, and that a recipient requires of senders it has not accepted.
   * @default STAMP_BITS
   */
  stampBits?: number
  /** A known peer's file offer up to this size downloads at once. @default AUTO_DOWNLOAD_MAX_BYTES */
  autoDownloadBytes?: number
  /** Bounds on what strangers' pending requests keep (RequestQuota) */
  requests?: RequestQuotaInit
}

export interface MessengerComponents {
  node: ParleyNode
  messages: MessageStore
  contacts: ContactStore
  keys: KeyStore
  files: FileStore
  cipher: SessionCipher
}

/** One flush of a peer's outbox: whether it looked the peer up again, and the addresses it had */
interface DeliveryRound {
  relocated: boolean
  tried: Set<string>
}

/** Thrown inside a decrypt's commit to read a message without taking it (mailbox ordering) */
class Peeked extends Error {
  constructor (readonly content: Content) {
    super('peeked')
  }
}

interface RetryState {
  attempts: number
  timer?: ReturnType<typeof setTimeout>
}

const textEncoder = new TextEncoder()

/** Errors after which a message will never get through: it fails, with the reason */
const PERMANENT_SEND_ERRORS = new Set([
  'MessageRejectedError', 'InvalidChatMessageError', 'BundleMismatchError', 'InvalidBundleError'
])

/** Errors that mean an incoming envelope cannot be decrypted (as opposed to a local failure) */
const UNDECRYPTABLE = new Set([
  'InvalidEnvelopeError', 'InvalidMessageError', 'InvalidSessionMessageError', 'InvalidSessionError', 'NoSessionError',
  'UnknownPrekeyError', 'InvalidInitialMessageError', 'TooManySkippedMessagesError', 'InvalidPaddingError',
  'SkippedKeyEvictedError'
])

/**
 * Of those, the ones a new session cures: the envelope opened (it is the sender's), but no
 * session here decrypts it, because the one-time prekey it used is gone (drained, expired), the
 * session was lost (a restore from an old backup), or the message came so late that its key was
 * dropped (more than MAX_SKIPPED_KEYS after it). The sender is told to start a new one.
 */
const SESSION_LOST = new Set(['UnknownPrekeyError', 'NoSessionError', 'InvalidMessageError', 'SkippedKeyEvictedError'])

/**
 * What the user interfaces talk to: send, history, contacts, and events for what arrives or
 * changes. Every outgoing message goes through the outbox, so one that cannot be delivered now
 * stays there and is retried (on backoff, and whenever the peer connects) until it is.
 */
export class Messenger extends TypedEventEmitter<MessengerEvents> implements Startable {
  private readonly node: ParleyNode
  private readonly messages: MessageStore
  private readonly contactStore: ContactStore
  private readonly keys: KeyStore
  private readonly files: FileStore
  private readonly requestQuota: RequestQuota
  private readonly cipher: SessionCipher
  private readonly log: Logger
  private readonly retryBaseMs: number
  private readonly retryMaxMs: number
  private readonly flushing = new Map<string, { run: Promise<void>, again: boolean }>()
  private readonly retries = new Map<string, RetryState>()
  /** When each peer was last looked up again after its addresses failed */
  private readonly relocated = new Map<string, number>()
  /** Peers with undelivered messages: their connecting triggers a flush */
  private readonly waiting = new Set<string>()
  private readonly fetchIntervalMs: number
  private readonly stampBits: number
  private readonly autoDownloadBytes: number
  private fetchTimer?: ReturnType<typeof setInterval>
  private collecting?: { run: Promise<CollectResult>, again: boolean }
  /** Fetches from storers that sent a notice, each at once, beside any running collection */
  private readonly noticed = new Map<string, Promise<unknown>>()
  private readonly shutdown = new AbortController()
  private running = false

  constructor (components: MessengerComponents, init: MessengerInit = {}) {
    super()
    this.node = components.node
    this.messages = components.messages
    this.contactStore = components.contacts
    this.keys = components.keys
    this.files = components.files
    this.cipher = components.cipher
    this.log = components.node.logger.forComponent('parley:messenger')
    this.requestQuota = new RequestQuota(components, this.log, init.requests)
    this.retryBaseMs = init.retryBaseMs ?? RETRY_BASE_MS
    this.retryMaxMs = init.retryMaxMs ?? RETRY_MAX_MS
    this.fetchIntervalMs = init.fetchIntervalMs ?? FETCH_INTERVAL_MS
    this.stampBits = init.stampBits ?? STAMP_BITS
    this.autoDownloadBytes = init.autoDownloadBytes ?? AUTO_DOWNLOAD_MAX_BYTES
    this.onIdentify = this.onIdentify.bind(this)
    this.onNotice = this.onNotice.bind(this)
  }

  get peerId (): PeerId {
    return this.node.peerId
  }

  async start (): Promise<void> {
    this.running = true
    this.node.services.chat.setHandler(this.receive.bind(this))
    this.node.services.mailbox.setHandler(this.fromMailbox.bind(this))
    this.node.services.mailbox.addEventListener('notice', this.onNotice)
    this.node.addEventListener('peer:identify', this.onIdentify)
    for (const message of await this.messages.outbox()) {
      this.waiting.add(message.peer)
      this.flushSoon(message.peer)
    }
    this.greetPeers()
    this.collectSoon()
    this.fetchTimer = setInterval(() => { this.collectSoon() }, this.fetchIntervalMs)
    this.fetchTimer.unref?.()
  }

  async stop (): Promise<void> {
    this.running = false
    clearInterval(this.fetchTimer)
    this.node.removeEventListener('peer:identify', this.onIdentify)
    this.node.services.mailbox.removeEventListener('notice', this.onNotice)
    for (const state of this.retries.values()) {
      clearTimeout(state.timer)
    }
    this.retries.clear()
    // what is being handed over (say, the receipt for mail just fetched) gets a moment to land
    // with the storers; what does not stays in the outbox for the next start
    const flushes = Promise.allSettled([...this.flushing.values()].map(f => f.run))
    let grace: ReturnType<typeof setTimeout> | undefined
    await Promise.race([flushes, new Promise(resolve => { grace = setTimeout(resolve, STOP_GRACE_MS) })])
    clearTimeout(grace)
    this.shutdown.abort()
    await flushes
    await this.collecting?.run.catch(() => {})
    await Promise.allSettled(this.noticed.values())
  }

  /**
   * Sends a text message. Resolves after the first delivery attempt with the message as stored:
   * `delivered`, `stored` (held by mailbox storers for the offline recipient, `holders` saying
   * which), `queued` (neither: it stays in the outbox and is retried) or `failed` (refused).
   * `peer` is a PeerId, an invite (`parley://...`) or a contact's name.
   */
  async send (peer: PeerId | string, text: string, options: AbortOptions = {}): Promise<MessageRecord> {
    const to = typeof peer === 'string' ? await this.resolvePeer(peer, options) : peer
    if (to.equals(this.node.peerId)) {
      throw new SelfMessageError()
    }
    checkText(text)
    // writing to someone accepts them: their answers are not message requests
    if (await this.contactStore.standing(to.toString(), options) == null) {
      await this.contactStore.setStanding(to.toString(), 'accepted', options)
    }
    const id = crypto.getRandomValues(new Uint8Array(MESSAGE_ID_BYTES))
    const record = await this.messages.addOutgoing({
      id: toHex(id, 'base16'),
      peer: to.toString(),
      direction: 'out',
      text,
      timestamp: Date.now(),
      status: 'sending'
    }, options)
    this.safeDispatch('status', record)
    await this.flush(to.toString())
    return await this.messages.get(record.peer, 'out', record.id, options) ?? record
  }

  /**
   * Offers a file: stores the transfer (`transfer`, outgoing, whose file the caller has hashed)
   * with a message carrying its offer, then delivers the message like any other (directly, or to
   * the recipient's mailbox). Resolves after the first delivery attempt with the message as stored.
   */
  async sendFile (transfer: TransferRecord, options: AbortOptions = {}): Promise<MessageRecord> {
    const to = parsePeerArgument(transfer.peer)
    if (to.equals(this.node.peerId)) {
      throw new SelfMessageError()
    }
    if (await this.contactStore.standing(transfer.peer, options) == null) {
      await this.contactStore.setStanding(transfer.peer, 'accepted', options)
    }
    const record = await this.messages.addOutgoing({
      id: toHex(crypto.getRandomValues(new Uint8Array(MESSAGE_ID_BYTES)), 'base16'),
      peer: transfer.peer,
      direction: 'out',
      text: '',
      file: { id: transfer.id, name: transfer.name, size: transfer.size, type: transfer.type },
      timestamp: Date.now(),
      status: 'sending'
    }, { ...options, also: [this.files.putWrite(transfer)] })
    this.safeDispatch('status', record)
    await this.flush(record.peer)
    return await this.messages.get(record.peer, 'out', record.id, options) ?? record
  }

  /**
   * Tells the peer of a transfer what became of it here (received in full, or cancelled), through
   * the outbox like a receipt, so it arrives even if the peer is offline now
   */
  async reportFile (transfer: TransferRecord, state: 'received' | 'cancelled'): Promise<void> {
    await this.queueControl(transfer.peer, { kind: 'file-status', fileStatus: { id: transfer.id, state } })
  }

  async history (options: ListMessagesOptions = {}): Promise<MessageRecord[]> {
    return this.messages.list(options)
  }

  async addContact (peer: PeerId | string, name: string, options: AbortOptions = {}): Promise<Contact> {
    const id = typeof peer === 'string' ? parsePeerArgument(peer) : peer
    const trimmed = name.trim()
    if (trimmed === '' || trimmed.length > 64) {
      throw new InvalidMessageTextError('a contact name must be 1 to 64 characters')
    }
    const existing = await this.contactStore.get(id.toString(), options)
    const contact = { peerId: id.toString(), name: trimmed, addedAt: existing?.addedAt ?? Date.now() }
    await this.contactStore.put(contact, options)
    await this.contactStore.setStanding(contact.peerId, 'accepted', options)
    // adding someone accepts them: what they offered while a stranger may now be fetched
    this.safeDispatchEvent('accepted', { detail: contact.peerId })
    return contact
  }

  /** Peers who wrote without being accepted, oldest first: the user accepts or blocks each */
  async requests (options: AbortOptions = {}): Promise<MessageRequest[]> {
    return this.contactStore.requests(options)
  }

  /** Accepts a message request (or any peer): its messages no longer need stamps */
  async accept (peer: PeerId | string, options: AbortOptions = {}): Promise<void> {
    const id = typeof peer === 'string' ? await this.resolvePeer(peer, options) : peer
    await this.contactStore.setStanding(id.toString(), 'accepted', options)
    this.safeDispatchEvent('accepted', { detail: id.toString() })
  }

  /** Refuses everything from `peer` from now on (its request is dismissed) */
  async block (peer: PeerId | string, options: AbortOptions = {}): Promise<void> {
    const id = typeof peer === 'string' ? await this.resolvePeer(peer, options) : peer
    await this.contactStore.setStanding(id.toString(), 'blocked', options)
  }

  async unblock (peer: PeerId | string, options: AbortOptions = {}): Promise<void> {
    const id = typeof peer === 'string' ? await this.resolvePeer(peer, options) : peer
    if (await this.contactStore.standing(id.toString(), options) === 'blocked') {
      await this.contactStore.setStanding(id.toString(), undefined, options)
    }
  }

  /**
   * Fetches this node's mailboxes now (it also does at start, every `fetchIntervalMs`, and when
   * a storer says it holds mail). Runs one collection at a time; a call during one waits for a
   * fresh one after it.
   */
  async checkMailbox (): Promise<CollectResult> {
    return this.collect()
  }

  async removeContact (peer: PeerId | string, options: AbortOptions = {}): Promise<void> {
    const id = typeof peer === 'string' ? await this.resolvePeer(peer, options) : peer
    await this.contactStore.delete(id.toString(), options)
  }

  async contacts (options: AbortOptions = {}): Promise<Contact[]> {
    return this.contactStore.list(options)
  }

  /**
   * The safety number of this node and `peer` (Signal's 60 digits): the same on both sides when
   * neither is being impersonated. Users compare it in person or by a trusted call.
   */
  async safetyNumber (peer: PeerId | string, options: AbortOptions = {}): Promise<string> {
    const id = typeof peer === 'string' ? await this.resolvePeer(peer, options) : peer
    return safetyNumber(
      { identityKey: this.node.peerId.publicKey!.raw, id: this.node.peerId.toString() },
      { identityKey: id.publicKey!.raw, id: id.toString() }
    )
  }

  /** A contact's name, else a PeerId, invite or `/p2p/` multiaddr (throws `InvalidPeerError`) */
  async resolvePeer (input: string, options: AbortOptions = {}): Promise<PeerId> {
    const contact = await this.contactStore.getByName(input.trim(), options)
    if (contact != null) {
      return parsePeerArgument(contact.peerId)
    }
    try {
      return parsePeerArgument(input)
    } catch (err: any) {
      throw new InvalidPeerError(`no contact is named "${input.trim().slice(0, 80)}", and ${err.message}`)
    }
  }

  /** A message that came over a direct chat stream (the chat ack follows when this resolves) */
  private async receive (message: IncomingChatMessage, options: AbortOptions): Promise<void> {
    await this.take(message.envelope, { id: message.id }, options)
  }

  /**
   * Decrypts and stores an incoming message; the session's new state, and a one-time prekey it
   * used up, go in the same write as the message. A receipt marks our messages delivered. A
   * repeat is taken without being stored again. What cannot be decrypted, or comes from a
   * blocked peer, or reaches a mailbox from a stranger without a valid stamp, is refused
   * (`MessageRefusedError`). Resolves with the record when a new message was stored.
   */
  private async take (envelope: Uint8Array, via: { id?: Uint8Array, mailbox?: FetchedEnvelope }, options: AbortOptions): Promise<MessageRecord | undefined> {
    let added: MessageRecord | undefined
    let fromStranger = false
    let delivered: MessageRecord[] = []
    let transfer: TransferRecord | undefined
    try {
      await this.cipher.decrypt(envelope, async opened => {
        const { content, sender } = opened
        const peer = sender.toString()
        if (via.id != null && !equals(content.id, via.id)) {
          throw new MessageRefusedError('the message id does not match the encrypted one')
        }
        const standing = await this.contactStore.standing(peer, options)
        if (standing === 'blocked') {
          throw new MessageRefusedError('the recipient does not accept messages from you')
        }
        const sessionWrites = [
          this.keys.sessionWrite(peer, opened.sessionRecord),
          ...(opened.usedOneTimePrekeyId != null ? [this.keys.prekeyDelete('one-time', opened.usedOneTimePrekeyId)] : [])
        ]
        const text = content.text ?? ''
        if (text === '' && content.delivers.length > 0) {
          delivered = await this.messages.markDelivered(peer, content.delivers.map(id => toHex(id, 'base16')), { ...options, also: sessionWrites })
          return
        }
        if (content.fileStatus != null) {
          transfer = await this.takeFileStatus(peer, content.fileStatus, sessionWrites, options)
          return
        }
        if ((text === '' && content.file == null) || textEncoder.encode(text).byteLength > MAX_TEXT_BYTES) {
          throw new MessageRefusedError('the message text is empty or too long')
        }
        if (content.file != null) checkOffer(content.file)
        const known = standing === 'accepted' || await this.contactStore.get(peer, options) != null
        if (!known && via.mailbox != null && !verifyStamp(via.mailbox.key, via.mailbox.hash, via.mailbox.stamp, this.stampBits)) {
          throw new MessageRefusedError('a stranger\'s message through a mailbox needs a valid proof-of-work stamp')
        }
        const offered = content.file != null ? incomingTransfer(content.file, peer, offerState(known, Number(content.file.size), this.autoDownloadBytes)) : undefined
        const result = await this.messages.addIncoming({
          id: toHex(content.id, 'base16'),
          peer,
          direction: 'in',
          text,
          ...(offered != null ? { file: { id: offered.id, name: offered.name, size: offered.size, type: offered.type } } : {}),
          timestamp: Number(content.timestamp),
          status: 'delivered'
        }, {
          ...options,
          also: [...sessionWrites, ...(known ? [] : [this.contactStore.requestWrite({ peerId: peer, at: Date.now() })])],
          // a repeat of the offer must not reset a transfer under way
          ...(offered != null ? { ifNew: [this.files.putWrite(offered)] } : {})
        })
        if (result.added) {
          added = result.record
          transfer = offered
          fromStranger = !known
        }
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
    for (const record of delivered) this.safeDispatch('status', record)
    if (added != null) this.safeDispatch('message', added)
    if (added != null && fromStranger) await this.requestQuota.added(added, options)
    if (transfer != null) this.safeDispatchEvent('transfer', { detail: transfer })
    return added
  }

  /**
   * A peer's word on a transfer with it: received (our offer is done) or cancelled. Stored with
   * the session's new state; a status for a transfer we do not have with that peer changes
   * nothing but the session.
   */
  private async takeFileStatus (peer: string, status: FileStatus, sessionWrites: WriteOp[], options: AbortOptions): Promise<TransferRecord | undefined> {
    const transfer = status.id.byteLength === 16 ? await this.files.get(toHex(status.id, 'base16'), options) : undefined
    const updated = transfer?.peer === peer ? afterPeerStatus(transfer, status.state) : undefined
    if (updated == null) {
      // marks nothing delivered: commits the session's new state alone
      await this.messages.markDelivered(peer, [], { ...options, also: sessionWrites })
      return undefined
    }
    await this.files.put(updated, { ...options, also: sessionWrites })
    return updated
  }

  /**
   * Takes what the mailbox storers held for this node: first reads every envelope without
   * taking it, to learn the order it was written in, then takes them in that order, so several
   * storers' copies and sessions started offline come out once and in conversation order. Each
   * sender then gets a receipt for what arrived. Returns the hashes the storers may delete.
   */
  private async fromMailbox (items: FetchedEnvelope[], options: AbortOptions): Promise<Uint8Array[]> {
    const done: Uint8Array[] = []
    const readable: Array<{ item: FetchedEnvelope, content: Content }> = []
    for (const item of items) {
      try {
        await this.cipher.decrypt(item.envelope, async opened => { throw new Peeked(opened.content) }, options)
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
        await this.queueControl(peer, { kind: 'receipt', delivers: ids.slice(i, i + MAX_RECEIPT_IDS) })
      }
    }
    return done
  }

  /**
   * An end-to-end receipt or file status goes through the outbox like a message, so it is never
   * lost; it is not history
   */
  private async queueControl (peer: string, fields: Pick<MessageRecord, 'kind' | 'delivers' | 'fileStatus'>): Promise<void> {
    await this.messages.addOutgoing({
      id: toHex(crypto.getRandomValues(new Uint8Array(MESSAGE_ID_BYTES)), 'base16'),
      peer,
      direction: 'out',
      ...fields,
      text: '',
      timestamp: Date.now(),
      status: 'sending'
    })
    this.waiting.add(peer)
    this.flushSoon(peer)
  }

  private async collect (): Promise<CollectResult> {
    const current = this.collecting
    if (current != null) {
      current.again = true
      return current.run
    }
    const entry = { run: Promise.resolve({ storers: 0, fetched: 0, acked: 0 }), again: true }
    entry.run = (async () => {
      let last: CollectResult = { storers: 0, fetched: 0, acked: 0 }
      try {
        await this.dhtReady(AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(LOOKUP_TIMEOUT_MS)]))
        while (entry.again && this.running) {
          entry.again = false
          last = await this.node.services.mailbox.collect({ signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(LOOKUP_TIMEOUT_MS * 6)]) })
        }
        return last
      } finally {
        this.collecting = undefined
      }
    })()
    this.collecting = entry
    return entry.run
  }

  private collectSoon (): void {
    this.collect().catch(err => { this.log('checking the mailboxes failed - %s', err.message) })
  }

  /**
   * A storer that says it holds mail is asked at once, even if the DHT does not list it and
   * while a full collection is still looking the hosts up
   */
  private onNotice (evt: CustomEvent<PeerId>): void {
    const storer = evt.detail
    const key = storer.toString()
    if (!this.running || this.noticed.has(key)) return
    const run = this.node.services.mailbox.collect({ storers: [storer], lookup: false, signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(LOOKUP_TIMEOUT_MS * 6)]) })
      .catch(err => { this.log('fetching from %p after its notice failed - %s', storer, err.message) })
      .finally(() => { this.noticed.delete(key) })
    this.noticed.set(key, run)
  }


  private onIdentify (evt: CustomEvent<IdentifyResult>): void {
    const peer = evt.detail.peerId.toString()
    if (!this.waiting.has(peer)) return
    // the peer is back: retry now rather than at the end of its backoff
    clearTimeout(this.retries.get(peer)?.timer)
    this.retries.delete(peer)
    this.flushSoon(peer)
  }

  /**
   * Delivers a peer's outbox in order, one flush per peer at a time; a call while one runs makes
   * it go round again, so a message added meanwhile is not left behind. Resolves once the outbox
   * is empty or the peer proved unreachable.
   */
  private async flush (peer: string): Promise<void> {
    const current = this.flushing.get(peer)
    if (current != null) {
      current.again = true
      return current.run
    }
    const entry = { run: Promise.resolve(), again: true }
    entry.run = (async () => {
      try {
        while (entry.again && this.running) {
          entry.again = false
          await this.deliverOutbox(peer)
        }
      } finally {
        this.flushing.delete(peer)
      }
    })()
    this.flushing.set(peer, entry)
    return entry.run
  }

  private flushSoon (peer: string): void {
    this.flush(peer).catch(err => { this.log.error('flushing the outbox for %s failed - %e', peer, err) })
  }

  /**
   * Sends a peer's outbox in order, directly while the peer answers; once it does not, the rest
   * go to its mailbox storers. Retries on backoff until every message is delivered or held by
   * the mailbox's replica target of storers; after that only the peer's return (or its receipt)
   * moves them on.
   */
  private async deliverOutbox (peer: string): Promise<void> {
    const peerId = parsePeerArgument(peer)
    const pending = await this.messages.outbox(peer)
    if (pending.length === 0) {
      this.waiting.delete(peer)
      return
    }
    this.waiting.add(peer)
    await this.locate(peerId)
    let unreachable: string | undefined
    let fullyStored = true
    let renewed = false
    const round: DeliveryRound = { relocated: false, tried: await this.addressesOf(peerId) }
    for (const [i, message] of pending.entries()) {
      if (unreachable == null) {
        try {
          try {
            await this.sendFinding(peerId, message, round)
          } catch (err: any) {
            // once per round: a message the new session does not carry either fails
            if (err.name !== MessageRejectedError.name || err.newSession !== true || renewed) throw err
            renewed = true
            this.log('%s cannot open our session (%s): starting a new one', peer, err.message)
            await this.renewSession(peerId, pending.slice(i))
            await this.sendDirect(peerId, message)
          }
          this.retries.delete(peer)
          await this.updateStatus(message, 'delivered')
          continue
        } catch (err: any) {
          if (PERMANENT_SEND_ERRORS.has(err.name)) {
            await this.updateStatus(message, 'failed', err.message)
            continue
          }
          unreachable = err.message
        }
      }
      fullyStored = await this.deposit(peerId, message) && fullyStored
    }
    if (unreachable == null) {
      if ((await this.messages.outbox(peer)).length === 0) this.waiting.delete(peer)
      return
    }
    this.log('%s unreachable (%s): its messages wait in the outbox and its mailbox', peer, unreachable)
    if (fullyStored) {
      clearTimeout(this.retries.get(peer)?.timer)
      this.retries.delete(peer)
    } else {
      this.scheduleRetry(peer)
    }
  }

  /**
   * Leaves a message with the recipient's mailbox storers, topping up to the replica target.
   * Resolves true once it has them all.
   */
  private async deposit (peer: PeerId, message: MessageRecord): Promise<boolean> {
    const holders = message.holders ?? []
    const target = this.node.services.mailbox.replicaTarget
    if (holders.length >= target) return true
    try {
      const envelope = await this.envelopeFor(peer, message, fromHex(message.id, 'base16'))
      // a stranger's mailbox refuses what is not stamped: until the peer writes back, stamp it
      const stamped = message.kind == null && !await this.messages.hasIncoming(message.peer)
      const result = await this.node.services.mailbox.deposit(peer, envelope, {
        holders,
        ...(stamped ? { stampBits: this.stampBits } : {}),
        signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(LOOKUP_TIMEOUT_MS * 3)])
      })
      if (result.receipts.length > 0) {
        const updated = await this.messages.setHolders(message.peer, message.id, [...holders, ...result.receipts.map(r => r.storer.toString())])
        if (updated != null) {
          if (updated.kind == null) this.safeDispatch('status', updated)
          return (updated.holders?.length ?? 0) >= target
        }
      }
    } catch (err: any) {
      this.log('leaving a message for %p in its mailbox failed - %s', peer, err.message)
    }
    if (holders.length === 0 && message.status !== 'queued') await this.updateStatus(message, 'queued')
    return false
  }

  /**
   * Looks a peer up in the DHT when there is neither a connection nor a known address. Dialling
   * by bare PeerId would do this lookup too, but inside the dial queue, where right after start
   * it can wait on the DHT's first self-query, which in turn waits on that same dial (kad-dht
   * breaks the cycle only by a 5 s timeout). A failed lookup is left to the send to report.
   */
  private async locate (peer: PeerId): Promise<void> {
    if (this.node.getConnections(peer).length > 0) return
    const known = await this.node.peerStore.get(peer).then(p => p.addresses.length > 0, () => false)
    if (known) return
    const signal = AbortSignal.timeout(LOOKUP_TIMEOUT_MS)
    await this.dhtReady(signal)
    await this.node.peerRouting.findPeer(peer, { signal }).catch((err: any) => {
      this.log('looking up %p failed - %s', peer, err.message)
    })
  }

  /**
   * `sendDirect`, and once per round, when it fails for want of a way to the peer, once more
   * after looking the peer up again (`relocate`): every address we had may be old
   */
  private async sendFinding (peer: PeerId, message: MessageRecord, round: DeliveryRound): Promise<void> {
    try {
      await this.sendDirect(peer, message)
    } catch (err: any) {
      if (round.relocated || PERMANENT_SEND_ERRORS.has(err.name)) throw err
      round.relocated = true
      if (!await this.relocate(peer, round.tried)) throw err
      await this.sendDirect(peer, message)
    }
  }

  /**
   * Looks a peer up in the DHT, past the peer store, when a send to it failed with no connection
   * open: a user's TCP port is new at each start, so a contact back online listens where we
   * have never been told, and dialling only the addresses we had failed while the DHT knew the
   * new one (the message went to the mailbox with the peer online). Resolves true when the peer
   * now has an address beyond those `tried` (found by the lookup, or learnt meanwhile); at most
   * once a minute per peer.
   */
  private async relocate (peer: PeerId, tried: Set<string>): Promise<boolean> {
    if (this.node.getConnections(peer).length > 0) return false
    const key = peer.toString()
    const last = this.relocated.get(key)
    if (last != null && Date.now() - last < RELOCATE_INTERVAL_MS) return false
    this.relocated.set(key, Date.now())
    const signal = AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(LOOKUP_TIMEOUT_MS)])
    const found = await this.node.peerRouting.findPeer(peer, { signal, useCache: false }).catch((err: any) => {
      this.log('looking %p up again failed - %s', peer, err.message)
      return undefined
    })
    const now = [...found?.multiaddrs.map(String) ?? [], ...await this.addressesOf(peer)]
    const moved = now.some(ma => !tried.has(ma))
    if (moved) this.log('%p is at a new address: trying it', peer)
    return moved
  }

  /** The addresses the peer store has for `peer` */
  private async addressesOf (peer: PeerId): Promise<Set<string>> {
    const known = await this.node.peerStore.get(peer).catch(() => undefined)
    return new Set(known?.addresses.map(a => a.multiaddr.toString()))
  }

  /**
   * Resolves once the DHT routing table has a peer: just after start it is empty until the
   * bootstrap connection is identified, and a lookup then fails at once instead of waiting.
   */
  private async dhtReady (signal: AbortSignal): Promise<void> {
    // kad-dht's routing table is an event target, though its public type shows only `size`
    const table = (this.node.services.dht as unknown as { routingTable: Partial<EventTarget> & { size: number } }).routingTable
    if (table.size > 0 || table.addEventListener == null) return
    await new Promise<void>(resolve => {
      const done = (): void => {
        table.removeEventListener?.('peer:add', done)
        signal.removeEventListener('abort', done)
        resolve()
      }
      table.addEventListener?.('peer:add', done)
      signal.addEventListener('abort', done)
    })
  }

  /**
   * The message's envelope: encrypted once (the session's new state stored with it, before it
   * leaves), then the same bytes on every retry, so a retry is recognised as a repeat.
   */
  private async sendDirect (peer: PeerId, message: MessageRecord): Promise<void> {
    const id = fromHex(message.id, 'base16')
    await this.node.services.chat.send(peer, { id, envelope: await this.envelopeFor(peer, message, id) })
  }

  private async envelopeFor (peer: PeerId, message: MessageRecord, id: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
    const stored = await this.messages.envelope(message.peer, message.id)
    if (stored != null) return stored as Uint8Array<ArrayBuffer>
    return this.seal(peer, message, id)
  }

  /** Encrypts `message` (kept as its envelope for retries, with the session's new state) */
  private async seal (peer: PeerId, message: MessageRecord, id: Uint8Array<ArrayBuffer>, options: EncryptOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    const content = await this.contentOf(message, id)
    const envelope = await this.cipher.encrypt(peer, content, async sealed => {
      await this.messages.setEnvelope(message.peer, message.id, sealed.envelope, {
        also: [this.keys.sessionWrite(message.peer, sealed.sessionRecord)]
      })
    }, options)
    return envelope as Uint8Array<ArrayBuffer>
  }

  /**
   * The peer cannot open what our session seals: starts a new session (with a freshly fetched
   * bundle) and seals `pending` in it again, in order, replacing the envelopes kept for them;
   * the same messages, so the peer stores each once whichever copy it opens
   */
  private async renewSession (peer: PeerId, pending: MessageRecord[]): Promise<void> {
    for (const [i, message] of pending.entries()) {
      await this.seal(peer, message, fromHex(message.id, 'base16'), { newSession: i === 0 })
    }
  }

  private async contentOf (message: MessageRecord, id: Uint8Array<ArrayBuffer>): Promise<Content> {
    const timestamp = BigInt(message.timestamp)
    if (message.kind === 'receipt') {
      return { id, timestamp, delivers: (message.delivers ?? []).map(d => fromHex(d, 'base16')) }
    }
    if (message.kind === 'file-status' && message.fileStatus != null) {
      const state = message.fileStatus.state === 'received' ? FileStatus.State.RECEIVED : FileStatus.State.CANCELLED
      return { id, timestamp, delivers: [], fileStatus: { id: fromHex(message.fileStatus.id, 'base16'), state } }
    }
    if (message.file != null) {
      const transfer = await this.files.get(message.file.id)
      if (transfer == null) throw new Error(`the transfer of file ${message.file.id} is missing`)
      return { id, timestamp, text: message.text, delivers: [], file: offerOf(transfer) }
    }
    return { id, timestamp, text: message.text, delivers: [] }
  }

  private async updateStatus (message: MessageRecord, status: MessageRecord['status'], error?: string): Promise<void> {
    const updated = await this.messages.setStatus(message.peer, message.id, status, error)
    if (updated != null && updated.kind == null) this.safeDispatch('status', updated)
  }

  private scheduleRetry (peer: string): void {
    if (!this.running) return
    const state = this.retries.get(peer) ?? { attempts: 0 }
    clearTimeout(state.timer)
    const backoff = Math.min(this.retryBaseMs * 2 ** state.attempts, this.retryMaxMs)
    const delay = backoff / 2 + Math.random() * backoff / 2
    state.attempts++
    state.timer = setTimeout(() => { this.flushSoon(peer) }, delay)
    state.timer.unref?.()
    this.retries.set(peer, state)
  }

  /**
   * Reaches out to contacts and to peers with undelivered messages, so that those which have
   * messages for this node learn it is back (their `peer:identify` triggers their retry).
   */
  private greetPeers (): void {
    void (async () => {
      const peers = new Set((await this.contactStore.list()).map(c => c.peerId))
      for (const message of await this.messages.outbox()) peers.add(message.peer)
      await Promise.allSettled([...peers].slice(0, MAX_PEERS_GREETED_ON_START).map(async peer => {
        if (!this.running) return
        await this.node.dial(parsePeerArgument(peer))
      }))
    })().catch(err => { this.log('greeting peers failed - %e', err) })
  }

  /** A listener that throws must not break delivery */
  private safeDispatch (type: keyof MessengerEvents, record: MessageRecord): void {
    try {
      this.safeDispatchEvent(type, { detail: record })
    } catch (err) {
      this.log.error('a %s listener threw - %e', type, err)
    }
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
