import { serviceCapabilities, setMaxListeners } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { pbStream } from '@libp2p/utils'
import { TypedEventEmitter } from 'main-event'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { MAX_ENVELOPE_BYTES } from '../chat/constants.ts'
import {
  CHALLENGE_BYTES, COURIER_LOOKUP_WIDTH, FETCH_SPREAD, GATHER_WINDOW_MS, HOST_LOOKUP_CACHE_MS, FETCH_WINDOW_MS, KEY_BYTES, MAX_CANDIDATES, MAX_DEMANDED_STAMP_BITS, MAX_EPOCHS_PER_FETCH, MAX_FRAME_BYTES,
  MAX_HASHES_PER_MESSAGE, MAX_INBOUND_STREAMS, MAX_OUTBOUND_STREAMS, NOTICE_INTERVAL_MS, NOTICE_PROTOCOL, PROTOCOL, REPLICAS, REPLICATE_INTERVAL_MS, REQUEST_TIMEOUT_MS, SWEEP_INTERVAL_MS, UNRESPONSIVE_MS,
  WATCH_SPREAD
} from './constants.ts'
import { lookupUnderCourier } from './courier-lookup.ts'
import { closestFirst } from './distance.ts'
import { Couriers } from './couriers.ts'
import { InvalidMailboxRequestError, InvalidReceiptError, InvalidStampError, MailboxRefusedError, NotHostingError } from './errors.ts'
import { HostArrivals } from './host-arrivals.ts'
import { MailboxHost } from './host.ts'
import { MailboxIdentities } from './identities.ts'
import { epochAt, mailboxKey, recentEpochs } from './keys.ts'
import { MIN_ENVELOPE_BYTES } from './min-envelope.ts'
import { FetchAck, FetchChallenge, FetchPage, FetchProof, MailboxNotice, MailboxRequest, OfferResponse, StoreResponse } from './pb/mailbox.ts'
import { envelopeHash, signFetchProof, verifyReceipt } from './proofs.ts'
import { mintStamp } from './stamp.ts'
import { startWatch } from './watch-stream.ts'
import { MailboxWatches } from './watches.ts'
import { own } from './wire.ts'
import { errorKind } from '../../errors/index.ts'
import { openStreamOnAnyConnection } from '../../node/open-stream.ts'
import { framing } from '../length-prefix.ts'
import type {
  CollectOptions, CollectResult, DepositOptions, DepositResult, FetchedEnvelope, MailboxComponents, MailboxHandler, MailboxInit,
  SharedCollectOptions, SharedMailboxHandler, StoreReceipt
} from './index.ts'
import type { MailboxHostRouting } from './host-routing.ts'
import type { OpenWatch } from './watches.ts'
import type { StoreRequest, StoredEnvelope } from './pb/mailbox.ts'
import type { AbortOptions, Connection, Logger, PeerId, PrivateKey, Startable, Stream } from '@libp2p/interface'
import type { ProtobufStream } from '@libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface MailboxEvents {
  /**
   * A storer says it holds envelopes for this node (it just connected), or a host close to one of
   * this node's mailbox keys connected (host-arrivals.ts): time to collect from it
   */
  notice: CustomEvent<PeerId>
  /** A deposit ended: the recipient, and the storers that signed receipts this time */
  deposit: CustomEvent<{ recipient: PeerId, receipts: StoreReceipt[] }>
}


/** Resolves after `ms`, or at once when `signal` aborts (the caller's next step then fails) */
async function delay (ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>(resolve => {
    const timer = setTimeout(done, ms)
    function done (): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
  })
}

/** Whether a storer answered a store request with a refusal (it is there, and said no) */
function isRefusal (err: unknown): boolean {
  return errorKind(err) === 'refused'
}

/** One recipient's fetch from one storer, page by page */
interface FetchSession {
  storer: PeerId
  stream: Stream
  pb: ProtobufStream<Stream>
  page: FetchPage
}

/** A request that goes over a courier for the mailbox `courierFor` identifies (see `openStream`) */
interface CourierOptions extends AbortOptions {
  courierFor?: Uint8Array
}

/** Whose mailbox a collection reads: the key that proves it, and its PeerId (the recipient) */
interface MailboxOwner {
  peerId: PeerId
  privateKey: PrivateKey
}

/** One mailbox a collection reads: its owner, and the epochs of it to read */
interface MailboxClaim {
  owner: MailboxOwner
  epochs: number[]
}

/** A watch on one of this node's mailboxes at one storer */
interface OwnWatch {
  id: string
  storer: PeerId
  owner: MailboxOwner
  epochs: number[]
}

/** How a collection hands a batch over: resolves with the hashes to ack */
type HandOver = (items: FetchedEnvelope[], signal: AbortSignal) => Promise<Uint8Array[]>

/** What `drain` works with over one collection */
interface Drain {
  /** The mailbox keys read (hex), with their epochs */
  keys: Map<string, number>
  /** Envelopes (hash, hex) seen so far */
  seen: Set<string>
  result: CollectResult
  handOver: HandOver
  cursors?: Map<string, number>
  signal: AbortSignal
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
  private readonly host?: MailboxHost
  private readonly arrivals: HostArrivals
  /** Carry this node's own deposits and fetches under throwaway identities (couriers.ts) */
  private readonly couriers?: Couriers
  /** This node's own mailbox identity of each epoch (identities.ts) */
  readonly identities: MailboxIdentities
  private handler?: MailboxHandler
  private readonly timers: Array<ReturnType<typeof setInterval>> = []
  private readonly shutdown = new AbortController()
  private started = false
  private handing: Promise<unknown> = Promise.resolve()
  /** Recent closest-hosts lookups by key (hex) */
  private readonly lookups = new Map<string, { hosts: PeerId[], expires: number }>()
  /** Hosts that did not answer a store request, by PeerId, until when they are skipped */
  private readonly unresponsive = new Map<string, number>()
  private readonly watches: MailboxWatches<OwnWatch>

  constructor (components: MailboxComponents, init: MailboxInit = {}) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('parley:mailbox')
    this.replicas = init.replicas ?? REPLICAS
    this.requestTimeoutMs = init.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
    this.identities = new MailboxIdentities(components.privateKey)
    this.arrivals = new HostArrivals({
      events: components.events,
      hostRouting: () => this.hostRouting,
      protocol: PROTOCOL,
      keys: async () => this.handler == null ? [] : (await this.ownClaims()).flatMap(c => c.epochs.map(e => mailboxKey(c.owner.peerId, e))),
      spread: this.replicas * FETCH_SPREAD,
      intervalMs: NOTICE_INTERVAL_MS,
      // as a storer's notice would: the messenger fetches from it at once; and a storer back
      // from a restart is watched again
      onHost: host => {
        this.safeDispatchEvent('notice', { detail: host })
        this.watches.restore()
      }
    })
    this.watches = new MailboxWatches<OwnWatch>({
      open: async (watch, signal) => this.openWatch(watch, signal),
      // as a storer's notice: the messenger fetches from it at once
      onMail: storer => { this.safeDispatchEvent('notice', { detail: storer }) },
      log: this.log
    })
    setMaxListeners(Infinity, this.shutdown.signal)
    if (init.couriers != null) {
      this.couriers = new Couriers({ createNode: init.couriers, peerStore: components.peerStore, connections: peer => components.connectionManager.getConnections(peer), log: this.log, ...(init.courierLifetimeMs != null ? { lifetimeMs: init.courierLifetimeMs } : {}) })
    }
    if (init.host != null) {
      this.host = new MailboxHost(components, {
        ...init.host,
        fetchWindowMs: init.fetchWindowMs ?? FETCH_WINDOW_MS,
        requestTimeoutMs: this.requestTimeoutMs,
        signal: this.shutdown.signal
      })
    }
  }

  readonly [Symbol.toStringTag] = '@parley/mailbox'
  readonly [serviceCapabilities] = ['@parley/mailbox']

  /** How many storers each envelope is left with */
  get replicaTarget (): number {
    return this.replicas
  }

  /** Whether this node holds envelopes for others */
  get hosting (): boolean {
    return this.host != null
  }

  async start (): Promise<void> {
    await this.components.registrar.handle(NOTICE_PROTOCOL, this.onNotice.bind(this), {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS,
      runOnLimitedConnection: true
    })
    await this.host?.start()
    this.arrivals.start()
    this.started = true
  }

  afterStart (): void {
    const host = this.init.host
    if (this.host == null || host == null) return
    const store = this.host.store
    this.every(host.sweepIntervalMs ?? SWEEP_INTERVAL_MS, async () => { await store.sweep() })
    this.every(host.replicateIntervalMs ?? REPLICATE_INTERVAL_MS, async () => { await this.replicate({ signal: this.shutdown.signal }) })
  }

  async stop (): Promise<void> {
    this.arrivals.stop()
    this.shutdown.abort()
    for (const timer of this.timers) clearInterval(timer)
    await this.components.registrar.unhandle(NOTICE_PROTOCOL)
    await this.host?.stop()
    await this.watches.stop()
    await this.couriers?.stop()
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
    const key = options.address != null ? mailboxKey(options.address.peerId, options.address.epoch) : mailboxKey(recipient, epochAt(Date.now()))
    const hash = envelopeHash(envelope)
    const holders = new Set(options.holders ?? [])
    const result: DepositResult = { receipts: [], failures: [] }
    const wanted = this.replicas - holders.size
    if (wanted <= 0) return result
    const skip = new Set([...holders, recipient.toString(), this.components.peerId.toString()])
    const candidates = (await this.candidates(key, { signal })).filter(p => !skip.has(p.toString()))
    // minted only once there is a storer to give it to: a top-up finding none costs nothing
    let stamp = options.stampBits != null && candidates.length > 0 ? await mintStamp(key, hash, options.stampBits, { signal }) : undefined
    // a storer whose mailbox is partly full asks for a stamp: minted once, then given to all
    let demanded: { bits: number, stamp: Promise<Uint8Array> } | undefined
    const request = (): StoreRequest => ({ key: own(key), envelope: own(envelope), ...(stamp != null ? { stamp: own(stamp) } : {}), ...(options.expiresAt != null ? { expiresAt: BigInt(options.expiresAt) } : {}) })
    const store = async (storer: PeerId): Promise<StoreReceipt> => {
      try {
        return await this.storeAt(storer, request(), hash, { signal, courierFor: key })
      } catch (err: any) {
        if (!(err instanceof InvalidStampError) || err.bits > MAX_DEMANDED_STAMP_BITS) throw err
        const bits = Math.max(err.bits, options.stampBits ?? 0)
        if (demanded == null || demanded.bits < bits) demanded = { bits, stamp: mintStamp(key, hash, bits, { signal }) }
        stamp = await demanded.stamp
        return await this.storeAt(storer, request(), hash, { signal, courierFor: key })
      }
    }
    while (result.receipts.length < wanted && candidates.length > 0) {
      const batch = candidates.splice(0, wanted - result.receipts.length)
      await Promise.all(batch.map(async storer => {
        try {
          result.receipts.push(await store(storer))
        } catch (err: any) {
          this.log('%p did not store an envelope - %s', storer, err.message)
          result.failures.push({ storer, error: err.message })
          // a refusal is an answer; silence is not, and the next envelope should not wait on it
          if (!isRefusal(err) && !signal.aborted) this.unresponsive.set(storer.toString(), Date.now() + UNRESPONSIVE_MS)
        }
      }))
    }
    this.log('deposited an envelope for %p with %d storer(s), %d failed', recipient, result.receipts.length, result.failures.length)
    this.safeDispatchEvent('deposit', { detail: { recipient, receipts: result.receipts } })
    return result
  }

  /**
   * Fetches this node's envelopes from the hosts closest to its recent mailbox keys (and from
   * `storers`, e.g. one that sent a notice), hands them to the handler once each, and
   * acknowledges what it accepted to every storer that sent it.
   *
   * It goes in two waves: first the storers given and the closest hosts this node already
   * knows, at once, then whoever the DHT lookups add. Within a wave envelopes come out in the
   * order they were stored; a copy only the lookups found comes after the first wave's.
   */
  async collect (options: CollectOptions = {}): Promise<CollectResult> {
    if (this.handler == null) return { storers: 0, fetched: 0, acked: 0 }
    return this.gather(await this.ownClaims(), async (items, signal) => this.handOver(items, signal), options)
  }

  /**
   * Reads a mailbox that several peers share, such as a group's: `owner` is its key, which each
   * of them holds, and its PeerId the recipient its envelopes were deposited for. Nothing is
   * acked (what one reader took, the others still need: the storers keep it until its TTL);
   * instead each storer is asked only for what it stored since this reader's last fetch from
   * it (`cursors`, which this updates once `handler` has taken a batch). A storer of an earlier
   * release sends everything again; the handler sees envelopes it had before, as it may after
   * any collection that was cut short, and must take each once.
   */
  async collectShared (owner: PrivateKey, handler: SharedMailboxHandler, options: SharedCollectOptions): Promise<CollectResult> {
    const handOver: HandOver = async (items, signal) => {
      await handler(items, { signal })
      return []
    }
    return this.gather([{ owner: { peerId: peerIdFromPrivateKey(owner), privateKey: owner }, epochs: this.fetchEpochs() }], handOver, options)
  }

  /**
   * Keeps a watch on each of this node's mailboxes of the current epoch (its requests mailbox,
   * its mailbox identity's, its PeerId's) at the WATCH_SPREAD hosts closest to its key (where
   * deposits go first), so that mail left while this node runs is fetched at once (a `notice`
   * event). Each watch goes the way that mailbox's fetches go (a courier of its own, or the
   * PeerId's connection); watches already open stay, old ones are renewed, others ended
   * (watches.ts). Resolves with how many are wanted.
   */
  async watch (options: AbortOptions = {}): Promise<number> {
    if (this.handler == null) return 0
    const signal = this.signalFor(options, this.requestTimeoutMs * 3)
    const epoch = this.fetchEpochs()[0]
    const owners = (await this.ownClaims()).filter(claim => claim.epochs.includes(epoch)).map(claim => claim.owner)
    const wanted = await Promise.all(owners.map(async owner => {
      const key = mailboxKey(owner.peerId, epoch)
      // the collection just before looked them up
      let found = this.recalled(key)
      if (found == null) {
        found = await this.lookupHosts(key, this.courierFor(owner), { signal }).catch(() => [])
        this.remember(key, found)
      }
      const listed = new Set(found.map(p => p.toString()))
      const hosts = closestFirst(key, [...found, ...this.hostRouting.knownHosts(key, WATCH_SPREAD).filter(p => !listed.has(p.toString()))])
        .filter(p => !p.equals(this.components.peerId))
        .slice(0, Math.min(WATCH_SPREAD, this.replicas))
      return hosts.map(storer => ({ id: `${storer.toString()} ${owner.peerId.toString()} ${epoch}`, storer, owner, epochs: [epoch] }))
    }))
    signal.throwIfAborted()
    this.watches.keep(wanted.flat())
    return wanted.flat().length
  }

  /**
   * This node's own mailboxes: each epoch's own identity's (peers that heard from this node
   * leave mail there), the requests mailbox (strangers, from the prekey record), and the one of
   * the PeerId (peers of earlier releases, and sessions begun before this one)
   */
  private async ownClaims (): Promise<MailboxClaim[]> {
    const epochs = this.fetchEpochs()
    const requests = await this.identities.requests()
    return [
      { owner: { peerId: peerIdFromPrivateKey(requests), privateKey: requests }, epochs },
      { owner: this.components, epochs },
      ...await Promise.all(epochs.map(async epoch => ({ owner: await this.identities.forEpoch(epoch), epochs: [epoch] })))
    ]
  }

  /** The epochs a collection reads: enough of the latest to cover the fetch window */
  private fetchEpochs (): number[] {
    return recentEpochs(Date.now(), this.init.fetchWindowMs ?? FETCH_WINDOW_MS).slice(0, MAX_EPOCHS_PER_FETCH)
  }

  private async gather (claims: MailboxClaim[], handOver: HandOver, options: CollectOptions & { cursors?: Map<string, number> }): Promise<CollectResult> {
    const result: CollectResult = { storers: 0, fetched: 0, acked: 0 }
    const signal = this.signalFor(options, this.requestTimeoutMs * 6)
    const keyed = claims.flatMap(claim => claim.epochs.map(epoch => ({ claim, epoch, key: mailboxKey(claim.owner.peerId, epoch) })))
    const spread = this.replicas * FETCH_SPREAD
    // each claim is asked of the storers closest to its own keys (and of every storer given)
    const lookups = options.lookup === false
      ? undefined
      : Promise.all(keyed.map(async ({ claim, key }) => {
        // always looked up anew (a collection looks for hosts that joined), and kept for the
        // watches that follow it
        const found = await this.lookupHosts(key, this.courierFor(claim.owner), { signal }).catch(() => [])
        this.remember(key, found)
        return found.slice(0, spread).map(storer => ({ storer, claim }))
      }))
    const known = options.lookup === false ? [] : keyed.flatMap(({ claim, key }) => this.hostRouting.knownHosts(key, spread).map(storer => ({ storer, claim })))
    const given = (options.storers ?? []).flatMap(storer => claims.map(claim => ({ storer, claim })))
    const self = this.components.peerId.toString()
    const tried = new Set<string>()
    const storers = new Set<string>()
    const seen = new Set<string>()
    const keyEpochs = new Map(keyed.map(({ key, epoch }) => [toHex(key, 'base16'), epoch]))
    const wave = async (asks: Array<{ storer: PeerId, claim: MailboxClaim }>): Promise<void> => {
      const fresh = asks.filter(({ storer, claim }) => {
        const id = `${storer.toString()} ${claims.indexOf(claim)}`
        if (storer.toString() === self || tried.has(id)) return false
        tried.add(id)
        return true
      })
      const open: FetchSession[] = []
      const firstOpen = Promise.withResolvers<void>()
      const all = Promise.allSettled(fresh.map(async ({ storer, claim }) => {
        open.push(await this.openFetch(claim.owner, storer, claim.epochs, options.cursors?.get(storer.toString()), signal))
        storers.add(storer.toString())
        firstOpen.resolve()
      }))
      // one storer that hangs must not hold up the others' mail
      await Promise.race([all, firstOpen.promise.then(async () => delay(GATHER_WINDOW_MS, signal))])
      const early = open.length
      const drain = { keys: keyEpochs, seen, result, handOver, cursors: options.cursors, signal }
      await this.drain(open.slice(0, early), drain)
      await all
      await this.drain(open.slice(early), drain)
    }
    await wave([...given, ...known])
    if (lookups != null) await wave((await lookups).flat())
    result.storers = storers.size
    if (result.fetched > 0) this.log('collected %d envelope(s) from %d storer(s)', result.fetched, result.storers)
    return result
  }

  /**
   * Reads the sessions page by page, handing each round's envelopes over once, and acks; with
   * `cursors`, notes per storer where the pages handed over ended
   */
  private async drain (sessions: FetchSession[], { keys, seen, result, handOver, cursors, signal }: Drain): Promise<void> {
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
      const accepted = new Set((items.length > 0 ? await handOver(items, signal) : []).map(h => toHex(h, 'base16')))
      result.acked += [...union.keys()].filter(h => accepted.has(h)).length
      if (cursors != null) {
        for (const session of sessions) {
          const last = session.page.envelopes.reduce((max, e) => Math.max(max, Number(e.storedAt)), -1)
          if (last >= 0) cursors.set(session.storer.toString(), Math.max(last, cursors.get(session.storer.toString()) ?? 0))
        }
      }
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
  }

  /**
   * Collections may overlap (a notice's during a periodic one), but the handler sees one batch
   * at a time: it decides what is new, and two batches at once could both think so
   */
  private async handOver (items: FetchedEnvelope[], signal: AbortSignal): Promise<Uint8Array[]> {
    const handler = this.handler
    if (handler == null) return []
    // `handing` never rejects, so one failed batch does not stop the next
    const run = this.handing.then(async () => handler(items, { signal }))
    this.handing = run.catch(() => {})
    return run
  }

  /**
   * Hands every held envelope to the storers now closest to its key that lack it, so copies
   * follow the DHT as peers come and go. Runs on a timer; exposed for tests and simulations.
   */
  async replicate (options: AbortOptions = {}): Promise<number> {
    const store = this.host?.store
    if (store == null) throw new NotHostingError()
    let handed = 0
    for (const key of await store.keys()) {
      options.signal?.throwIfAborted()
      // the previous release held shorter envelopes, which no storer takes now
      const items = (await store.list(key, options)).filter(i => i.envelope.byteLength >= MIN_ENVELOPE_BYTES)
      if (items.length === 0) continue
      const closest = (await this.hostRouting.closestHosts(key, options).catch(() => [])).slice(0, this.replicas)
      for (const peer of closest) {
        try {
          const missing = new Set((await this.offer(peer, key, items.map(i => i.hash), options)).map(h => toHex(h, 'base16')))
          // copies are this storer's deposits there: past its share of unstamped ones, the peer
          // may still take stamped ones (storers never mint stamps for others)
          let stampedOnly = false
          for (const item of items.filter(i => missing.has(toHex(i.hash, 'base16')))) {
            if (stampedOnly && item.stamp == null) continue
            try {
              await this.storeAt(peer, { key: own(key), envelope: own(item.envelope), ...(item.stamp != null ? { stamp: own(item.stamp) } : {}) }, item.hash, options)
              handed++
            } catch (err: any) {
              if (!(err instanceof InvalidStampError)) throw err
              stampedOnly = true
            }
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
    return this.host?.store.usage() ?? { bytes: 0, items: 0 }
  }

  // ---- client side ----

  private async storeAt (storer: PeerId, request: StoreRequest, hash: Uint8Array, options: CourierOptions): Promise<StoreReceipt> {
    const response = await this.request(storer, { store: request }, StoreResponse, options)
    if (response.status === StoreResponse.Status.REFUSED) {
      const reason = response.reason === '' ? undefined : response.reason
      // a refusal a stamp of that difficulty would lift
      if (response.stampBits > 0) throw new InvalidStampError(reason, response.stampBits)
      throw new MailboxRefusedError(reason)
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

  private async request<T> (storer: PeerId, request: MailboxRequest, codec: { decode(data: Uint8Array | Uint8ArrayList): T }, options: CourierOptions): Promise<T> {
    const signal = this.perRequest(options.signal)
    const stream = await this.openStream(storer, { signal, ...(options.courierFor != null ? { courierFor: options.courierFor } : {}) })
    try {
      const pb = pbStream(stream, framing(MAX_FRAME_BYTES))
      await pb.write(request, MailboxRequest, { signal })
      const response = await pb.read(codec, { signal })
      await stream.close({ signal })
      return response
    } catch (err: any) {
      stream.abort(err)
      throw err
    }
  }

  private async openFetch (owner: MailboxOwner, storer: PeerId, epochs: number[], since: number | undefined, signal: AbortSignal): Promise<FetchSession> {
    const courierFor = this.courierFor(owner)
    const stream = await this.openStream(storer, { signal: this.perRequest(signal), ...(courierFor != null ? { courierFor } : {}) })
    try {
      const pb = pbStream(stream, framing(MAX_FRAME_BYTES))
      const fetch = { recipient: owner.peerId.toMultihash().bytes, epochs, ...(since != null ? { since: BigInt(since) } : {}) }
      await pb.write({ fetch }, MailboxRequest, { signal: this.perRequest(signal) })
      const { challenge } = await pb.read(FetchChallenge, { signal: this.perRequest(signal) })
      if (challenge.byteLength !== CHALLENGE_BYTES) throw new InvalidMailboxRequestError('the storer sent a malformed challenge')
      const signature = await signFetchProof(owner.privateKey, { storer, challenge, epochs })
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

  private async openWatch ({ owner, storer, epochs }: OwnWatch, signal: AbortSignal): Promise<OpenWatch> {
    const courierFor = this.courierFor(owner)
    const stream = await this.openStream(storer, { signal: this.perRequest(signal), ...(courierFor != null ? { courierFor } : {}) })
    return startWatch(stream, owner, storer, epochs, this.perRequest(signal))
  }

  /**
   * The mailbox a fetch of `owner`'s goes under (its courier's name): none for the PeerId's own
   * mailbox, read under the PeerId (its key names it anyway); every other one under a courier of
   * its own, so that the storer cannot tie them to each other
   */
  private courierFor (owner: MailboxOwner): Uint8Array | undefined {
    return owner.peerId.equals(this.components.peerId) ? undefined : owner.peerId.toMultihash().bytes
  }

  /**
   * The hosts closest to `key`: looked up under the courier of `courierFor` when this node has
   * couriers (courier-lookup.ts), else by this node's own hosts' DHT client
   */
  private async lookupHosts (key: Uint8Array, courierFor: Uint8Array | undefined, options: AbortOptions): Promise<PeerId[]> {
    if (courierFor == null || this.couriers == null) return this.hostRouting.closestHosts(key, options)
    await this.hostRouting.ensureHosts(options)
    const seeds = this.hostRouting.knownHosts(key, COURIER_LOOKUP_WIDTH)
    return lookupUnderCourier({ couriers: this.couriers, peerStore: this.components.peerStore, self: this.components.peerId, log: this.log }, courierFor, key, seeds, options)
  }

  /**
   * A mailbox stream to `storer`: over a courier for the mailbox `courierFor` names (a deposit's
   * key, or a fetch's owner) when this node has couriers, else over its own connections
   */
  private async openStream (storer: PeerId, options: CourierOptions): Promise<Stream> {
    if (options.courierFor != null && this.couriers != null) return this.couriers.open(options.courierFor, storer, PROTOCOL, options)
    return openStreamOnAnyConnection(this.components.connectionManager, storer, PROTOCOL, options)
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

  /**
   * Hosts to deposit with, closest to `key` first: the DHT lookup's, then any closer-ranked
   * hosts this node knows that the lookup missed (a lookup can fail where a host is known)
   */
  private async candidates (key: Uint8Array, options: AbortOptions): Promise<PeerId[]> {
    const now = Date.now()
    // one lookup serves every envelope to this recipient for a while (a backlog is many)
    let found = this.recalled(key)
    if (found == null) {
      found = await this.lookupHosts(key, key, options).catch((err: any) => {
        options.signal?.throwIfAborted()
        this.log('looking up the hosts closest to a mailbox key failed - %s', err.message)
        return []
      })
      this.remember(key, found)
    }
    for (const [peer, until] of this.unresponsive) if (until <= now) this.unresponsive.delete(peer)
    const listed = new Set(found.map(p => p.toString()))
    return [...found, ...this.hostRouting.knownHosts(key, MAX_CANDIDATES).filter(p => !listed.has(p.toString()))]
      .filter(p => !this.unresponsive.has(p.toString()))
  }

  /** The hosts a lookup found closest to `key` in the last HOST_LOOKUP_CACHE_MS, if one did */
  private recalled (key: Uint8Array): PeerId[] | undefined {
    const cached = this.lookups.get(toHex(key, 'base16'))
    return cached != null && cached.expires > Date.now() ? cached.hosts : undefined
  }

  private remember (key: Uint8Array, hosts: PeerId[]): void {
    const now = Date.now()
    if (hosts.length > 0) this.lookups.set(toHex(key, 'base16'), { hosts, expires: now + HOST_LOOKUP_CACHE_MS })
    for (const [k, entry] of this.lookups) if (entry.expires <= now) this.lookups.delete(k)
  }

  /** Looked up at use: the hosts' DHT is a sibling service */
  private get hostRouting (): MailboxHostRouting {
    return this.components.mailboxHosts
  }

  private async onNotice (stream: Stream, connection: Connection): Promise<void> {
    try {
      const pb = pbStream(stream, framing(64))
      await pb.read(MailboxNotice, { signal: AbortSignal.timeout(this.requestTimeoutMs) })
      await stream.close()
      this.safeDispatchEvent('notice', { detail: connection.remotePeer })
    } catch (err: any) {
      stream.abort(err)
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
