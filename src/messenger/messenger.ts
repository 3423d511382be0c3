import { TypedEventEmitter } from 'main-event'
import { equals } from 'uint8arrays/equals'
import { toString as toHex } from 'uint8arrays/to-string'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { safetyNumber } from '../crypto/safety-number.ts'
import { InvalidPeerError } from '../identity/errors.ts'
import { parsePeerArgument } from '../identity/invite.ts'
import { MAX_TEXT_BYTES, MESSAGE_ID_BYTES, MessageRefusedError } from '../protocols/chat/index.ts'
import { LOOKUP_TIMEOUT_MS, MAX_PEERS_GREETED_ON_START, RETRY_BASE_MS, RETRY_MAX_MS } from './constants.ts'
import { InvalidMessageTextError, SelfMessageError } from './errors.ts'
import type { ParleyNode } from '../node/create-node.ts'
import type { IncomingChatMessage } from '../protocols/chat/index.ts'
import type { SessionCipher } from '../crypto/session/session-cipher.ts'
import type { Contact, ContactStore, KeyStore, ListMessagesOptions, MessageRecord, MessageStore } from '../storage/types.ts'
import type { AbortOptions, IdentifyResult, Logger, PeerId, Startable } from '@libp2p/interface'

export interface MessengerEvents {
  /** A new message arrived (repeats of a stored message are not announced again) */
  message: CustomEvent<MessageRecord>
  /** An outgoing message was created or changed status */
  status: CustomEvent<MessageRecord>
}

export interface MessengerInit {
  /** @default RETRY_BASE_MS */
  retryBaseMs?: number
  /** @default RETRY_MAX_MS */
  retryMaxMs?: number
}

export interface MessengerComponents {
  node: ParleyNode
  messages: MessageStore
  contacts: ContactStore
  keys: KeyStore
  cipher: SessionCipher
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
  'InvalidEnvelopeError', 'InvalidMessageError', 'InvalidSessionMessageError', 'InvalidSessionError',
  'UnknownPrekeyError', 'InvalidInitialMessageError', 'TooManySkippedMessagesError', 'InvalidPaddingError'
])

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
  private readonly cipher: SessionCipher
  private readonly log: Logger
  private readonly retryBaseMs: number
  private readonly retryMaxMs: number
  private readonly flushing = new Map<string, { run: Promise<void>, again: boolean }>()
  private readonly retries = new Map<string, RetryState>()
  private running = false

  constructor (components: MessengerComponents, init: MessengerInit = {}) {
    super()
    this.node = components.node
    this.messages = components.messages
    this.contactStore = components.contacts
    this.keys = components.keys
    this.cipher = components.cipher
    this.log = components.node.logger.forComponent('parley:messenger')
    this.retryBaseMs = init.retryBaseMs ?? RETRY_BASE_MS
    this.retryMaxMs = init.retryMaxMs ?? RETRY_MAX_MS
    this.onIdentify = this.onIdentify.bind(this)
  }

  get peerId (): PeerId {
    return this.node.peerId
  }

  async start (): Promise<void> {
    this.running = true
    this.node.services.chat.setHandler(this.receive.bind(this))
    this.node.addEventListener('peer:identify', this.onIdentify)
    for (const message of await this.messages.outbox()) {
      this.flushSoon(message.peer)
    }
    this.greetPeers()
  }

  async stop (): Promise<void> {
    this.running = false
    this.node.removeEventListener('peer:identify', this.onIdentify)
    for (const state of this.retries.values()) {
      clearTimeout(state.timer)
    }
    this.retries.clear()
    await Promise.allSettled([...this.flushing.values()].map(f => f.run))
  }

  /**
   * Sends a text message. Resolves after the first delivery attempt with the message as stored:
   * `delivered`, `queued` (it stays in the outbox and is retried) or `failed` (refused).
   * `peer` is a PeerId, an invite (`parley://...`) or a contact's name.
   */
  async send (peer: PeerId | string, text: string, options: AbortOptions = {}): Promise<MessageRecord> {
    const to = typeof peer === 'string' ? await this.resolvePeer(peer, options) : peer
    if (to.equals(this.node.peerId)) {
      throw new SelfMessageError()
    }
    checkText(text)
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
    return contact
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

  /**
   * Decrypts and stores an incoming message; the session's new state, and a one-time prekey it
   * used up, go in the same write as the message. A repeat is acked without being stored again;
   * what cannot be decrypted is refused, so the sender's user sees why.
   */
  private async receive (message: IncomingChatMessage, options: AbortOptions): Promise<void> {
    let added: MessageRecord | undefined
    try {
      await this.cipher.decrypt(message.envelope, async opened => {
        const { content, sender } = opened
        if (!equals(content.id, message.id)) {
          throw new MessageRefusedError('the message id does not match the encrypted one')
        }
        const text = content.text ?? ''
        if (text === '' || textEncoder.encode(text).byteLength > MAX_TEXT_BYTES) {
          throw new MessageRefusedError('the message text is empty or too long')
        }
        const result = await this.messages.addIncoming({
          id: toHex(content.id, 'base16'),
          peer: sender.toString(),
          direction: 'in',
          text,
          timestamp: Number(content.timestamp),
          status: 'delivered'
        }, {
          ...options,
          also: [
            this.keys.sessionWrite(sender.toString(), opened.sessionRecord),
            ...(opened.usedOneTimePrekeyId != null ? [this.keys.prekeyDelete('one-time', opened.usedOneTimePrekeyId)] : [])
          ]
        })
        if (result.added) added = result.record
      }, options)
    } catch (err: any) {
      if (err.name === 'DuplicateMessageError') {
        return // stored before; the sender missed our ack
      }
      if (UNDECRYPTABLE.has(err.name)) {
        this.log('refused a message from %p - %s', message.from, err.message)
        throw new MessageRefusedError(`the recipient cannot decrypt it: ${err.message}`)
      }
      throw err
    }
    if (added != null) {
      this.safeDispatch('message', added)
    }
  }

  private onIdentify (evt: CustomEvent<IdentifyResult>): void {
    const peer = evt.detail.peerId.toString()
    const state = this.retries.get(peer)
    if (state != null) {
      // the peer is back: retry now rather than at the end of its backoff
      clearTimeout(state.timer)
      this.retries.delete(peer)
      this.flushSoon(peer)
    }
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

  private async deliverOutbox (peer: string): Promise<void> {
    const peerId = parsePeerArgument(peer)
    const pending = await this.messages.outbox(peer)
    if (pending.length > 0) {
      await this.locate(peerId)
    }
    for (let i = 0; i < pending.length; i++) {
      const message = pending[i]
      try {
        const id = fromHex(message.id, 'base16')
        const envelope = await this.envelopeFor(peerId, message, id)
        await this.node.services.chat.send(peerId, { id, envelope })
        this.retries.delete(peer)
        await this.updateStatus(message, 'delivered')
      } catch (err: any) {
        if (PERMANENT_SEND_ERRORS.has(err.name)) {
          await this.updateStatus(message, 'failed', err.message)
          continue
        }
        this.log('%s unreachable, %d message(s) stay queued - %s', peer, pending.length - i, err.message)
        for (const waiting of pending.slice(i)) {
          if (waiting.status !== 'queued') await this.updateStatus(waiting, 'queued')
        }
        this.scheduleRetry(peer)
        return
      }
    }
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
  private async envelopeFor (peer: PeerId, message: MessageRecord, id: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
    const stored = await this.messages.envelope(message.peer, message.id)
    if (stored != null) return stored as Uint8Array<ArrayBuffer>
    const envelope = await this.cipher.encrypt(peer, { id, timestamp: BigInt(message.timestamp), text: message.text }, async sealed => {
      await this.messages.setEnvelope(message.peer, message.id, sealed.envelope, {
        also: [this.keys.sessionWrite(message.peer, sealed.sessionRecord)]
      })
    })
    return envelope as Uint8Array<ArrayBuffer>
  }

  private async updateStatus (message: MessageRecord, status: MessageRecord['status'], error?: string): Promise<void> {
    const updated = await this.messages.setStatus(message.peer, message.id, status, error)
    if (updated != null) this.safeDispatch('status', updated)
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
