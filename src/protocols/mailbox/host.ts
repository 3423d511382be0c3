import { peerIdFromMultihash } from '@libp2p/peer-id'
import { pbStream } from '@libp2p/utils'
import { anySignal } from 'any-signal'
import * as Digest from 'multiformats/hashes/digest'
import { toString as toHex } from 'uint8arrays/to-string'
import { MAX_ENVELOPE_BYTES } from '../chat/constants.ts'
import {
  CHALLENGE_BYTES, KEY_BYTES, MAX_BYTES_PER_DEPOSITOR, MAX_BYTES_PER_KEY, MAX_EPOCHS_PER_FETCH, MAX_HASHES_PER_MESSAGE, MAX_REQUEST_BYTES,
  MAX_INBOUND_STREAMS, MAX_ITEMS_PER_KEY, MAX_OUTBOUND_STREAMS, MAX_PAGES_PER_FETCH, MAX_WATCHES, MAX_WATCHES_PER_KEY, NOTICE_INTERVAL_MS,
  NOTICE_PROTOCOL, PROTOCOL, RELAY_BUDGET_BYTES, TTL_MS, WATCH_MAX_MS
} from './constants.ts'
import { InvalidFetchProofError, InvalidMailboxRequestError, InvalidStampError, TooManyWatchesError } from './errors.ts'
import { FetchPages } from './fetch-pages.ts'
import { mailboxKey, recentEpochs } from './keys.ts'
import { MIN_ENVELOPE_BYTES } from './min-envelope.ts'
import { FetchAck, FetchChallenge, FetchPage, FetchProof, MailboxNotice, OfferResponse, StoreResponse } from './pb/mailbox.ts'
import { signReceipt, verifyFetchProof } from './proofs.ts'
import { AnyMailboxRequest } from './request-codec.ts'
import { STAMP_BYTES } from './stamp.ts'
import { SourceTags } from './source-tag.ts'
import { MailboxStore } from './store.ts'
import { Watchers } from './watchers.ts'
import { own } from './wire.ts'
import { errorKind } from '../../errors/index.ts'
import { CoalescingRuns } from '../../utils/coalescing-runs.ts'
import { openStreamOnAnyConnection } from '../../node/open-stream.ts'
import { framing } from '../length-prefix.ts'
import type { MailboxComponents, MailboxHostInit } from './index.ts'
import type { FetchRequest, OfferRequest, StoreRequest, StoredEnvelope } from './pb/mailbox.ts'
import type { AbortOptions, Connection, IdentifyResult, Logger, PeerId, Stream } from '@libp2p/interface'
import type { ProtobufStream } from '@libp2p/utils'

export interface HostSettings extends MailboxHostInit {
  fetchWindowMs: number
  requestTimeoutMs: number
  /** Aborted when the node stops */
  signal: AbortSignal
}

/**
 * The storer side of the mailbox protocol: holds envelopes for others in LevelDB, answers
 * store, fetch and watch (each after the owner's proof) and offer requests, and tells a
 * recipient that connects that it has mail.
 */
export class MailboxHost {
  readonly store: MailboxStore
  private readonly components: MailboxComponents
  private readonly init: HostSettings
  private readonly log: Logger
  private readonly noticed = new Map<string, number>()
  private readonly sources = new SourceTags()
  /** A sixteenth of all watches from one network: a NAT's users share it */
  private readonly watchers = new Watchers({ max: MAX_WATCHES, perKey: MAX_WATCHES_PER_KEY, perSource: MAX_WATCHES / 16 })

  constructor (components: MailboxComponents, init: HostSettings) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('parley:mailbox:host')
    this.store = new MailboxStore(init.db, {
      maxBytes: init.budgetBytes ?? RELAY_BUDGET_BYTES,
      maxBytesPerKey: init.maxBytesPerKey ?? MAX_BYTES_PER_KEY,
      maxItemsPerKey: init.maxItemsPerKey ?? MAX_ITEMS_PER_KEY,
      maxBytesPerDepositor: init.maxBytesPerDepositor ?? MAX_BYTES_PER_DEPOSITOR,
      // the store's defaults for these
      stampAfterItemsPerKey: init.stampAfterItemsPerKey,
      stampAfterBytesPerKey: init.stampAfterBytesPerKey,
      maxUnstampedItemsPerDepositorKey: init.maxUnstampedItemsPerDepositorKey,
      maxUnstampedBytesPerDepositorKey: init.maxUnstampedBytesPerDepositorKey,
      stampBits: init.stampBits,
      ttlMs: init.ttlMs ?? TTL_MS,
      ...(init.atRest != null ? { atRest: init.atRest } : {})
    })
    this.onIdentify = this.onIdentify.bind(this)
  }

  /** How many watches it holds (open streams of owners told of each deposit) */
  get watching (): number {
    return this.watchers.count
  }

  async start (): Promise<void> {
    await this.store.open()
    // relays carry mailbox traffic: envelopes are small next to circuit relay v2's limits
    await this.components.registrar.handle(PROTOCOL, this.onStream.bind(this), {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS,
      runOnLimitedConnection: true
    })
    this.components.events.addEventListener('peer:identify', this.onIdentify)
  }

  async stop (): Promise<void> {
    this.components.events.removeEventListener('peer:identify', this.onIdentify)
    await this.components.registrar.unhandle(PROTOCOL)
  }

  async onStream (stream: Stream, connection: Connection): Promise<void> {
    const signal = anySignal([this.init.signal, AbortSignal.timeout(this.init.requestTimeoutMs * 6)])
    try {
      // a host reads requests only (the largest a deposit, or 4,096 hashes): reading up to a
      // page's frame cap let every stream hold 1.2 MiB of a frame that never ended
      const pb = pbStream(stream, framing(MAX_REQUEST_BYTES))
      const request = await pb.read(AnyMailboxRequest, { signal })
      if (request.store != null) {
        await pb.write(await this.answerStore(request.store, this.sources.tagOf(connection.remoteAddr), { signal }), StoreResponse, { signal })
      } else if (request.fetch != null) {
        await this.answerFetch(request.fetch, pb, { signal })
      } else if (request.offer != null) {
        await pb.write(await this.answerOffer(request.offer, { signal }), OfferResponse, { signal })
      } else if (request.watch != null) {
        // held open long past this signal's time: the watch ends the stream itself
        await this.answerWatch(request.watch, pb, stream, connection, { signal })
        return
      } else {
        throw new InvalidMailboxRequestError('the request names no operation')
      }
      await stream.close({ signal })
    } catch (err: any) {
      // who it came from is not logged: a courier, or a recipient reading its PeerId's mailbox
      this.log('a mailbox stream dropped - %s', err.message)
      stream.abort(err)
    } finally {
      signal.clear()
    }
  }

  /** A deposit, charged to `source` (the network it came from, `SourceTags`): the depositor's PeerId is neither kept nor charged */
  private async answerStore (request: StoreRequest, source: string, options: AbortOptions): Promise<StoreResponse> {
    const refuse = (reason: string, stampBits = 0): StoreResponse => ({ status: StoreResponse.Status.REFUSED, reason, expiresAt: 0n, receipt: new Uint8Array(0), stampBits })
    if (request.key.byteLength !== KEY_BYTES) return refuse(`a mailbox key is ${KEY_BYTES} bytes`)
    if (request.stamp != null && request.stamp.byteLength !== STAMP_BYTES) return refuse(`a stamp is ${STAMP_BYTES} bytes`)
    if (request.envelope.byteLength < MIN_ENVELOPE_BYTES || request.envelope.byteLength > MAX_ENVELOPE_BYTES) {
      return refuse(`an envelope is ${MIN_ENVELOPE_BYTES} to ${MAX_ENVELOPE_BYTES} bytes`)
    }
    try {
      const stored = await this.store.put({
        key: request.key,
        envelope: request.envelope,
        ...(request.stamp != null ? { stamp: request.stamp } : {}),
        // a value past 2^53 loses precision but stays later than any TTL, which then applies
        ...(request.expiresAt != null ? { expiresAt: Number(request.expiresAt) } : {}),
        depositor: source
      }, options)
      const receipt = await signReceipt(this.components.privateKey, { key: request.key, hash: stored.hash, expiresAt: stored.expiresAt })
      this.watchers.stored(request.key)
      return { status: StoreResponse.Status.STORED, reason: '', expiresAt: BigInt(stored.expiresAt), receipt: own(receipt), stampBits: 0 }
    } catch (err: any) {
      // the store's policy said no (a quota, a replay, a stamp it demands): the depositor is told
      if (errorKind(err) === 'refused') return refuse(err.message, err instanceof InvalidStampError ? err.bits : 0)
      throw err
    }
  }

  private async answerFetch (request: FetchRequest, pb: ProtobufStream<Stream>, options: AbortOptions & { signal: AbortSignal }): Promise<void> {
    const { signal } = options
    if (!await this.proves(request, pb, options)) {
      await pb.write({ envelopes: [], done: true, refused: new InvalidFetchProofError().message }, FetchPage, { signal })
      return
    }
    const recipient = parseRecipient(request.recipient)
    // past 2^53 is later than anything stored: the same as the largest safe time
    const since = request.since == null ? undefined : Number(request.since > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : request.since)
    const pages = new FetchPages(this.store, request.epochs.map(e => mailboxKey(recipient, e)), since)
    // what is left after the last page waits for the recipient's next collection
    for (let n = 0; n < MAX_PAGES_PER_FETCH; n++) {
      const items = await pages.next(options)
      if (items.length === 0) break
      const page: StoredEnvelope[] = []
      // the store's hashes of what this page carries, by key, to apply the ack without rehashing
      const carried = new Map<Uint8Array, Uint8Array[]>()
      for (const item of items) {
        page.push({ key: own(item.key), envelope: own(item.envelope), ...(item.stamp != null ? { stamp: own(item.stamp) } : {}), storedAt: BigInt(item.storedAt) })
        carried.set(item.key, [...(carried.get(item.key) ?? []), item.hash])
      }
      await pb.write({ envelopes: page, done: false, refused: '' }, FetchPage, { signal })
      const ack = await pb.read(FetchAck, { signal })
      if (ack.hashes.length > MAX_HASHES_PER_MESSAGE) throw new InvalidMailboxRequestError('too many hashes in an ack')
      const acked = new Set(ack.hashes.map(h => toHex(h, 'base16')))
      for (const [key, hashes] of carried) {
        const taken = hashes.filter(h => acked.has(toHex(h, 'base16')))
        if (taken.length > 0) await this.store.ack(key, taken, options)
      }
    }
    await pb.write({ envelopes: [], done: true, refused: '' }, FetchPage, { signal })
  }

  /**
   * Whether the fetch or watch `request` comes from the owner of its keys: its epochs are sound,
   * and it signed a fresh challenge of this storer's with the recipient key it names (a proof
   * bound to this storer and this challenge, so it serves no other request)
   */
  private async proves (request: FetchRequest, pb: ProtobufStream<Stream>, { signal }: AbortOptions): Promise<boolean> {
    const recipient = parseRecipient(request.recipient)
    const epochs = request.epochs
    if (epochs.length === 0 || epochs.length > MAX_EPOCHS_PER_FETCH) {
      throw new InvalidMailboxRequestError(`a fetch names 1 to ${MAX_EPOCHS_PER_FETCH} epochs`)
    }
    // each key is read once per fetch: a repeated epoch would have it read again
    if (new Set(epochs).size !== epochs.length) throw new InvalidMailboxRequestError('a fetch names each epoch once')
    const challenge = crypto.getRandomValues(new Uint8Array(CHALLENGE_BYTES))
    await pb.write({ challenge }, FetchChallenge, { signal })
    const proof = await pb.read(FetchProof, { signal })
    if (await verifyFetchProof(recipient, { storer: this.components.peerId, challenge, epochs }, proof.signature)) return true
    this.log('refused a fetch or watch for %p: the proof does not verify', recipient)
    return false
  }

  /**
   * Holds a watch: after the owner's proof, a notice with what its keys hold now, then one after
   * each deposit under them (coalesced: one write at a time, the last count), until the
   * recipient closes the stream, WATCH_MAX_MS pass, a write fails or the node stops. The storer
   * learns what a fetch shows it (the keys, an unnamed courier's connection), for longer.
   */
  private async answerWatch (request: FetchRequest, pb: ProtobufStream<Stream>, stream: Stream, connection: Connection, options: AbortOptions & { signal: AbortSignal }): Promise<void> {
    const { signal } = options
    if (!await this.proves(request, pb, options)) {
      await pb.write({ count: 0, refused: new InvalidFetchProofError().message }, MailboxNotice, { signal })
      await stream.close({ signal })
      return
    }
    const recipient = parseRecipient(request.recipient)
    const keys = request.epochs.map(e => mailboxKey(recipient, e))
    const ended = Promise.withResolvers<void>()
    const lifetime = anySignal([this.init.signal, AbortSignal.timeout(WATCH_MAX_MS)])
    const notices = new CoalescingRuns<'notice', void>(async () => {
      const count = keys.reduce((sum, key) => sum + this.store.count(key), 0)
      await pb.write({ count, refused: '' }, MailboxNotice, { signal: AbortSignal.any([lifetime, AbortSignal.timeout(this.init.requestTimeoutMs)]) })
    }, () => !lifetime.aborted)
    const poke = (): void => { notices.run('notice').catch(err => { ended.reject(err) }) }
    let end: () => void
    try {
      end = this.watchers.add(keys, this.sources.tagOf(connection.remoteAddr), poke)
    } catch (err: any) {
      if (!(err instanceof TooManyWatchesError)) throw err
      await pb.write({ count: 0, refused: err.message }, MailboxNotice, { signal })
      await stream.close({ signal })
      return
    }
    const finish = (): void => { ended.resolve() }
    lifetime.addEventListener('abort', finish, { once: true })
    stream.addEventListener('remoteCloseWrite', finish, { once: true })
    stream.addEventListener('close', finish, { once: true })
    try {
      poke()
      await ended.promise
      await Promise.allSettled(notices.underWay())
      await stream.close({ signal: AbortSignal.timeout(this.init.requestTimeoutMs) })
    } catch (err: any) {
      this.log('a mailbox watch ended - %s', err.message)
      stream.abort(err)
    } finally {
      end()
      lifetime.clear()
      lifetime.removeEventListener('abort', finish)
    }
  }

  private async answerOffer (request: OfferRequest, _options: AbortOptions): Promise<OfferResponse> {
    if (request.key.byteLength !== KEY_BYTES || request.hashes.length > MAX_HASHES_PER_MESSAGE) {
      throw new InvalidMailboxRequestError('malformed offer')
    }
    return { missing: (await this.store.missing(request.key, request.hashes.filter(h => h.byteLength === KEY_BYTES))).map(own) }
  }

  /** A recipient that connects is told it has mail, so it fetches without waiting for its timer */
  onIdentify (evt: CustomEvent<IdentifyResult>): void {
    const { peerId, protocols } = evt.detail
    if (!protocols.includes(NOTICE_PROTOCOL) || false) return
    const last = this.noticed.get(peerId.toString()) ?? 0
    if (Date.now() - last < NOTICE_INTERVAL_MS) return
    const count = recentEpochs(Date.now(), this.init.fetchWindowMs)
      .reduce((sum, e) => sum + this.store.count(mailboxKey(peerId, e)), 0)
    if (count === 0) return
    this.noticed.set(peerId.toString(), Date.now())
    void this.notify(peerId, count).catch(err => { this.log('could not send a mail notice - %s', err.message) })
  }

  private async notify (peer: PeerId, count: number): Promise<void> {
    const signal = AbortSignal.any([this.init.signal, AbortSignal.timeout(this.init.requestTimeoutMs)])
    const stream = await openStreamOnAnyConnection(this.components.connectionManager, peer, NOTICE_PROTOCOL, { signal })
    try {
      await pbStream(stream).write({ count }, MailboxNotice, { signal })
      await stream.close({ signal })
    } catch (err: any) {
      stream.abort(err)
      throw err
    }
  }
}

function parseRecipient (bytes: Uint8Array): PeerId {
  try {
    const peer = peerIdFromMultihash(Digest.decode(bytes))
    if (peer.type !== 'Ed25519') throw new Error('not an Ed25519 identity')
    return peer
  } catch (err: any) {
    throw new InvalidMailboxRequestError(`the recipient is not a Parley address: ${err.message}`)
  }
}
