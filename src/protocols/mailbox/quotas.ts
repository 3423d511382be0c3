import { InvalidStampError, QuotaExceededError } from './errors.ts'

export interface QuotaLimits {
  /** Total bytes held for everyone */
  maxBytes: number
  /** Bytes held under one mailbox key, i.e. for one recipient in one epoch */
  maxBytesPerKey: number
  /** Envelopes held under one mailbox key */
  maxItemsPerKey: number
  /** Bytes one depositor (the network deposits came from, `SourceTags`) may have here, under all keys */
  maxBytesPerDepositor: number
  /** Every item is charged at least this many bytes */
  minItemBytes: number
  /** Once a key holds this many items, an envelope for it needs a valid stamp */
  stampAfterItemsPerKey: number
  /** Once a key holds this many bytes, an envelope for it needs a valid stamp */
  stampAfterBytesPerKey: number
  /** Unstamped items one depositor may have under one key */
  maxUnstampedItemsPerDepositorKey: number
  /** Unstamped bytes one depositor may have under one key */
  maxUnstampedBytesPerDepositorKey: number
  /** The difficulty a stamp needs: named in the refusals that a stamp would lift */
  stampBits: number
}

export interface Usage {
  bytes: number
  items: number
}

/** One item as the counters see it */
export interface Charge {
  keyHex: string
  /** Whom it is charged to: a source tag (`SourceTags`), or EARLIER_SOURCE */
  depositor: string
  /** What the item is charged: `QuotaCounters.chargeFor` its envelope and stamp */
  bytes: number
  /** It came with a stamp that verified */
  stamped: boolean
}

/**
 * What a storer holds, counted in memory (in all, per key, per depositor, and unstamped per
 * depositor and key), and whether one more item is allowed. The caller serialises check and
 * add, so that concurrent puts cannot both take the last room.
 */
export class QuotaCounters {
  private readonly limits: QuotaLimits
  private readonly total: Usage = { bytes: 0, items: 0 }
  private readonly perKey = new Map<string, Usage>()
  private readonly perDepositor = new Map<string, number>()
  /** Unstamped items by `key!depositor` */
  private readonly unstamped = new Map<string, Usage>()

  constructor (limits: QuotaLimits) {
    this.limits = limits
  }

  /** What an item of `size` bytes (envelope and stamp) is charged */
  chargeFor (size: number): number {
    return Math.max(size, this.limits.minItemBytes)
  }

  /**
   * Throws if `item` would exceed a quota: a stamp could not help with the first four, checked
   * first so that a refusal asking for a stamp is one a stamp would lift
   *
   * @throws QuotaExceededError when it would exceed, in this order, the items per key, the bytes
   * per key, the depositor's bytes or the total bytes (the message names which)
   * @throws InvalidStampError when it is unstamped and the key is partly full, or the depositor
   * has its unstamped share of the key
   */
  check (item: Charge): void {
    const { maxItemsPerKey, maxBytesPerKey, maxBytesPerDepositor, maxBytes, stampBits } = this.limits
    const key = this.perKey.get(item.keyHex) ?? { bytes: 0, items: 0 }
    if (key.items + 1 > maxItemsPerKey) {
      throw new QuotaExceededError(`per-key item quota: a mailbox holds at most ${maxItemsPerKey} envelopes here`)
    }
    if (key.bytes + item.bytes > maxBytesPerKey) {
      throw new QuotaExceededError(`per-key byte quota: a mailbox holds at most ${maxBytesPerKey} bytes here`)
    }
    if ((this.perDepositor.get(item.depositor) ?? 0) + item.bytes > maxBytesPerDepositor) {
      throw new QuotaExceededError(`per-depositor byte quota: one source (an address, an IPv6 /64) may have at most ${maxBytesPerDepositor} bytes stored here`)
    }
    if (this.total.bytes + item.bytes > maxBytes) {
      throw new QuotaExceededError(`total byte quota: this storer holds at most ${maxBytes} bytes`)
    }
    if (item.stamped) return
    const { stampAfterItemsPerKey, stampAfterBytesPerKey, maxUnstampedItemsPerDepositorKey, maxUnstampedBytesPerDepositorKey } = this.limits
    if (key.items + 1 > stampAfterItemsPerKey || key.bytes + item.bytes > stampAfterBytesPerKey) {
      throw new InvalidStampError(`this mailbox is partly full (${stampAfterItemsPerKey} envelopes or ${stampAfterBytesPerKey} bytes): more need a stamp of ${stampBits} bits`, stampBits)
    }
    const mine = this.unstamped.get(`${item.keyHex}!${item.depositor}`) ?? { bytes: 0, items: 0 }
    if (mine.items + 1 > maxUnstampedItemsPerDepositorKey || mine.bytes + item.bytes > maxUnstampedBytesPerDepositorKey) {
      throw new InvalidStampError(`one peer may leave ${maxUnstampedItemsPerDepositorKey} envelopes or ${maxUnstampedBytesPerDepositorKey} bytes in a mailbox here without stamps: more need a stamp of ${stampBits} bits`, stampBits)
    }
  }

  add (item: Charge): void {
    this.count(item, 1)
  }

  remove (item: Charge): void {
    this.count(item, -1)
  }

  clear (): void {
    this.total.bytes = 0
    this.total.items = 0
    this.perKey.clear()
    this.perDepositor.clear()
    this.unstamped.clear()
  }

  /** The keys (hex) with items held */
  keys (): string[] {
    return [...this.perKey.keys()]
  }

  /** Items held under a key (hex) */
  items (keyHex: string): number {
    return this.perKey.get(keyHex)?.items ?? 0
  }

  usage (): Usage {
    return { ...this.total }
  }

  private count (item: Charge, sign: 1 | -1): void {
    const bytes = sign * item.bytes
    adjust(this.perKey, item.keyHex, bytes, sign)
    if (!item.stamped) adjust(this.unstamped, `${item.keyHex}!${item.depositor}`, bytes, sign)
    const left = (this.perDepositor.get(item.depositor) ?? 0) + bytes
    if (left <= 0) this.perDepositor.delete(item.depositor)
    else this.perDepositor.set(item.depositor, left)
    this.total.bytes += bytes
    this.total.items += sign
  }
}

/** Adds to one counter, dropping it when nothing is left */
function adjust (counters: Map<string, Usage>, id: string, bytes: number, items: number): void {
  const usage = counters.get(id) ?? { bytes: 0, items: 0 }
  usage.bytes += bytes
  usage.items += items
  if (usage.items <= 0) counters.delete(id)
  else counters.set(id, usage)
}
