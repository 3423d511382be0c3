import { setMaxListeners } from '@libp2p/interface'
import { FETCH_INTERVAL_MS, FETCH_WINDOW_MS } from '../protocols/mailbox/constants.ts'
import { CoalescingRuns } from '../utils/coalescing-runs.ts'
import { GROUP_COLLECT_TIMEOUT_MS } from './constants.ts'
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
  /** A round of reading `group`'s mailboxes ended (whatever came of it) */
  caughtUp?: (group: string) => Promise<void>
  /** Resolves once storers can be looked up (the DHT has peers) and the mail that came at start is in (its group updates and keys) */
  ready: (signal: AbortSignal) => Promise<void>
  log: Logger
}

export interface GroupCatchUpInit {
  /** @default FETCH_INTERVAL_MS */
  intervalMs?: number
}

/**
 * When a member reads its groups' mailboxes: at start, every `intervalMs` (as it reads its own),
 * and for one group as soon as a secret of a new epoch arrives (`collect(group)`), since only
 * then can it read what was sent in that epoch while it was away. Each round also tries again
 * this node's deposits that fell short. One round per group at a time; a call during one makes
 * it go round once more.
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
  private readonly runs: CoalescingRuns<string, number>
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
    this.runs = new CoalescingRuns(async group => this.collectOnce(group).finally(() => this.caughtUp(group).catch(err => {
      this.log('taking what gossip brought to group %s meanwhile failed - %s', group, err.message)
    })), () => this.running)
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
      if (state.members.includes(this.self)) fetched += await this.collect(state.id)
    }
    return fetched
  }

  private collectAllSoon (): void {
    this.collectAll().catch(err => { this.log('reading the group mailboxes failed - %s', err.message) })
  }

  private async collectOnce (group: string): Promise<number> {
    const signal = this.signal()
    await this.ready(signal)
    const record = await this.groups.record(group, { signal })
    const secrets = record.mailboxSecrets(this.self, Date.now(), FETCH_WINDOW_MS)
    this.secretsRead.set(group, new Set(secrets.map(nameOf)))
    let fetched = 0
    for (const secret of secrets) {
      fetched += await this.mailbox.collect(group, secret.secret, async envelopes => { await this.take(group, secret, envelopes) }, { signal }).catch(err => {
        signal.throwIfAborted()
        this.log('reading the mailbox of group %s failed - %s', group, err.message)
        return 0
      })
    }
    if (fetched > 0) this.log('read %d envelope(s) from the mailbox of group %s', fetched, group)
    return fetched
  }

  /** Whether `group` has secrets this node has not read its mailboxes with yet */
  private async newSecrets (group: string): Promise<boolean> {
    const record = await this.groups.record(group)
    const read = this.secretsRead.get(group) ?? new Set()
    return record.mailboxSecrets(this.self, Date.now(), FETCH_WINDOW_MS).some(s => !read.has(nameOf(s)))
  }

  private signal (options: AbortOptions = {}): AbortSignal {
    const signal = AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(GROUP_COLLECT_TIMEOUT_MS), ...options.signal != null ? [options.signal] : []])
    setMaxListeners(Infinity, signal)
    return signal
  }
}

const nameOf = (secret: EpochSecret): string => `${secret.epoch}!${secret.from}`
