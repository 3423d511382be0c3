import { CoalescingRuns } from '../utils/coalescing-runs.ts'
import { COLLECT_TIMEOUT_MS, FETCH_INTERVAL_MS, LOOKUP_TIMEOUT_MS } from './constants.ts'
import { dhtReady } from './dht-ready.ts'
import type { ParleyNode } from '../node/create-node.ts'
import type { CollectResult } from '../protocols/mailbox/index.ts'
import type { Logger, PeerId } from '@libp2p/interface'

export interface MailboxSyncInit {
  /** How often the node checks its mailboxes while running. @default FETCH_INTERVAL_MS */
  fetchIntervalMs?: number
}

const NOTHING: CollectResult = { storers: 0, fetched: 0, acked: 0 }

/**
 * Fetches what this node's mailbox storers hold for it: at start, every `fetchIntervalMs`, on
 * request, and at once from a storer that sends a notice that it holds mail. What is fetched
 * goes to the mailbox service's handler (the receive pipeline).
 */
export class MailboxSync {
  private readonly fetchIntervalMs: number
  private readonly collections: CoalescingRuns<'all', CollectResult>
  /** Fetches from storers that sent a notice, each at once, beside any running collection */
  private readonly noticed = new Map<string, Promise<unknown>>()
  private readonly shutdown = new AbortController()
  private fetchTimer?: ReturnType<typeof setInterval>
  private running = false
  /** The collection at start, settled either way */
  private first: Promise<void> = Promise.resolve()

  constructor (private readonly node: ParleyNode, private readonly log: Logger, init: MailboxSyncInit = {}) {
    this.fetchIntervalMs = init.fetchIntervalMs ?? FETCH_INTERVAL_MS
    this.collections = new CoalescingRuns(async () => this.collectOnce(), () => this.running)
    this.onNotice = this.onNotice.bind(this)
  }

  start (): void {
    this.running = true
    this.node.services.mailbox.addEventListener('notice', this.onNotice)
    this.first = this.collect().then(() => {}, err => { this.log('checking the mailboxes failed - %s', err.message) })
    this.fetchTimer = setInterval(() => { this.collectSoon() }, this.fetchIntervalMs)
    this.fetchTimer.unref?.()
  }

  /** Starts no new collection (the node is stopping); those under way go on until `stop` */
  stopFetching (): void {
    this.running = false
    clearInterval(this.fetchTimer)
    this.node.services.mailbox.removeEventListener('notice', this.onNotice)
  }

  /** Aborts the collections under way and waits for them */
  async stop (): Promise<void> {
    this.stopFetching()
    this.shutdown.abort()
    await Promise.allSettled([...this.collections.underWay(), ...this.noticed.values()])
  }

  /**
   * Fetches this node's mailboxes now. Runs one collection at a time; a call during one waits
   * for a fresh one after it.
   */
  async collect (): Promise<CollectResult> {
    return await this.collections.run('all') ?? NOTHING
  }

  /** Resolves once the collection at start has ended, whatever became of it */
  async started (): Promise<void> {
    await this.first
  }

  private collectSoon (): void {
    this.collect().catch(err => { this.log('checking the mailboxes failed - %s', err.message) })
  }

  private async collectOnce (): Promise<CollectResult> {
    await dhtReady(this.node, AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(LOOKUP_TIMEOUT_MS)]))
    if (!this.running) return NOTHING
    return this.node.services.mailbox.collect({ signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(COLLECT_TIMEOUT_MS)]) })
  }

  /**
   * A storer that says it holds mail is asked at once, even if the DHT does not list it and
   * while a full collection is still looking the hosts up
   */
  private onNotice (evt: CustomEvent<PeerId>): void {
    const storer = evt.detail
    const key = storer.toString()
    if (!this.running || this.noticed.has(key)) return
    const run = this.node.services.mailbox.collect({ storers: [storer], lookup: false, signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(COLLECT_TIMEOUT_MS)]) })
      .catch(err => { this.log('fetching from %p after its notice failed - %s', storer, err.message) })
      .finally(() => { this.noticed.delete(key) })
    this.noticed.set(key, run)
  }
}
