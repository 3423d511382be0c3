import { fromString as fromBase64 } from 'uint8arrays/from-string'
import { toString as toBase64 } from 'uint8arrays/to-string'
import { QuotaExceededError, ReplayedEnvelopeError } from './errors.ts'
import { envelopeHash } from './proofs.ts'
import type { AbortOptions } from '@libp2p/interface'
import type { AbstractLevel, AbstractSublevel } from 'abstract-level'

type Db = AbstractLevel<any, string, any>
type Sub<V> = AbstractSublevel<Db, any, string, V>

export interface MailboxStoreInit {
  /** Total bytes held (envelopes and stamps) */
  maxBytes: number
  maxBytesPerKey: number
  maxItemsPerKey: number
  /** Bytes one depositor (the peer that stored them) may have here */
  maxBytesPerDepositor: number
  ttlMs: number
  /** The clock, for tests */
  now?: () => number
}

export interface MailboxItem {
  key: Uint8Array
  hash: Uint8Array
  envelope: Uint8Array
  stamp?: Uint8Array
  depositor: string
  storedAt: number
  expiresAt: number
}

interface StoredValue {
  envelope: string
  stamp?: string
  depositor: string
  expiresAt: number
  /** Bytes charged: envelope and stamp */
  size: number
}

interface Usage {
  bytes: number
  items: number
}

const TIME_WIDTH = 15
const hex = (bytes: Uint8Array): string => toBase64(bytes, 'base16')
const time = (ms: number): string => ms.toString().padStart(TIME_WIDTH, '0')

/**
 * What a storer holds for others, in LevelDB. Layout (sublevels): `mailbox-items`
 * key!storedAt!hash -> envelope (a key's items in storage order); `mailbox-index` key!hash ->
 * storedAt; `mailbox-gone` key!hash -> expiry of a tombstone (acked envelopes, refused if stored
 * again before they would have expired). Usage counters live in memory, rebuilt on open.
 */
export class MailboxStore {
  private readonly items: Sub<StoredValue>
  private readonly index: Sub<number>
  private readonly gone: Sub<number>
  private readonly init: MailboxStoreInit
  private readonly now: () => number
  private total: Usage = { bytes: 0, items: 0 }
  private readonly perKey = new Map<string, Usage>()
  private readonly perDepositor = new Map<string, number>()
  private tail: Promise<unknown> = Promise.resolve()

  constructor (db: Db, init: MailboxStoreInit) {
    this.items = db.sublevel<string, StoredValue>('mailbox-items', { valueEncoding: 'json' })
    this.index = db.sublevel<string, number>('mailbox-index', { valueEncoding: 'json' })
    this.gone = db.sublevel<string, number>('mailbox-gone', { valueEncoding: 'json' })
    this.init = init
    this.now = init.now ?? Date.now
  }

  /** Rebuilds the usage counters and drops what expired while the node was down */
  async open (): Promise<void> {
    await this.items.db.open() // a no-op when the node opened it already
    await this.sweep()
  }

  /**
   * Holds an envelope for `key`. A repeat of one held is `duplicate` (not charged again); one
   * acked before throws `ReplayedEnvelopeError`; one over a quota `QuotaExceededError`.
   */
  async put (item: { key: Uint8Array, envelope: Uint8Array, stamp?: Uint8Array, depositor: string }, options: AbortOptions = {}): Promise<{ hash: Uint8Array, expiresAt: number, duplicate: boolean }> {
    const hash = envelopeHash(item.envelope)
    const keyHex = hex(item.key)
    const id = `${keyHex}!${hex(hash)}`
    return this.serial(async () => {
      options.signal?.throwIfAborted()
      const storedAt = await this.index.get(id)
      if (storedAt !== undefined) {
        const held = await this.items.get(`${keyHex}!${time(storedAt)}!${hex(hash)}`)
        if (held != null) return { hash, expiresAt: held.expiresAt, duplicate: true }
      }
      const tombstone = await this.gone.get(id)
      if (tombstone !== undefined && tombstone > this.now()) {
        throw new ReplayedEnvelopeError('this envelope was delivered and deleted here already')
      }
      const size = item.envelope.byteLength + (item.stamp?.byteLength ?? 0)
      const key = this.perKey.get(keyHex) ?? { bytes: 0, items: 0 }
      const depositor = this.perDepositor.get(item.depositor) ?? 0
      if (key.items + 1 > this.init.maxItemsPerKey) {
        throw new QuotaExceededError(`this mailbox is full: ${this.init.maxItemsPerKey} envelopes wait for its owner`)
      }
      if (key.bytes + size > this.init.maxBytesPerKey) {
        throw new QuotaExceededError(`this mailbox is full: ${this.init.maxBytesPerKey} bytes wait for its owner`)
      }
      if (depositor + size > this.init.maxBytesPerDepositor) {
        throw new QuotaExceededError(`you have ${this.init.maxBytesPerDepositor} bytes stored here already`)
      }
      if (this.total.bytes + size > this.init.maxBytes) {
        throw new QuotaExceededError(`this storer's budget of ${this.init.maxBytes} bytes is used up`)
      }
      const now = this.now()
      const expiresAt = now + this.init.ttlMs
      const value: StoredValue = {
        envelope: toBase64(item.envelope, 'base64'),
        ...(item.stamp != null ? { stamp: toBase64(item.stamp, 'base64') } : {}),
        depositor: item.depositor,
        expiresAt,
        size
      }
      await this.items.db.batch()
        .put(`${keyHex}!${time(now)}!${hex(hash)}`, value, { sublevel: this.items })
        .put(id, now, { sublevel: this.index })
        .del(id, { sublevel: this.gone })
        .write()
      this.count1(keyHex, item.depositor, size, 1)
      return { hash, expiresAt, duplicate: false }
    })
  }

  /** Unexpired envelopes for `key` in storage order, up to about `maxBytes` (at least one) */
  async list (key: Uint8Array, options: AbortOptions & { maxBytes?: number } = {}): Promise<MailboxItem[]> {
    const keyHex = hex(key)
    const now = this.now()
    const found: MailboxItem[] = []
    let bytes = 0
    for await (const [k, value] of this.items.iterator({ gt: `${keyHex}!`, lt: `${keyHex}"` })) {
      options.signal?.throwIfAborted()
      if (value.expiresAt <= now) continue
      const envelope = fromBase64(value.envelope, 'base64')
      if (options.maxBytes != null && found.length > 0 && bytes + envelope.byteLength > options.maxBytes) break
      bytes += envelope.byteLength
      const [, storedAt, hashHex] = k.split('!')
      found.push({
        key,
        hash: fromBase64(hashHex, 'base16'),
        envelope,
        ...(value.stamp != null ? { stamp: fromBase64(value.stamp, 'base64') } : {}),
        depositor: value.depositor,
        storedAt: Number(storedAt),
        expiresAt: value.expiresAt
      })
    }
    return found
  }

  /** Those of `hashes` this storer neither holds nor deleted after delivery */
  async missing (key: Uint8Array, hashes: Uint8Array[]): Promise<Uint8Array[]> {
    const keyHex = hex(key)
    const ids = hashes.map(h => `${keyHex}!${hex(h)}`)
    const [held, gone] = await Promise.all([this.index.getMany(ids), this.gone.getMany(ids)])
    return hashes.filter((_, i) => held[i] === undefined && gone[i] === undefined)
  }

  /** Deletes the envelopes the owner took, leaving tombstones until they would have expired */
  async ack (key: Uint8Array, hashes: Uint8Array[], options: AbortOptions = {}): Promise<number> {
    const keyHex = hex(key)
    return this.serial(async () => {
      options.signal?.throwIfAborted()
      const batch = this.items.db.batch()
      const removed: Array<{ depositor: string, size: number }> = []
      for (const hash of hashes) {
        const id = `${keyHex}!${hex(hash)}`
        const storedAt = await this.index.get(id)
        if (storedAt === undefined) continue
        const itemKey = `${keyHex}!${time(storedAt)}!${hex(hash)}`
        const value = await this.items.get(itemKey)
        batch.del(id, { sublevel: this.index })
        if (value == null) continue
        batch.del(itemKey, { sublevel: this.items }).put(id, value.expiresAt, { sublevel: this.gone })
        removed.push({ depositor: value.depositor, size: value.size })
      }
      await batch.write()
      for (const { depositor, size } of removed) this.count1(keyHex, depositor, -size, -1)
      return removed.length
    })
  }

  /** Deletes expired envelopes and tombstones and recounts usage; returns envelopes deleted */
  async sweep (options: AbortOptions = {}): Promise<number> {
    return this.serial(async () => {
      const now = this.now()
      const batch = this.items.db.batch()
      let deleted = 0
      this.total = { bytes: 0, items: 0 }
      this.perKey.clear()
      this.perDepositor.clear()
      for await (const [k, value] of this.items.iterator()) {
        options.signal?.throwIfAborted()
        const [keyHex, , hashHex] = k.split('!')
        if (value.expiresAt <= now) {
          batch.del(k, { sublevel: this.items }).del(`${keyHex}!${hashHex}`, { sublevel: this.index })
          deleted++
          continue
        }
        this.count1(keyHex, value.depositor, value.size, 1)
      }
      for await (const [k, expiry] of this.gone.iterator()) {
        if (expiry <= now) batch.del(k, { sublevel: this.gone })
      }
      await batch.write()
      return deleted
    })
  }

  /** The mailbox keys with envelopes held */
  async keys (): Promise<Uint8Array[]> {
    return [...this.perKey.entries()].filter(([, u]) => u.items > 0).map(([k]) => fromBase64(k, 'base16'))
  }

  count (key: Uint8Array): number {
    return this.perKey.get(hex(key))?.items ?? 0
  }

  usage (): Usage {
    return { ...this.total }
  }

  private count1 (keyHex: string, depositor: string, bytes: number, items: number): void {
    const key = this.perKey.get(keyHex) ?? { bytes: 0, items: 0 }
    key.bytes += bytes
    key.items += items
    if (key.items <= 0) this.perKey.delete(keyHex)
    else this.perKey.set(keyHex, key)
    const left = (this.perDepositor.get(depositor) ?? 0) + bytes
    if (left <= 0) this.perDepositor.delete(depositor)
    else this.perDepositor.set(depositor, left)
    this.total.bytes += bytes
    this.total.items += items
  }

  /** Read-check-write sequences one at a time, so concurrent puts cannot overshoot a quota */
  private async serial<T> (fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn)
    this.tail = result.catch(() => {})
    return result
  }
}
