import { serviceCapabilities, setMaxListeners } from '@libp2p/interface'
import { peerIdFromMultihash } from '@libp2p/peer-id'
import { pbStream } from '@libp2p/utils'
import { TypedEventEmitter } from 'main-event'
import * as Digest from 'multiformats/hashes/digest'
import { anySignal } from 'any-signal'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { MAX_ENVELOPE_BYTES } from '../chat/constants.ts'
import { closestFirst } from './distance.ts'
import {
  FETCH_WINDOW_MS, MAX_BYTES_PER_DEPOSITOR, MAX_BYTES_PER_KEY, MAX_CANDIDATES, MAX_EPOCHS_PER_FETCH,
  MAX_FRAME_BYTES, MAX_HASHES_PER_MESSAGE, MAX_INBOUND_STREAMS, MAX_ITEMS_PER_KEY, MAX_OUTBOUND_STREAMS,
  MAX_PAGE_BYTES, NOTICE_INTERVAL_MS, NOTICE_PROTOCOL, PROTOCOL, RELAY_BUDGET_BYTES, REPLICAS,
  REPLICATE_INTERVAL_MS, REQUEST_TIMEOUT_MS, SWEEP_INTERVAL_MS, TTL_MS
} from './constants.ts'
import { InvalidFetchProofError, InvalidMailboxRequestError, InvalidReceiptError, MailboxRefusedError, NotHostingError } from './errors.ts'
import { epochAt, mailboxKey, recentEpochs } from './keys.ts'
import {
  FetchAck, FetchChallenge, FetchPage, FetchProof, MailboxNotice, MailboxRequest, OfferResponse, StoreResponse
} from './pb/mailbox.ts'
import { envelopeHash, signFetchProof, signReceipt, verifyFetchProof, verifyReceipt } from './proofs.ts'
import { STAMP_BYTES, mintStamp } from './stamp.ts'
import { MailboxStore } from './store.ts'
import type {
  CollectResult, DepositOptions, DepositResult, FetchedEnvelope, MailboxComponents, MailboxHandler, MailboxInit,
  StoreReceipt
} from './index.ts'
import type { FetchRequest, OfferRequest, StoreRequest, StoredEnvelope } from './pb/mailbox.ts'
import type { AbortOptions, Connection, IdentifyResult, Logger, PeerId, Startable, Stream } from '@libp2p/interface'
import type { ProtobufStream } from '@libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface MailboxEvents {
  /** A storer says it holds envelopes for this node (it just connected): time to collect */
  notice: CustomEvent<PeerId>
}

const KEY_BYTES = 32
const CHALLENGE_BYTES = 32

/** One recipient's fetch from one storer, page by page */
interface FetchSession {
  storer: PeerId
  stream: Stream
  pb: ProtobufStream<Stream>
  page: FetchPage
}

/**
 * The mailbox service: deposits envelopes with the storers closest to a recipient's mailbox
 * key, collects this node's own mail, and (when hosting) stores for others.
 */
export class Mailbox extends TypedEventEmitter<MailboxEvents> implements Startable {
  readonly protocol = PROTOCOL
  private readonly components: MailboxComponents
  private readonly init: MailboxInit
  private readonly log: Logger
  private readonly replicas: number
  private readonly requestTimeoutMs: number
  private readonly store?: MailboxStore
  private handler?: MailboxHandler
  private readonly noticed = new Map<string, number>()
  private readonly timers: Array<ReturnType<typeof setInterval>> = []
  private readonly shutdown = new AbortController()
  private started = false

  constructor (components: MailboxComponents, init: MailboxInit = {}) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('parley:mailbox')
    this.replicas = init.replicas ?? REPLICAS
    this.requestTimeoutMs = init.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
    setMaxListeners(Infinity, this.shutdown.signal)
    if (init.host != null) {
      this.store = new MailboxStore(init.host.db, {
        maxBytes: init.host.budgetBytes ?? RELAY_BUDGET_BYTES,
        maxBytesPerKey: init.host.maxBytesPerKey ?? MAX_BYTES_PER_KEY,
        maxItemsPerKey: init.host.maxItemsPerKey ?? MAX_ITEMS_PER_KEY,
        maxBytesPerDepositor: init.host.maxBytesPerDepositor ?? MAX_BYTES_PER_DEPOSITOR,
        ttlMs: init.host.ttlMs ?? TTL_MS
      })
    }
    this.onIdentify = this.onIdentify.bind(this)
  }

  readonly [Symbol.toStringTag] = '@parley/mailbox'
  readonly [serviceCapabilities] = ['@parley/mailbox']

  /** How many storers each envelope is left with */
  get replicaTarget (): number {
    return this.replicas
  }

  /** Whether this node holds envelopes for others */
  get hosting (): boolean {
    return this.store != null
  }

  async start (): Promise<void> {
    await this.components.registrar.handle(NOTICE_PROTOCOL, this.onNotice.bind(this), {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS,
      runOnLimitedConnection: true
    })
    if (this.store != null) {
      await this.store.open()
      // relays carry mailbox traffic: envelopes are small next to circuit relay v2's limits
      await this.components.registrar.handle(PROTOCOL, this.onStream.bind(this), {
        maxInboundStreams: MAX_INBOUND_STREAMS,
        maxOutboundStreams: MAX_OUTBOUND_STREAMS,
        runOnLimitedConnection: true
      })
      this.components.events.addEventListener('peer:identify', this.onIdentify)
    }
    this.started = true
  }

  afterStart (): void {
    const host = this.init.host
    if (this.store == null || host == null) return
    this.every(host.sweepIntervalMs ?? SWEEP_INTERVAL_MS, async () => { await this.store?.sweep() })
    this.every(host.replicateIntervalMs ?? REPLICATE_INTERVAL_MS, async () => { await this.replicate({ signal: this.shutdown.signal }) })
  }

  async stop (): Promise<void> {
    this.shutdown.abort()
    for (const timer of this.timers) clearInterval(timer)
    this.components.events.removeEventListener('peer:identify', this.onIdentify)
    await this.components.registrar.unhandle(NOTICE_PROTOCOL)
    if (this.store != null) await this.components.registrar.unhandle(PROTOCOL)
    this.started = false
  }

  isStarted (): boolean {
    return this.started
  }

  /** Sets what happens to collected envelopes; nothing is fetched until a handler is set */
  setHandler (handler: MailboxHandler): void {
    this.handler = handler
  }

  /**
   * Stores an envelope for `recipient` with the storers closest to its current mailbox key until
   * `replicas` storers (counting `holders`) hold it. Partial success is a result, not an error:
   * the caller keeps the receipts and tries again later for the rest.
   */
  async deposit (recipient: PeerId, envelope: Uint8Array, options: DepositOptions = {}): Promise<DepositResult> {
    const signal = this.signalFor(options, this.requestTimeoutMs * 3)
    const key = mailboxKey(recipient, epochAt(Date.now()))
    const hash = envelopeHash(envelope)
    const holders = new Set(options.holders ?? [])
    const result: DepositResult = { receipts: [], failures: [] }
    const wanted = this.replicas - holders.size
    if (wanted <= 0) return result
    const stamp = options.stampBits != null ? await mintStamp(key, hash, options.stampBits, { signal }) : undefined
    const skip = new Set([...holders, recipient.toString(), this.components.peerId.toString()])
    const candidates = (await this.closestPeers(key, { signal })).filter(p => !skip.has(p.toString()))
    while (result.receipts.length < wanted && candidates.length > 0) {
      const batch = candidates.splice(0, wanted - result.receipts.length)
      await Promise.all(batch.map(async storer => {
        try {
          result.receipts.push(await this.storeAt(storer, { key: own(key), envelope: own(envelope), ...(stamp != null ? { stamp: own(stamp) } : {}) }, hash, { signal }))
        } catch (err: any) {
          this.log('%p did not store an envelope - %s', storer, err.message)
          result.failures.push({ storer, error: err.message })
        }
      }))
    }
    this.log('deposited an envelope for %p with %d storer(s), %d failed', recipient, result.receipts.length, result.failures.length)
    return result
  }

  /**
   * Fetches this node's envelopes from the storers closest to its recent mailbox keys (and
   * from `storers`, e.g. one that sent a notice), hands them to the handler once each, and
   * acknowledges what it accepted to every storer that sent it.
   */
  async collect (options: AbortOptions & { storers?: PeerId[] } = {}): Promise<CollectResult> {
    const handler = this.handler
    const result: CollectResult = { storers: 0, fetched: 0, acked: 0 }
    if (handler == null) return result
    const signal = this.signalFor(options, this.requestTimeoutMs * 6)
    const epochs = recentEpochs(Date.now(), this.init.fetchWindowMs ?? FETCH_WINDOW_MS).slice(0, MAX_EPOCHS_PER_FETCH)
    const keys = new Map(epochs.map(e => [toHex(mailboxKey(this.components.peerId, e), 'base16'), e]))
    const found = await Promise.all([...keys.keys()].map(async hex => {
      return this.closestPeers(mailboxKey(this.components.peerId, keys.get(hex)!), { signal }).catch(() => [])
    }))
    const candidates = new Map<string, PeerId>()
    for (const peer of [...(options.storers ?? []), ...found.flat()]) candidates.set(peer.toString(), peer)
    candidates.delete(this.components.peerId.toString())

    const opened = await Promise.allSettled([...candidates.values()].map(async storer => this.openFetch(storer, epochs, signal)))
    let sessions = opened.flatMap(o => o.status === 'fulfilled' ? [o.value] : [])
    result.storers = sessions.length
    const seen = new Set<string>()
    while (sessions.length > 0) {
      // the same envelope from several storers is handed over once, in the order it was stored
      const union = new Map<string, FetchedEnvelope>()
      const sentBy = new Map<FetchSession, string[]>()
      for (const session of sessions) {
        const hashes: string[] = []
        for (const stored of session.page.envelopes) {
          const item = this.checkFetched(stored, keys)
          if (item == null) continue
          const hex = toHex(item.hash, 'base16')
          hashes.push(hex)
          if (!union.has(hex)) union.set(hex, item)
        }
        sentBy.set(session, hashes)
      }
      const items = [...union.values()].sort((a, b) => a.storedAt - b.storedAt)
      for (const hex of union.keys()) {
        if (!seen.has(hex)) result.fetched++
        seen.add(hex)
      }
      const accepted = new Set((items.length > 0 ? await handler(items, { signal }) : []).map(h => toHex(h, 'base16')))
      result.acked += [...union.keys()].filter(h => accepted.has(h)).length
      const next = await Promise.allSettled(sessions.map(async session => {
        if (session.page.done) {
          await session.stream.close({ signal }).catch(err => { session.stream.abort(err) })
          return undefined
        }
        const acks = sentBy.get(session)!.filter(h => accepted.has(h)).map(h => fromHex(h, 'base16'))
        await session.pb.write({ hashes: acks }, FetchAck, { signal: this.perRequest(signal) })
        session.page = await session.pb.read(FetchPage, { signal: this.perRequest(signal) })
        return session
      }))
      sessions = next.flatMap((o, i) => {
        if (o.status === 'rejected') sessions[i].stream.abort(o.reason)
        return o.status === 'fulfilled' && o.value != null ? [o.value] : []
      })
    }
    if (result.fetched > 0) this.log('collected %d envelope(s) from %d storer(s)', result.fetched, result.storers)
    return result
  }

  /**
   * Hands every held envelope to the storers now closest to its key that lack it, so copies
   * follow the DHT as peers come and go. Runs on a timer; exposed for tests and simulations.
   */
  async replicate (options: AbortOptions = {}): Promise<number> {
    const store = this.store
    if (store == null) throw new NotHostingError()
    let handed = 0
    for (const key of await store.keys()) {
      options.signal?.throwIfAborted()
      const items = await store.list(key, options)
      if (items.length === 0) continue
      const closest = (await this.closestPeers(key, options).catch(() => [])).slice(0, this.replicas)
      for (const peer of closest) {
        try {
          const missing = new Set((await this.offer(peer, key, items.map(i => i.hash), options)).map(h => toHex(h, 'base16')))
          for (const item of items.filter(i => missing.has(toHex(i.hash, 'base16')))) {
            await this.storeAt(peer, { key: own(key), envelope: own(item.envelope), ...(item.stamp != null ? { stamp: own(item.stamp) } : {}) }, item.hash, options)
            handed++
          }
        } catch (err: any) {
          this.log('handing envelopes on to %p failed - %s', peer, err.message)
        }
      }
    }
    if (handed > 0) this.log('handed %d envelope(s) on to closer storers', handed)
    return handed
  }

  /** What this storer holds for others */
  usage (): { bytes: number, items: number } {
    return this.store?.usage() ?? { bytes: 0, items: 0 }
  }

  // ---- client side ----

  private async storeAt (storer: PeerId, request: StoreRequest, hash: Uint8Array, options: AbortOptions): Promise<StoreReceipt> {
    const response = await this.request(storer, { store: request }, StoreResponse, options)
    if (response.status === StoreResponse.Status.REFUSED) {
      throw new MailboxRefusedError(response.reason === '' ? undefined : response.reason)
    }
    const expiresAt = Number(response.expiresAt)
    // a storer may send any number: one past 2^53 is a RangeError, as forged as a bad signature
    const valid = expiresAt > Date.now() && await verifyReceipt(storer, { key: request.key, hash, expiresAt }, response.receipt).catch(() => false)
    if (!valid) throw new InvalidReceiptError(`the receipt from ${storer.toString()} does not verify`)
    return { storer, expiresAt, signature: response.receipt }
  }

  private async offer (storer: PeerId, key: Uint8Array, hashes: Uint8Array[], options: AbortOptions): Promise<Uint8Array[]> {
    const response = await this.request(storer, { offer: { key: own(key), hashes: hashes.slice(0, MAX_HASHES_PER_MESSAGE).map(own) } }, OfferResponse, options)
    return response.missing.filter(h => h.byteLength === KEY_BYTES)
  }

  private async request<T> (storer: PeerId, request: MailboxRequest, codec: { decode(data: Uint8Array | Uint8ArrayList): T }, options: AbortOptions): Promise<T> {
    const signal = this.perRequest(options.signal)
    const stream = await this.components.connectionManager.openStream(storer, PROTOCOL, { signal, runOnLimitedConnection: true })
    try {
      const pb = pbStream(stream, { maxDataLength: MAX_FRAME_BYTES })
      await pb.write(request, MailboxRequest, { signal })
      const response = await pb.read(codec, { signal })
      await stream.close({ signal })
      return response
    } catch (err: any) {
      stream.abort(err)
      throw err
    }
  }

  private async openFetch (storer: PeerId, epochs: number[], signal: AbortSignal): Promise<FetchSession> {
    const stream = await this.components.connectionManager.openStream(storer, PROTOCOL, { signal: this.perRequest(signal), runOnLimitedConnection: true })
    try {
      const pb = pbStream(stream, { maxDataLength: MAX_FRAME_BYTES })
      await pb.write({ fetch: { recipient: this.components.peerId.toMultihash().bytes, epochs } }, MailboxRequest, { signal: this.perRequest(signal) })
      const { challenge } = await pb.read(FetchChallenge, { signal: this.perRequest(signal) })
      if (challenge.byteLength !== CHALLENGE_BYTES) throw new InvalidMailboxRequestError('the storer sent a malformed challenge')
      const signature = await signFetchProof(this.components.privateKey, { storer, challenge, epochs })
      await pb.write({ signature: own(signature) }, FetchProof, { signal: this.perRequest(signal) })
      const page = await pb.read(FetchPage, { signal: this.perRequest(signal) })
      if (page.refused !== '') throw new MailboxRefusedError(page.refused)
      return { storer, stream, pb, page }
    } catch (err: any) {
      this.log('fetching from %p failed - %s', storer, err.message)
      stream.abort(err)
      throw err
    }
  }

  /** A storer may send anything: only well-formed envelopes under our own keys are kept */
  private checkFetched (stored: StoredEnvelope, keys: Map<string, number>): FetchedEnvelope | undefined {
    if (!keys.has(toHex(stored.key, 'base16'))) return undefined
    if (stored.envelope.byteLength === 0 || stored.envelope.byteLength > MAX_ENVELOPE_BYTES) return undefined
    return {
      key: stored.key,
      hash: envelopeHash(stored.envelope),
      envelope: stored.envelope,
      ...(stored.stamp != null ? { stamp: stored.stamp } : {}),
      storedAt: Number(stored.storedAt)
    }
  }

  /** The peers closest to `key` in the DHT, closest first (this node excluded) */
  private async closestPeers (key: Uint8Array, options: AbortOptions): Promise<PeerId[]> {
    const peers: PeerId[] = []
    for await (const peer of this.components.peerRouting.getClosestPeers(key, options)) {
      if (!peer.id.equals(this.components.peerId)) peers.push(peer.id)
    }
    return closestFirst(key, peers).slice(0, MAX_CANDIDATES)
  }

  private async onNotice (stream: Stream, connection: Connection): Promise<void> {
    try {
      const pb = pbStream(stream, { maxDataLength: 64 })
      await pb.read(MailboxNotice, { signal: AbortSignal.timeout(this.requestTimeoutMs) })
      await stream.close()
      this.safeDispatchEvent('notice', { detail: connection.remotePeer })
    } catch (err: any) {
      stream.abort(err)
    }
  }

  // ---- storer side ----

  private async onStream (stream: Stream, connection: Connection): Promise<void> {
    const from = connection.remotePeer
    const signal = anySignal([this.shutdown.signal, AbortSignal.timeout(this.requestTimeoutMs * 6)])
    try {
      const pb = pbStream(stream, { maxDataLength: MAX_FRAME_BYTES })
      const request = await pb.read(MailboxRequest, { signal })
      if (request.store != null) {
        await pb.write(await this.answerStore(request.store, from, { signal }), StoreResponse, { signal })
      } else if (request.fetch != null) {
        await this.answerFetch(request.fetch, pb, { signal })
      } else if (request.offer != null) {
        await pb.write(await this.answerOffer(request.offer, { signal }), OfferResponse, { signal })
      } else {
        throw new InvalidMailboxRequestError('the request names no operation')
      }
      await stream.close({ signal })
    } catch (err: any) {
      this.log('mailbox stream from %p dropped - %s', from, err.message)
      stream.abort(err)
    } finally {
      signal.clear()
    }
  }

  private async answerStore (request: StoreRequest, from: PeerId, options: AbortOptions): Promise<StoreResponse> {
    const refuse = (reason: string): StoreResponse => ({ status: StoreResponse.Status.REFUSED, reason, expiresAt: 0n, receipt: new Uint8Array(0) })
    if (request.key.byteLength !== KEY_BYTES) return refuse(`a mailbox key is ${KEY_BYTES} bytes`)
    if (request.envelope.byteLength === 0 || request.envelope.byteLength > MAX_ENVELOPE_BYTES) {
      return refuse(`an envelope is 1 to ${MAX_ENVELOPE_BYTES} bytes`)
    }
    if (request.stamp != null && request.stamp.byteLength !== STAMP_BYTES) return refuse(`a stamp is ${STAMP_BYTES} bytes`)
    try {
      const stored = await this.store!.put({
        key: request.key,
        envelope: request.envelope,
        ...(request.stamp != null ? { stamp: request.stamp } : {}),
        depositor: from.toString()
      }, options)
      const receipt = await signReceipt(this.components.privateKey, { key: request.key, hash: stored.hash, expiresAt: stored.expiresAt })
      return { status: StoreResponse.Status.STORED, reason: '', expiresAt: BigInt(stored.expiresAt), receipt: own(receipt) }
    } catch (err: any) {
      if (err.name === 'QuotaExceededError' || err.name === 'ReplayedEnvelopeError') return refuse(err.message)
      throw err
    }
  }

  private async answerFetch (request: FetchRequest, pb: ProtobufStream<Stream>, options: AbortOptions & { signal: AbortSignal }): Promise<void> {
    const { signal } = options
    const recipient = parseRecipient(request.recipient)
    const epochs = request.epochs
    if (epochs.length === 0 || epochs.length > MAX_EPOCHS_PER_FETCH) {
      throw new InvalidMailboxRequestError(`a fetch names 1 to ${MAX_EPOCHS_PER_FETCH} epochs`)
    }
    const challenge = crypto.getRandomValues(new Uint8Array(CHALLENGE_BYTES))
    await pb.write({ challenge }, FetchChallenge, { signal })
    const proof = await pb.read(FetchProof, { signal })
    if (!await verifyFetchProof(recipient, { storer: this.components.peerId, challenge, epochs }, proof.signature)) {
      this.log('refused a fetch for %p: the proof does not verify', recipient)
      await pb.write({ envelopes: [], done: true, refused: new InvalidFetchProofError().message }, FetchPage, { signal })
      return
    }
    const keys = epochs.map(e => mailboxKey(recipient, e))
    const sent = new Set<string>()
    while (true) {
      const page: StoredEnvelope[] = []
      let bytes = 0
      for (const key of keys) {
        for (const item of await this.store!.list(key, options)) {
          const hex = toHex(item.hash, 'base16')
          if (sent.has(hex)) continue
          if (page.length > 0 && bytes + item.envelope.byteLength > MAX_PAGE_BYTES) break
          sent.add(hex)
          bytes += item.envelope.byteLength
          page.push({ key: own(key), envelope: own(item.envelope), ...(item.stamp != null ? { stamp: own(item.stamp) } : {}), storedAt: BigInt(item.storedAt) })
        }
      }
      if (page.length === 0) {
        await pb.write({ envelopes: [], done: true, refused: '' }, FetchPage, { signal })
        return
      }
      await pb.write({ envelopes: page, done: false, refused: '' }, FetchPage, { signal })
      const ack = await pb.read(FetchAck, { signal })
      if (ack.hashes.length > MAX_HASHES_PER_MESSAGE) throw new InvalidMailboxRequestError('too many hashes in an ack')
      const acked = new Set(ack.hashes.map(h => toHex(h, 'base16')))
      for (const key of keys) {
        const mine = page.filter(p => p.key === key).map(p => envelopeHash(p.envelope)).filter(h => acked.has(toHex(h, 'base16')))
        if (mine.length > 0) await this.store!.ack(key, mine, options)
      }
    }
  }

  private async answerOffer (request: OfferRequest, _options: AbortOptions): Promise<OfferResponse> {
    if (request.key.byteLength !== KEY_BYTES || request.hashes.length > MAX_HASHES_PER_MESSAGE) {
      throw new InvalidMailboxRequestError('malformed offer')
    }
    return { missing: (await this.store!.missing(request.key, request.hashes.filter(h => h.byteLength === KEY_BYTES))).map(own) }
  }

  /** A recipient that connects is told it has mail, so it fetches without waiting for its timer */
  private onIdentify (evt: CustomEvent<IdentifyResult>): void {
    const { peerId, protocols } = evt.detail
    if (!protocols.includes(NOTICE_PROTOCOL) || this.store == null) return
    const last = this.noticed.get(peerId.toString()) ?? 0
    if (Date.now() - last < NOTICE_INTERVAL_MS) return
    const count = recentEpochs(Date.now(), this.init.fetchWindowMs ?? FETCH_WINDOW_MS)
      .reduce((sum, e) => sum + this.store!.count(mailboxKey(peerId, e)), 0)
    if (count === 0) return
    this.noticed.set(peerId.toString(), Date.now())
    void this.notify(peerId, count).catch(err => { this.log('could not notify %p - %s', peerId, err.message) })
  }

  private async notify (peer: PeerId, count: number): Promise<void> {
    const signal = this.perRequest(this.shutdown.signal)
    const stream = await this.components.connectionManager.openStream(peer, NOTICE_PROTOCOL, { signal, runOnLimitedConnection: true })
    try {
      await pbStream(stream).write({ count }, MailboxNotice, { signal })
      await stream.close({ signal })
    } catch (err: any) {
      stream.abort(err)
      throw err
    }
  }

  // ---- helpers ----

  private every (intervalMs: number, task: () => Promise<void>): void {
    let running = false
    const timer = setInterval(() => {
      if (running) return
      running = true
      task().catch(err => { this.log('a periodic mailbox task failed - %s', err.message) }).finally(() => { running = false })
    }, intervalMs)
    timer.unref?.()
    this.timers.push(timer)
  }

  private signalFor (options: AbortOptions, defaultMs: number): AbortSignal {
    const signal = options.signal ?? AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(defaultMs)])
    setMaxListeners(Infinity, signal)
    return signal
  }

  /** One request's time limit within an operation's signal */
  private perRequest (signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.requestTimeoutMs)
    const combined = signal == null ? timeout : AbortSignal.any([signal, timeout])
    setMaxListeners(Infinity, combined)
    return combined
  }
}

/** The protobuf types want ArrayBuffer-backed arrays, which every array here is */
function own (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>
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
