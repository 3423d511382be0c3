import { setMaxListeners } from '@libp2p/interface'
import { FETCH_INTERVAL_MS, FETCH_WINDOW_MS } from '../protocols/mailbox/constants.ts'
import { CoalescingRuns } from '../utils/coalescing-runs.ts'
import { RetrySchedule } from '../utils/retry-schedule.ts'
import { GROUP_COLLECT_RETRY_BASE_MS, GROUP_COLLECT_TIMEOUT_MS } from './constants.ts'
import type { GroupMailbox } from './group-mailbox.ts'
import type { EpochSecret } from './group-record.ts'
import type { Groups } from './groups.ts'
import type { AbortOptions, Logger } from '@libp2p/interface'

export interface GroupCatchUpComponents {
  groups: Groups
  mailbox: GroupMailbox
  self: string
  /** Reads envelopes fetched from the mailbox of `secret`'s epoch of `group`, in the order given */
  take: (group: string, secret: EpochSecret, envelopes: Uint8Array[]) => Promise<void>
  /** A round read every mailbox of `group` (each from at least one storer) */
  caughtUp?: (group: string) => Promise<void>
  /** Resolves once storers can be looked up (the DHT has peers) and the mail that came at start is in (its group updates and keys) */
  ready: (signal: AbortSignal) => Promise<void>
  log: Logger
}

export interface GroupCatchUpInit {
  /** @default FETCH_INTERVAL_MS */
  intervalMs?: number
  /** A round cut short goes again after half to all of this, doubling up to `intervalMs`. @default GROUP_COLLECT_RETRY_BASE_MS */
  retryBaseMs?: number
  /** @default GROUP_COLLECT_TIMEOUT_MS */
  collectTimeoutMs?: number
}

/** What one round of reading a group's mailboxes came to */
interface Round {
  fetched: number
  /** Every mailbox was read, each from at least one storer */
  complete: boolean
}

/**
 * When a member reads its groups' mailboxes: at start, every `intervalMs` (as it reads its own),
 * and for one group as soon as a secret of a new epoch arrives (`collect(group)`), since only
 * then can it read what was sent in that epoch while it was away. Each round also tries again
 * this node's deposits that fell short. One round per group at a time; a call during one makes
 * it go round once more. A round that failed, ran out of time or reached no storer goes again
 * soon (on a backoff, from where it stopped) rather than at the next interval, and only a round
 * that read everything tells `caughtUp`: until then the gossip that came meanwhile stays held,
 * so that what the member missed lands first.
 */
export class GroupCatchUp {
  private readonly groups: Groups
  private readonly mailbox: GroupMailbox
  private readonly self: string
  private readonly take: GroupCatchUpComponents['take']
  private readonly caughtUp: NonNullable<GroupCatchUpComponents['caughtUp']>
  private readonly ready: GroupCatchUpComponents['ready']
  private readonly log: Logger
  private readonly intervalMs: number
  private readonly collectTimeoutMs: number
  private readonly runs: CoalescingRuns<string, number>
  private readonly retries: RetrySchedule<string>
  private readonly shutdown = new AbortController()
  private timer?: ReturnType<typeof setInterval>
  private running = false
  /** group -> the secrets (epoch!chooser) this node read its mailboxes with, or is about to */
  private readonly secretsRead = new Map<string, Set<string>>()
  private readonly onGroup = (evt: CustomEvent<{ id: string }>): void => {
    this.newSecrets(evt.detail.id).then(fresh => {
      if (fresh && this.running) return this.collect(evt.detail.id)
    }).catch(err => { this.log('reading the mailbox of group %s after a change failed - %s', evt.detail.id, err.message) })
  }

  constructor (components: GroupCatchUpComponents, init: GroupCatchUpInit = {}) {
    this.groups = components.groups
    this.mailbox = components.mailbox
    this.self = components.self
    this.take = components.take
    this.caughtUp = components.caughtUp ?? (async () => {})
    this.ready = components.ready
    this.log = components.log
    this.intervalMs = init.intervalMs ?? FETCH_INTERVAL_MS
    this.collectTimeoutMs = init.collectTimeoutMs ?? GROUP_COLLECT_TIMEOUT_MS
    this.runs = new CoalescingRuns(async group => this.round(group), () => this.running)
    this.retries = new RetrySchedule({ baseMs: init.retryBaseMs ?? GROUP_COLLECT_RETRY_BASE_MS, maxMs: this.intervalMs }, group => {
      this.collect(group).catch(err => { this.log('reading the mailbox of group %s again failed - %s', group, err.message) })
    })
    setMaxListeners(Infinity, this.shutdown.signal)
  }

  start (): void {
    this.running = true
    this.groups.addEventListener('group', this.onGroup)
    this.collectAllSoon()
    this.timer = setInterval(() => { this.collectAllSoon() }, this.intervalMs)
    this.timer.unref?.()
  }

  /** Aborts the rounds under way and waits for them */
  async stop (): Promise<void> {
    this.running = false
    this.groups.removeEventListener('group', this.onGroup)
    clearInterval(this.timer)
    this.retries.clear()
    this.shutdown.abort()
    await Promise.allSettled(this.runs.underWay())
  }

  /** Reads the mailboxes of `group`'s recent epochs now; resolves with how many envelopes came */
  async collect (group: string): Promise<number> {
    return await this.runs.run(group) ?? 0
  }

  /** Every group's, and the deposits that fell short */
  async collectAll (options: AbortOptions = {}): Promise<number> {
    await this.mailbox.retry(async pending => {
      const record = await this.groups.record(pending.group, options).catch(() => undefined)
      return record?.secretsOf(pending.epoch).find(s => s.from === pending.from)?.secret
    }, { signal: this.signal(options) })
    let fetched = 0
    for (const state of await this.groups.list(options)) {
      if (!state.members.includes(this.self)) continue
      // one group's failure (it goes again on its own) must not keep the others unread
      fetched += await this.collect(state.id).catch(err => {
        if (this.shutdown.signal.aborted) throw err
        options.signal?.throwIfAborted()
        this.log('reading the mailbox of group %s failed - %s', state.id, err.message)
        return 0
      })
    }
    return fetched
  }

  private collectAllSoon (): void {
    this.collectAll().catch(err => { this.log('reading the group mailboxes failed - %s', err.message) })
  }

  /** One round, then what its outcome calls for: the gossip held released, or another round soon */
  private async round (group: string): Promise<number> {
    let complete = false
    try {
      const round = await this.collectOnce(group)
      complete = round.complete
      return round.fetched
    } finally {
      if (complete) {
        this.retries.reset(group)
        await this.caughtUp(group).catch(err => { this.log('taking what gossip brought to group %s meanwhile failed - %s', group, err.message) })
      } else if (this.running) {
        this.log('reading the mailbox of group %s was cut short; going again soon', group)
        this.retries.schedule(group)
      }
    }
  }

  private async collectOnce (group: string): Promise<Round> {
    // not counted against the round's time: a slow start is not a slow mailbox
    await this.ready(this.shutdown.signal)
    const signal = this.signal()
    const record = await this.groups.record(group, { signal })
    const secrets = record.mailboxSecrets(this.self, Date.now(), FETCH_WINDOW_MS)
    this.secretsRead.set(group, new Set(secrets.map(nameOf)))
    const round: Round = { fetched: 0, complete: true }
    const started = Date.now()
    for (const secret of secrets) {
      const collected = await this.mailbox.collect(group, secret.secret, async envelopes => { await this.take(group, secret, envelopes) }, { signal }).catch(err => {
        this.log('reading the mailbox of group %s failed - %s', group, err.message)
        return undefined
      })
      round.fetched += collected?.fetched ?? 0
      if (collected == null || collected.storers === 0) round.complete = false
      if (signal.aborted) break
    }
    this.log('read %d envelope(s) from the mailbox of group %s in %d ms (%s)', round.fetched, group, Date.now() - started, round.complete ? 'all of it' : 'cut short')
    return round
  }

  /** Whether `group` has secrets this node has not read its mailboxes with yet */
  private async newSecrets (group: string): Promise<boolean> {
    const record = await this.groups.record(group)
    const read = this.secretsRead.get(group) ?? new Set()
    return record.mailboxSecrets(this.self, Date.now(), FETCH_WINDOW_MS).some(s => !read.has(nameOf(s)))
  }

  private signal (options: AbortOptions = {}): AbortSignal {
    const signal = AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(this.collectTimeoutMs), ...options.signal != null ? [options.signal] : []])
    setMaxListeners(Infinity, signal)
    return signal
  }
}

const nameOf = (secret: EpochSecret): string => `${secret.epoch}!${secret.from}`
