import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { toString as toHex } from 'uint8arrays/to-string'
import { TTL_MS } from '../protocols/mailbox/index.ts'
import { SerialQueue } from '../utils/serial-queue.ts'
import { GroupSecret } from './group-secret.ts'
import type { EpochSecret } from './group-record.ts'
import type { CryptoProvider } from '../crypto/provider/types.ts'
import type { CollectResult, Mailbox } from '../protocols/mailbox/index.ts'
import type { GroupMailboxStore, PendingGroupDeposit } from '../storage/types.ts'
import type { AbortOptions, Ed25519PrivateKey, Logger } from '@libp2p/interface'

export interface GroupMailboxComponents {
  mailbox: Pick<Mailbox, 'deposit' | 'collectShared' | 'replicaTarget'>
  store: GroupMailboxStore
  provider: CryptoProvider
  log: Logger
}

/** A message of this node's to leave in its group's mailbox */
export type GroupDeposit = Omit<PendingGroupDeposit, 'holders' | 'epoch' | 'from'>

/** The mailbox identities derived so far, by secret (hex): each derivation is an HKDF and a key */
const MAX_CACHED_IDENTITIES = 256
/**
 * What one collection gathers before handing it over (each storer's part of a week's mailbox
 * is capped at 32 MiB, and a collection reads the recent weeks' of several storers)
 */
const MAX_GATHERED_BYTES = 8 * 1_024 * 1_024

/**
 * A group's mailbox: one per epoch secret, whose identity every member of the epoch derives
 * (`GroupSecret.mailboxIdentity`). Each message is deposited once, with the mailbox service's
 * replica count of storers, for the group's identity; members read it with a proof that identity
 * signs, never ack (the others still need it: storers keep it until their TTL) and ask each
 * storer only for what it stored since their last fetch from it (cursors kept on disk).
 *
 * A deposit that fewer storers took than should (none found yet, some refused) stays pending on
 * disk and is tried again (`retry`) until enough hold it or the storers would have dropped it.
 */
export class GroupMailbox {
  private readonly mailbox: GroupMailboxComponents['mailbox']
  private readonly store: GroupMailboxStore
  private readonly provider: CryptoProvider
  private readonly log: Logger
  private readonly identities = new Map<string, Promise<Ed25519PrivateKey>>()
  /**
   * Deposits one at a time, in the order sent: a member catching up reads in the order the
   * storers stored, and a later message's deposit overtaking an earlier one's would show them
   * swapped
   */
  private readonly queue = new SerialQueue()
  /** group!id of the deposits `deposit` has under way (`retry` leaves them to it) */
  private readonly underWay = new Set<string>()

  constructor (components: GroupMailboxComponents) {
    this.mailbox = components.mailbox
    this.store = components.store
    this.provider = components.provider
    this.log = components.log
  }

  /**
   * Notes the message as pending, then leaves it with storers; resolves with those that hold it.
   * The note lands first, so a stop or a crash mid-deposit leaves it to `retry`.
   */
  async deposit (deposit: GroupDeposit, secret: EpochSecret, options: AbortOptions = {}): Promise<string[]> {
    const pending: PendingGroupDeposit = { ...deposit, epoch: secret.epoch, from: secret.from, holders: [] }
    const key = `${pending.group}!${pending.id}`
    this.underWay.add(key)
    try {
      await this.store.putPending(pending, options)
      return await this.queue.run(async () => this.topUp(pending, secret.secret, options))
    } finally {
      this.underWay.delete(key)
    }
  }

  /**
   * Tries the pending deposits again, oldest first. `secretOf` gives the secret each was sealed
   * under; one whose group or secret is gone, or that the storers would have dropped by now, is
   * given up. A round stops at the first deposit no further storer took: the network has no more
   * to offer now (a small one may never have the replica count), and each try costs a lookup.
   */
  async retry (secretOf: (pending: PendingGroupDeposit) => Promise<Uint8Array | undefined>, options: AbortOptions = {}): Promise<void> {
    const waiting = (await this.store.pending(options)).sort((a, b) => a.sentAt - b.sentAt)
    for (const pending of waiting) {
      if (this.underWay.has(`${pending.group}!${pending.id}`)) continue
      const secret = Date.now() - pending.sentAt < TTL_MS ? await secretOf(pending) : undefined
      if (secret == null) {
        this.log('giving up leaving message %s in the mailbox of group %s', pending.id, pending.group)
        await this.store.deletePending(pending.group, pending.id, options)
        continue
      }
      const holders = await this.queue.run(async () => this.topUp(pending, secret, options)).catch(err => {
        options.signal?.throwIfAborted()
        this.log('leaving message %s in the mailbox of group %s failed again - %s', pending.id, pending.group, err.message)
        return pending.holders
      })
      if (holders.length === pending.holders.length) return
    }
  }

  /**
   * Reads the mailbox of `secret` from where this node left off. `take` gets what every storer
   * sent as one batch, each envelope once in the order a storer stored it (one it had before may
   * come again): storers hold different parts (each deposit went to the storers closest at the
   * time, and is topped up elsewhere), so only the whole can be put in writing order. Past
   * MAX_GATHERED_BYTES it gets what came so far, to bound memory. The cursors move on only once
   * `take` resolved; after a failure part way, what came is still taken. Resolves with how many
   * envelopes came, and from how many storers.
   */
  async collect (group: string, secret: Uint8Array, take: (envelopes: Uint8Array[]) => Promise<void>, options: AbortOptions = {}): Promise<{ fetched: number, storers: number }> {
    const identity = await this.identity(secret)
    const box = peerIdFromPrivateKey(identity).toString()
    const cursors = await this.store.cursors(group, box, options)
    let gathered: Uint8Array[] = []
    let bytes = 0
    /** A batch `take` failed on: the cursors stay where they were, and all of it comes again */
    let untaken: unknown
    const handOver = async (): Promise<void> => {
      const batch = gathered
      gathered = []
      bytes = 0
      if (batch.length === 0) return
      try {
        await take(batch)
      } catch (err) {
        untaken = err
        throw err
      }
    }
    let result: CollectResult | undefined
    let failure: unknown
    try {
      result = await this.mailbox.collectShared(identity, async (items) => {
        for (const { envelope } of items) {
          gathered.push(envelope)
          bytes += envelope.byteLength
        }
        if (bytes > MAX_GATHERED_BYTES) await handOver()
      }, { ...options, cursors })
    } catch (err) {
      failure = err
    }
    if (untaken != null) throw untaken
    await handOver()
    await this.store.setCursors(group, box, cursors)
    if (result == null) throw failure
    return { fetched: result.fetched, storers: result.storers }
  }

  private async topUp (pending: PendingGroupDeposit, secret: Uint8Array, options: AbortOptions): Promise<string[]> {
    const recipient = peerIdFromPrivateKey(await this.identity(secret))
    const { receipts } = await this.mailbox.deposit(recipient, pending.envelope, { ...options, holders: pending.holders })
    const holders = [...pending.holders, ...receipts.map(r => r.storer.toString())]
    if (holders.length >= this.mailbox.replicaTarget) await this.store.deletePending(pending.group, pending.id, options)
    else if (receipts.length > 0) await this.store.putPending({ ...pending, holders }, options)
    return holders
  }

  private async identity (secret: Uint8Array): Promise<Ed25519PrivateKey> {
    const key = toHex(this.provider.sha256(secret), 'base16')
    let identity = this.identities.get(key)
    if (identity == null) {
      identity = GroupSecret.from(this.provider, secret).mailboxIdentity()
      this.identities.set(key, identity)
      if (this.identities.size > MAX_CACHED_IDENTITIES) this.identities.delete(this.identities.keys().next().value!)
    }
    return identity
  }
}
