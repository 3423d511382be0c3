import { peerIdFromString } from '@libp2p/peer-id'
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
 * request, and at once from a storer that sends a notice that it holds mail. After each
 * collection it renews its watches on its storers (`Mailbox.watch`), which send such a notice
 * whenever mail is left while it runs. What is fetched goes to the mailbox service's handler
 * (the receive pipeline).
 */
export class MailboxSync {
  private readonly fetchIntervalMs: number
  private readonly collections: CoalescingRuns<'all', CollectResult>
  /**
   * Fetches from storers that sent a notice, each at once, beside any running collection; a
   * notice during a storer's fetch makes it fetch again after (the mail may have come too late
   * for the first)
   */
  private readonly noticed: CoalescingRuns<string, unknown>
  private readonly shutdown = new AbortController()
  private fetchTimer?: ReturnType<typeof setInterval>
  private running = false
  /** The collection at start, settled either way */
  private first: Promise<void> = Promise.resolve()

  constructor (private readonly node: ParleyNode, private readonly log: Logger, init: MailboxSyncInit = {}) {
    this.fetchIntervalMs = init.fetchIntervalMs ?? FETCH_INTERVAL_MS
    this.collections = new CoalescingRuns(async () => this.collectOnce(), () => this.running)
    this.noticed = new CoalescingRuns(async storer => this.fetchNoticed(storer), () => this.running)
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
    await Promise.allSettled([...this.collections.underWay(), ...this.noticed.underWay()])
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
    const result = await this.node.services.mailbox.collect({ signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(COLLECT_TIMEOUT_MS)]) })
    // the storers that hold this node's mail now are the ones to watch
    if (this.running) {
      this.node.services.mailbox.watch({ signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(LOOKUP_TIMEOUT_MS)]) })
        .catch(err => { this.log('watching the mailboxes failed - %s', err.message) })
    }
    return result
  }

  /**
   * A storer that says it holds mail is asked at once, even if the DHT does not list it and
   * while a full collection is still looking the hosts up
   */
  private onNotice (evt: CustomEvent<PeerId>): void {
    if (!this.running) return
    const storer = evt.detail
    this.noticed.run(storer.toString()).catch(err => { this.log('fetching from %p after its notice failed - %s', storer, err.message) })
  }

  private async fetchNoticed (storer: string): Promise<unknown> {
    return this.node.services.mailbox.collect({ storers: [peerIdFromString(storer)], lookup: false, signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(COLLECT_TIMEOUT_MS)]) })
  }
}
