import { toString as toHex } from 'uint8arrays/to-string'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { parsePeerArgument } from '../identity/invite.ts'
import { MESSAGE_ID_BYTES, MessageRejectedError } from '../protocols/chat/index.ts'
import { STAMP_BITS } from '../protocols/mailbox/index.ts'
import { CoalescingRuns } from '../utils/coalescing-runs.ts'
import { RetrySchedule } from '../utils/retry-schedule.ts'
import { DEPOSIT_TIMEOUT_MS, RETRY_BASE_MS, RETRY_MAX_MS, STOP_GRACE_MS } from './constants.ts'
import { failsForGood } from './delivery.ts'
import { encodeContent } from './content.ts'
import type { Delivery } from './delivery.ts'
import type { Emit } from './events.ts'
import type { Content } from './content.ts'
import type { ContentHandlers } from './content-handlers.ts'
import type { MailboxAddresses } from './mailbox-addresses.ts'
import type { EncryptOptions, SessionCipher } from '../crypto/session/session-cipher.ts'
import type { KeyStore, MessageRecord, MessageStore } from '../storage/types.ts'
import type { Logger, PeerId } from '@libp2p/interface'

export interface OutboxInit {
  /** @default RETRY_BASE_MS */
  retryBaseMs?: number
  /** @default RETRY_MAX_MS */
  retryMaxMs?: number
  /** Proof-of-work difficulty of a stamp on a message for a peer that never wrote back. @default STAMP_BITS */
  stampBits?: number
}

export interface OutboxComponents {
  delivery: Delivery
  messages: MessageStore
  keys: KeyStore
  cipher: SessionCipher
  /** What each kind of record carries */
  handlers: ContentHandlers
  /** This node's mailbox identities, announced to peers, and theirs, which their mail goes under (none: the PeerId's mailbox) */
  addresses?: MailboxAddresses
  emit: Emit
  log: Logger
}

/**
 * What a control record (not history) carries: a receipt, a transfer's status, a reaction, an
 * edit (its new `text`), a deletion, a read receipt, typing
 */
export type ControlFields = Pick<MessageRecord, 'kind' | 'delivers' | 'fileStatus' | 'reads' | 'target' | 'emoji' | 'typing' | 'payload' | 'ephemeral'> & { text?: string }

/**
 * Every outgoing message, until it is delivered or fails. A peer's messages go in order:
 * directly while the peer answers; once it does not, the rest go to its mailbox storers. A peer
 * not yet held by enough storers is retried on backoff; every peer with undelivered messages is
 * retried at once when it connects. A message is encrypted once and its envelope kept, so every
 * retry sends the same bytes and the recipient recognises a repeat.
 */
export class Outbox {
  private readonly delivery: Delivery
  private readonly messages: MessageStore
  private readonly keys: KeyStore
  private readonly cipher: SessionCipher
  private readonly handlers: ContentHandlers
  private readonly addresses?: MailboxAddresses
  private readonly emit: Emit
  private readonly log: Logger
  private readonly stampBits: number
  private readonly flushes: CoalescingRuns<string, void>
  private readonly retries: RetrySchedule<string>
  /** Peers with undelivered messages: their connecting triggers a flush */
  private readonly waiting = new Set<string>()
  private readonly shutdown = new AbortController()
  private running = false

  constructor (components: OutboxComponents, init: OutboxInit = {}) {
    this.delivery = components.delivery
    this.messages = components.messages
    this.keys = components.keys
    this.cipher = components.cipher
    this.handlers = components.handlers
    this.addresses = components.addresses
    this.emit = components.emit
    this.log = components.log
    this.stampBits = init.stampBits ?? STAMP_BITS
    this.flushes = new CoalescingRuns(async peer => this.deliver(peer), () => this.running)
    this.retries = new RetrySchedule({ baseMs: init.retryBaseMs ?? RETRY_BASE_MS, maxMs: init.retryMaxMs ?? RETRY_MAX_MS }, peer => { this.flushSoon(peer) })
  }

  /** Flushes what a previous run left, and reaches out to contacts so theirs flush to us */
  async start (contacts: string[]): Promise<void> {
    this.running = true
    const peers = new Set(contacts)
    for (const message of await this.messages.outbox()) {
      this.waiting.add(message.peer)
      peers.add(message.peer)
      this.flushSoon(message.peer)
    }
    this.delivery.greet([...peers]).catch(err => { this.log('greeting peers failed - %e', err) })
  }

  /**
   * What is being handed over (say, the receipt for mail just fetched) gets a moment to land;
   * what does not stays in the outbox for the next start
   */
  async stop (): Promise<void> {
    this.running = false
    this.retries.clear()
    const flushes = Promise.allSettled(this.flushes.underWay())
    let grace: ReturnType<typeof setTimeout> | undefined
    await Promise.race([flushes, new Promise(resolve => { grace = setTimeout(resolve, STOP_GRACE_MS) })])
    clearTimeout(grace)
    this.shutdown.abort()
    await flushes
  }

  /**
   * Delivers a peer's outbox in order, one flush per peer at a time; a call while one runs makes
   * it go round again, so a message added meanwhile is not left behind. Resolves once the outbox
   * is empty or the peer proved unreachable.
   */
  async flush (peer: string): Promise<void> {
    await this.flushes.run(peer)
  }

  /** A peer connected: if it has messages waiting, they go now rather than at the end of a backoff */
  peerIsBack (peer: string): void {
    if (!this.waiting.has(peer)) return
    this.retries.reset(peer)
    this.flushSoon(peer)
  }

  /**
   * An end-to-end receipt or file status goes through the outbox like a message, so it is never
   * lost; it is not history
   */
  async enqueueControl (peer: string, fields: ControlFields): Promise<void> {
    await this.messages.addOutgoing({
      id: toHex(crypto.getRandomValues(new Uint8Array(MESSAGE_ID_BYTES)), 'base16'),
      peer,
      direction: 'out',
      ...fields,
      text: fields.text ?? '',
      timestamp: Date.now(),
      status: 'sending'
    })
    this.waiting.add(peer)
    this.flushSoon(peer)
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
  private async deliver (peer: string): Promise<void> {
    const peerId = parsePeerArgument(peer)
    const pending = await this.messages.outbox(peer)
    if (pending.length === 0) {
      this.waiting.delete(peer)
      return
    }
    this.waiting.add(peer)
    const round = await this.delivery.begin(peerId)
    let unreachable: string | undefined
    let fullyStored = true
    let renewed = false
    for (const [i, message] of pending.entries()) {
      if (unreachable == null) {
        try {
          try {
            await this.delivery.send(round, await this.sealed(peerId, message))
          } catch (err: any) {
            // once per round: a message the new session does not carry either fails
            if (err.name !== MessageRejectedError.name || err.newSession !== true || renewed) throw err
            renewed = true
            this.log('%s cannot open our session (%s): starting a new one', peer, err.message)
            await this.renewSession(peerId, pending.slice(i))
            // the peer answered: no need to look for it again
            await this.delivery.send({ ...round, relocated: true }, await this.sealed(peerId, message))
          }
          this.retries.reset(peer)
          // typing and a call's negotiation are for the moment: nothing of them is kept once arrived
          if (forTheMoment(message)) await this.messages.erase([message])
          else await this.updateStatus(message, 'delivered')
          continue
        } catch (err: any) {
          if (failsForGood(err)) {
            await this.updateStatus(message, 'failed', err.message)
            continue
          }
          unreachable = err.message
        }
      }
      if (forTheMoment(message)) {
        // never left in a mailbox: stale by the time the peer is back
        await this.messages.erase([message])
        continue
      }
      fullyStored = await this.deposit(peerId, message) && fullyStored
    }
    if (unreachable == null) {
      if ((await this.messages.outbox(peer)).length === 0) this.waiting.delete(peer)
      return
    }
    this.log('%s unreachable (%s): its messages wait in the outbox and its mailbox', peer, unreachable)
    if (fullyStored) {
      this.retries.reset(peer)
    } else if (this.running) {
      this.retries.schedule(peer)
    }
  }

  /**
   * Leaves a message with the recipient's mailbox storers, topping up to the replica target.
   * Resolves true once it has them all.
   */
  private async deposit (peer: PeerId, message: MessageRecord): Promise<boolean> {
    const holders = message.holders ?? []
    const target = this.delivery.replicaTarget
    if (holders.length >= target) return true
    try {
      const { envelope } = await this.sealed(peer, message)
      // a stranger's mailbox refuses what is not stamped: until the peer writes back, stamp it
      const stamped = message.kind == null && !await this.messages.hasIncoming(message.peer)
      // under the mailbox identity the peer announced for now, else in its PeerId's mailbox
      const address = await this.addresses?.addressOf(message.peer)
      const result = await this.delivery.deposit(peer, envelope, {
        holders,
        ...(address != null ? { address } : {}),
        ...(stamped ? { stampBits: this.stampBits } : {}),
        // a disappearing message is not held past its time
        ...(message.expiresAt != null ? { expiresAt: message.expiresAt } : {}),
        signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(DEPOSIT_TIMEOUT_MS)])
      })
      if (result.receipts.length > 0) {
        const updated = await this.messages.setHolders(message.conversation, message.id, [...holders, ...result.receipts.map(r => r.storer.toString())])
        if (updated != null) {
          if (updated.kind == null) this.emit('status', updated)
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
   * The message's envelope: encrypted once (the session's new state stored with it, before it
   * leaves), then the same bytes on every retry, so a retry is recognised as a repeat.
   */
  private async sealed (peer: PeerId, message: MessageRecord): Promise<{ id: Uint8Array<ArrayBuffer>, envelope: Uint8Array<ArrayBuffer> }> {
    const id = fromHex(message.id, 'base16')
    const stored = await this.messages.envelope(message.conversation, message.id)
    return { id, envelope: stored != null ? stored as Uint8Array<ArrayBuffer> : await this.seal(peer, message, id) }
  }

  /** Encrypts `message` (kept as its envelope for retries, with the session's new state) */
  private async seal (peer: PeerId, message: MessageRecord, id: Uint8Array<ArrayBuffer>, options: EncryptOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    const content = await this.contentOf(message, id)
    // this node's mailbox identities ride along once per window (never on what may be dropped
    // undelivered: typing, a call's negotiation); an announcement alone always carries them
    const announcement = forTheMoment(message) ? undefined : await this.addresses?.announcementFor(message.peer, { always: message.kind === 'mailbox' })
    if (announcement != null) content.mailbox = announcement.mailbox
    const envelope = await this.cipher.encrypt(peer, encodeContent(content), async sealed => {
      await this.messages.setEnvelope(message.conversation, message.id, sealed.envelope, {
        also: [this.keys.sessionWrite(message.peer, sealed.sessionRecord)]
      })
    }, options)
    // kept with its envelope: every retry, and a deposit, carries them until it is delivered
    if (announcement != null) await this.addresses?.announced(message.peer, announcement.through)
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
    return { id, timestamp: BigInt(message.timestamp), delivers: [], ...await this.handlers.fieldsOf(message) }
  }

  private async updateStatus (message: MessageRecord, status: MessageRecord['status'], error?: string): Promise<void> {
    const updated = await this.messages.setStatus(message.conversation, message.id, status, error)
    if (updated != null && updated.kind == null) this.emit('status', updated)
  }
}

/** Whether a record is sent only while the peer answers, and erased once it arrived: typing, a call's negotiation */
function forTheMoment (message: MessageRecord): boolean {
  return message.kind === 'typing' || message.ephemeral === true
}
