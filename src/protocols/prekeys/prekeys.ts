import { serviceCapabilities, setMaxListeners } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import { anySignal } from 'any-signal'
import { PQ_PREKEY_LABEL, SIGNED_PREKEY_LABEL } from '../../crypto/pqxdh/constants.ts'
import { signPrekey } from '../../crypto/pqxdh/pqxdh.ts'
import {
  EARLY_REPUBLISH_MS, MAX_INBOUND_STREAMS, MAX_ONE_TIME_PREKEYS, MAX_OUTBOUND_STREAMS, MAX_RECORD_BYTES, ONE_TIME_PREKEY_TTL_MS, PROTOCOL,
  REPUBLISH_INTERVAL_MS, REQUEST_TIMEOUT_MS, RETENTION_MS, ROTATION_INTERVAL_MS
} from './constants.ts'
import { NoPrekeyBundleError } from './errors.ts'
import { OneTimeBudget } from './one-time-budget.ts'
import { PrekeyRequest, PrekeyResponse } from './pb/prekeys.ts'
import { createPrekeyRecord, fromPb, prekeyRecordKey, readPrekeyRecord, toPb } from './record.ts'
import { signRequestsMailbox, verifyRequestsMailbox } from './requests-mailbox.ts'
import { MailboxIdentities } from '../mailbox/identities.ts'
import { openStreamOnAnyConnection } from '../../node/open-stream.ts'
import { framing } from '../length-prefix.ts'
import type { PrekeyBundle, PrekeyLookup } from '../../crypto/pqxdh/pqxdh.ts'
import type { KeyPair } from '../../crypto/provider/types.ts'
import type { PrekeyKind, StoredPrekey } from '../../storage/types.ts'
import type { FetchedBundle, PrekeysComponents, PrekeysInit } from './index.ts'
import type { RequestsMailbox } from './pb/prekeys.ts'
import type { AbortOptions, Connection, Logger, PeerId, Startable, Stream } from '@libp2p/interface'

/**
 * This node's prekeys: keeps a signed X25519 and ML-KEM-768 prekey (rotated weekly, old ones
 * kept a while for messages still on their way), publishes them as a signed DHT record, and hands
 * out one-time prekeys on `/parley/prekeys/1.0.0`. Also fetches other peers' bundles.
 */
export class Prekeys implements Startable, PrekeyLookup {
  readonly protocol = PROTOCOL
  private readonly components: PrekeysComponents
  private readonly init: PrekeysInit
  private readonly log: Logger
  private republish?: ReturnType<typeof setInterval>
  private readonly earlyRepublish: Array<ReturnType<typeof setTimeout>> = []
  private publishing?: AbortController
  private started = false
  private readonly firstPublish = Promise.withResolvers<void>()
  private readonly oneTimeBudget = new OneTimeBudget()
  /** This node's requests mailbox key, signed: in the record and every prekey response */
  private requests?: Promise<RequestsMailbox>

  /**
   * Resolves once the prekey record is in the DHT for the first time since start: from then on,
   * others can start sessions with this node while it is offline
   */
  get published (): Promise<void> {
    return this.firstPublish.promise
  }

  constructor (components: PrekeysComponents, init: PrekeysInit) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('parley:prekeys')
  }

  readonly [Symbol.toStringTag] = '@parley/prekeys'
  readonly [serviceCapabilities] = ['@parley/prekeys']

  async start (): Promise<void> {
    await this.rotateIfDue()
    await this.components.registrar.handle(this.protocol, this.onStream.bind(this), {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS,
      runOnLimitedConnection: true
    })
    this.started = true
  }

  /** Publishing waits for DHT peers, so it starts once the node is up and runs in the background */
  afterStart (): void {
    this.publishing = new AbortController()
    setMaxListeners(Infinity, this.publishing.signal)
    this.publishSoon()
    for (const delay of this.init.earlyRepublishMs ?? EARLY_REPUBLISH_MS) {
      const timer = setTimeout(() => { this.publishSoon() }, delay)
      timer.unref?.()
      this.earlyRepublish.push(timer)
    }
    this.republish = setInterval(() => {
      this.rotateIfDue().then(() => { this.publishSoon() }, err => { this.log.error('prekey rotation failed - %e', err) })
    }, this.init.republishIntervalMs ?? REPUBLISH_INTERVAL_MS)
    this.republish.unref?.()
  }

  async stop (): Promise<void> {
    clearInterval(this.republish)
    for (const timer of this.earlyRepublish) clearTimeout(timer)
    this.publishing?.abort()
    await this.components.registrar.unhandle(this.protocol)
    this.started = false
  }

  isStarted (): boolean {
    return this.started
  }

  /**
   * This node's bundle; with a fresh one-time prekey when asked (for a peer asking directly)
   * and fewer than MAX_ONE_TIME_PREKEYS are outstanding
   */
  async bundle (withOneTime: boolean, options: AbortOptions = {}): Promise<PrekeyBundle> {
    const current = await this.init.store.currentPrekeys(options)
    const signed = current == null ? undefined : await this.init.store.prekey('signed', current.signed, options)
    const pq = current == null ? undefined : await this.init.store.prekey('pq', current.pq, options)
    if (signed?.signature == null || pq?.signature == null) {
      throw new NoPrekeyBundleError('this node has no current prekeys')
    }
    const bundle: PrekeyBundle = {
      identityKey: this.components.privateKey.publicKey.raw,
      signedPrekey: { id: signed.id, publicKey: signed.publicKey, signature: signed.signature },
      pqPrekey: { id: pq.id, publicKey: pq.publicKey, signature: pq.signature }
    }
    const oneTime = withOneTime ? await this.newOneTimePrekey(options) : undefined
    return oneTime == null ? bundle : { ...bundle, oneTimePrekey: { id: oneTime.id, publicKey: oneTime.publicKey } }
  }

  /**
   * Another peer's bundle: asked of the peer itself when it can be reached (with a one-time
   * prekey), else read from its DHT record. Throws `NoPrekeyBundleError` when neither works.
   */
  async fetchBundle (peer: PeerId, options: AbortOptions = {}): Promise<FetchedBundle> {
    const signal = options.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    setMaxListeners(Infinity, signal)
    try {
      return await this.request(peer, { signal })
    } catch (err: any) {
      this.log('%p did not answer a prekey request (%s), trying the DHT', peer, err.message)
      signal.throwIfAborted()
    }
    try {
      return await this.lookup(peer, { signal })
    } catch (err: any) {
      throw new NoPrekeyBundleError(`no prekey bundle for ${peer.toString()}: it is unreachable and its DHT record could not be found (${err.message})`)
    }
  }

  async signedPrekey (id: number): Promise<KeyPair | undefined> {
    return this.pair('signed', id)
  }

  async pqPrekey (id: number): Promise<KeyPair | undefined> {
    return this.pair('pq', id)
  }

  async oneTimePrekey (id: number): Promise<KeyPair | undefined> {
    return this.pair('one-time', id)
  }

  private async pair (kind: PrekeyKind, id: number): Promise<KeyPair | undefined> {
    const stored = await this.init.store.prekey(kind, id)
    return stored == null ? undefined : { publicKey: stored.publicKey, privateKey: stored.privateKey }
  }

  private async request (peer: PeerId, options: AbortOptions): Promise<FetchedBundle> {
    const stream = await openStreamOnAnyConnection(this.components.connectionManager, peer, this.protocol, options)
    try {
      const pb = pbStream(stream, framing(MAX_RECORD_BYTES))
      await pb.write({}, PrekeyRequest, options)
      const response = await pb.read(PrekeyResponse, options)
      await stream.close(options)
      const bundle = fromPb(response.bundle)
      // (the bundle itself is checked where a session starts from it)
      const requestsMailbox = response.requests != null
        ? await verifyRequestsMailbox(bundle.identityKey, response.requests).catch(err => { this.log('%p sent a requests mailbox key that does not verify - %s', peer, err.message) })
        : undefined
      return requestsMailbox != null ? { ...bundle, requestsMailbox } : bundle
    } catch (err: any) {
      stream.abort(err)
      throw err
    }
  }

  private async lookup (peer: PeerId, options: AbortOptions): Promise<FetchedBundle> {
    const key = prekeyRecordKey(peer)
    const value = await this.components.contentRouting.get(key, options)
    const { bundle, requestsMailbox } = await readPrekeyRecord(key, value)
    return requestsMailbox != null ? { ...bundle, requestsMailbox } : bundle
  }

  private async requestsMailbox (): Promise<RequestsMailbox> {
    const identity = this.components.privateKey
    this.requests ??= new MailboxIdentities(identity).requests().then(async key => signRequestsMailbox(identity, key))
    return this.requests
  }

  private async onStream (stream: Stream, connection: Connection): Promise<void> {
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    try {
      // the request is empty: anything longer than a few bytes is not a prekey request
      const pb = pbStream(stream, framing(64))
      await pb.read(PrekeyRequest, { signal })
      const oneTime = await this.oneTimeBudget.allows(connection, async id => await this.init.store.prekey('one-time', id, { signal }) != null)
      const bundle = await this.bundle(oneTime, { signal })
      if (bundle.oneTimePrekey != null) this.oneTimeBudget.gave(connection, bundle.oneTimePrekey.id)
      await pb.write({ bundle: toPb(bundle), requests: await this.requestsMailbox() }, PrekeyResponse, { signal })
      await stream.close({ signal })
    } catch (err: any) {
      this.log('prekey request dropped - %s', err.message)
      stream.abort(err)
    }
  }

  /**
   * A new one-time prekey, or none while MAX_ONE_TIME_PREKEYS are outstanding: one handed out is
   * never dropped to make room (its sender would be locked out), only once ONE_TIME_PREKEY_TTL_MS
   * has passed unused
   */
  private async newOneTimePrekey (options: AbortOptions): Promise<StoredPrekey | undefined> {
    const now = Date.now()
    const all = await this.init.store.prekeys('one-time', options)
    const expired = all.filter(p => now - p.createdAt > ONE_TIME_PREKEY_TTL_MS)
    if (expired.length > 0) await this.init.store.deletePrekeys('one-time', expired.map(p => p.id), options)
    if (all.length - expired.length >= MAX_ONE_TIME_PREKEYS) {
      this.log('%d one-time prekeys outstanding: this bundle goes without one', MAX_ONE_TIME_PREKEYS)
      return undefined
    }
    const prekey = { id: this.newId(), ...await this.init.provider.x25519GenerateKeyPair(), createdAt: now }
    await this.init.store.putPrekey('one-time', prekey, options)
    return prekey
  }

  /** Makes new signed prekeys when there are none or they are older than the rotation interval */
  private async rotateIfDue (): Promise<void> {
    const store = this.init.store
    const current = await store.currentPrekeys()
    const signed = current == null ? undefined : await store.prekey('signed', current.signed)
    const now = Date.now()
    if (signed != null && now - signed.createdAt < (this.init.rotationIntervalMs ?? ROTATION_INTERVAL_MS)) {
      return
    }
    const identity = this.components.privateKey
    const [x, kem] = [await this.init.provider.x25519GenerateKeyPair(), await this.init.provider.mlKem768GenerateKeyPair()]
    const next = {
      signed: { id: this.newId(), ...x, createdAt: now, signature: await signPrekey(identity, SIGNED_PREKEY_LABEL, x.publicKey) },
      pq: { id: this.newId(), ...kem, createdAt: now, signature: await signPrekey(identity, PQ_PREKEY_LABEL, kem.publicKey) }
    }
    await store.putPrekey('signed', next.signed)
    await store.putPrekey('pq', next.pq)
    await store.setCurrentPrekeys({ signed: next.signed.id, pq: next.pq.id })
    for (const kind of ['signed', 'pq'] as const) {
      await store.deletePrekeys(kind, replacedLongAgo(await store.prekeys(kind), now).map(p => p.id))
    }
    this.log('made new signed prekeys %d and %d', next.signed.id, next.pq.id)
  }

  private publishSoon (): void {
    const signal = this.publishing?.signal
    if (signal == null || signal.aborted) return
    void (async () => {
      const record = await createPrekeyRecord(this.components.privateKey, await this.bundle(false), Date.now(), await this.requestsMailbox())
      const key = prekeyRecordKey(this.components.peerId)
      // kad-dht waits for routing table peers, so this resolves once the record is out
      const combined = anySignal([signal, AbortSignal.timeout(this.init.republishIntervalMs ?? REPUBLISH_INTERVAL_MS)])
      try {
        await this.components.contentRouting.put(key, record, { signal: combined })
        this.log('published the prekey record')
        this.firstPublish.resolve()
      } finally {
        combined.clear()
      }
    })().catch(err => {
      if (!signal.aborted) this.log('publishing the prekey record failed - %e', err)
    })
  }

  /** Random 31-bit ids: unique enough among a few thousand keys, and never reveal a count */
  private newId (): number {
    const bytes = this.init.provider.randomBytes(4)
    return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 1
  }
}

/**
 * The prekeys (oldest first) that were replaced more than RETENTION_MS ago: a prekey is replaced
 * when the next one is made, and messages sealed to it just before then (waiting in a mailbox)
 * must still open for RETENTION_MS after that, however long it was current.
 */
function replacedLongAgo (oldestFirst: StoredPrekey[], now: number): StoredPrekey[] {
  return oldestFirst.filter((_, i) => i + 1 < oldestFirst.length && now - oldestFirst[i + 1].createdAt > RETENTION_MS)
}
