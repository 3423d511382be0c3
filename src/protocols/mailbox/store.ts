import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { plainCodec } from '../../storage/at-rest.ts'
import { StorageCorruptError } from '../../storage/errors.ts'
import { SerialQueue } from '../../utils/serial-queue.ts'
import {
  MAX_UNSTAMPED_BYTES_PER_DEPOSITOR_KEY, MAX_UNSTAMPED_ITEMS_PER_DEPOSITOR_KEY, MIN_ITEM_CHARGE_BYTES, STAMP_AFTER_BYTES_PER_KEY,
  STAMP_AFTER_ITEMS_PER_KEY
} from './constants.ts'
import { ReplayedEnvelopeError } from './errors.ts'
import { envelopeHash } from './proofs.ts'
import { QuotaCounters } from './quotas.ts'
import { EARLIER_SOURCE } from './source-tag.ts'
import { STAMP_BITS, verifyStamp } from './stamp.ts'
import { ITEM, MailboxTables, NO_VALUE, TOMBSTONE, batchOf, convertMailboxTables, time } from './store-tables.ts'
import type { Charge, QuotaLimits, Usage } from './quotas.ts'
import type { ItemMeta } from './store-tables.ts'
import type { AtRestCodec } from '../../storage/at-rest.ts'
import type { WriteOp } from '../../storage/types.ts'
import type { AbortOptions } from '@libp2p/interface'
import type { AbstractLevel } from 'abstract-level'

type Db = AbstractLevel<any, string, any>

/** The limits that default to their constants when omitted */
type StampLimits = 'minItemBytes' | 'stampAfterItemsPerKey' | 'stampAfterBytesPerKey' | 'maxUnstampedItemsPerDepositorKey' | 'maxUnstampedBytesPerDepositorKey' | 'stampBits'

/**
 * Byte limits count what each item is charged: its envelope and stamp, at least `minItemBytes`
 * (default `MIN_ITEM_CHARGE_BYTES`). A stamp counts when it verifies at `stampBits` (default
 * `STAMP_BITS`) for its key and envelope; the limits on unstamped items default to
 * `STAMP_AFTER_ITEMS_PER_KEY`, `STAMP_AFTER_BYTES_PER_KEY`, `MAX_UNSTAMPED_ITEMS_PER_DEPOSITOR_KEY`
 * and `MAX_UNSTAMPED_BYTES_PER_DEPOSITOR_KEY`.
 */
export interface MailboxStoreInit extends Omit<QuotaLimits, StampLimits>, Partial<Pick<QuotaLimits, StampLimits>> {
  /** How long an envelope is held from the time it is stored */
  ttlMs: number
  /** The clock, in ms since the Unix epoch. @default Date.now */
  now?: () => number
  /**
   * How the data directory stores what it holds: under a passphrase, the tables are sealed (see
   * `MailboxTables`). @default plainCodec
   */
  atRest?: AtRestCodec
}

/** One envelope held for a mailbox key */
export interface MailboxItem {
  key: Uint8Array
  /** `envelopeHash(envelope)` */
  hash: Uint8Array
  envelope: Uint8Array
  stamp?: Uint8Array
  /** The peer that stored it here, as a PeerId string */
  depositor: string
  storedAt: number
  expiresAt: number
}

/** Where an item sits in its key's storage order */
export interface ItemPosition {
  storedAt: number
  hash: Uint8Array
}

export interface EntriesOptions extends AbortOptions {
  /** Start after this item (a cursor: the last item a caller took) */
  after?: ItemPosition
  /** Start at the first item stored at or after this time (ms); `after`, when given, wins */
  since?: number
}

export interface ListOptions extends EntriesOptions {
  /**
   * Stop before the envelopes and stamps listed would exceed this many bytes; the first item is
   * listed whatever its size, so a page always makes progress
   */
  maxBytes?: number
}

export interface PutResult {
  hash: Uint8Array
  /** When this storer will drop the envelope: the time to sign a receipt for */
  expiresAt: number
  /** The envelope was held already: nothing was written or charged */
  duplicate: boolean
}

/** The layout below; a store written in another layout is cleared on open */
const FORMAT = 1
/**
 * `mailbox-meta` 'depositors' -> 'sources' once the items of earlier releases no longer name
 * their depositor's PeerId (`forgetDepositors`); the layout is the same
 */
const DEPOSITORS = 'depositors'
const DEPOSITORS_ARE_SOURCES = 'sources'
/** Writes per batch while rewriting earlier items (two per item) */
const FORGET_BATCH_OPS = 512
const KEY_BYTES = 32
const LIMITS = [
  'maxBytes', 'maxBytesPerKey', 'maxItemsPerKey', 'maxBytesPerDepositor', 'minItemBytes', 'stampAfterItemsPerKey',
  'stampAfterBytesPerKey', 'maxUnstampedItemsPerDepositorKey', 'maxUnstampedBytesPerDepositorKey', 'stampBits'
] as const

const hex = (bytes: Uint8Array): string => toHex(bytes, 'base16')

/**
 * What a storer holds for others, in the node's LevelDB. Layout (sublevels):
 *
 * - `mailbox-items` key!storedAt!hash -> the item (binary, see `encodeItem`): a key's envelopes
 *   are one range scan, in storage order
 * - `mailbox-index` key!hash -> `ItemMeta`: dedup, ack, and counting usage on open without
 *   reading every envelope
 * - `mailbox-gone` key!hash -> expiresAt: tombstones of acked envelopes, which are refused if
 *   stored again before they would have expired (replays, and copies handed on by other storers)
 * - `mailbox-expiry` expiresAt!kind!key!hash: items and tombstones by expiry, so dropping the
 *   expired ones reads only those
 * - `mailbox-meta` 'format' -> the layout version; 'depositors' -> 'sources' (`forgetDepositors`)
 *
 * Keys and hashes are lowercase hex; under a passphrase the tables are `mailbox-sealed-*`, with
 * keyed hashes of them instead and every value sealed (see `MailboxTables`). Usage counters (`QuotaCounters`) live in memory and are
 * rebuilt by `open`. Expired items are dropped before every put, so quotas count
 * only live items; `count`, `usage` and `keys` may include items that expired since the last
 * put or sweep.
 */
export class MailboxStore {
  private readonly db: Db
  private readonly tables: MailboxTables
  private readonly atRest: AtRestCodec
  private readonly init: MailboxStoreInit & QuotaLimits
  private readonly now: () => number
  /**
   * Read-check-write sequences one at a time, so that concurrent puts cannot overshoot a quota
   * and counters change only with the writes they describe
   */
  private readonly queue = new SerialQueue()
  private readonly quotas: QuotaCounters

  /**
   * `db` is the node's database (opened or not); the store keeps to its `mailbox-*` sublevels.
   *
   * @throws RangeError when a limit is not a non-negative integer, stampBits not 0 to 32 or ttlMs
   * not positive
   */
  constructor (db: AbstractLevel<any, string, any>, options: MailboxStoreInit) {
    const init = {
      minItemBytes: MIN_ITEM_CHARGE_BYTES,
      stampAfterItemsPerKey: STAMP_AFTER_ITEMS_PER_KEY,
      stampAfterBytesPerKey: STAMP_AFTER_BYTES_PER_KEY,
      maxUnstampedItemsPerDepositorKey: MAX_UNSTAMPED_ITEMS_PER_DEPOSITOR_KEY,
      maxUnstampedBytesPerDepositorKey: MAX_UNSTAMPED_BYTES_PER_DEPOSITOR_KEY,
      stampBits: STAMP_BITS,
      ...withoutUndefined(options)
    }
    for (const name of LIMITS) {
      if (!Number.isSafeInteger(init[name]) || init[name] < 0) throw new RangeError(`${name} must be a non-negative integer, got ${init[name]}`)
    }
    if (init.stampBits > 32) throw new RangeError(`stampBits must be 0 to 32, got ${init.stampBits}`)
    if (!Number.isSafeInteger(init.ttlMs) || init.ttlMs <= 0) throw new RangeError(`ttlMs must be a positive integer, got ${init.ttlMs}`)
    this.db = db
    this.atRest = init.atRest ?? plainCodec
    this.tables = new MailboxTables(db, this.atRest)
    this.init = init
    this.now = init.now ?? Date.now
    this.quotas = new QuotaCounters(init)
  }

  /**
   * Opens the database if the node has not, seals what an earlier release (or a data
   * directory without a passphrase) left in the clear when there is a passphrase now, drops what
   * expired while the node was down and rebuilds the usage counters from the index. Call before
   * anything else.
   *
   * @throws StorageCorruptError when the tables are sealed and no passphrase was given, or in
   * a layout from a newer Parley
   */
  async open (options: AbortOptions = {}): Promise<void> {
    await this.db.open()
    await this.queue.run(async () => {
      await this.checkFormat()
      if (this.atRest.encrypted) {
        await convertMailboxTables(this.db, plainCodec, this.db, this.atRest)
      } else if (await MailboxTables.holdsSealed(this.db)) {
        throw new StorageCorruptError('the mailbox tables are sealed under a passphrase: open the data directory with it')
      }
      await this.forgetDepositors(options)
      const now = this.clock()
      await this.dropExpired(now, options)
      this.quotas.clear()
      const stale: WriteOp[] = []
      for await (const [id, stored] of this.tables.index.entries()) {
        options.signal?.throwIfAborted()
        const { keyHex, hashHex, meta } = this.tables.readMeta(id, stored)
        // only if the expiry index missed it; the entries are written together, so never
        if (meta.expiresAt <= now) {
          stale.push(this.tables.index.delOp(id), this.tables.items.delOp(this.tables.itemKey(keyHex, meta.storedAt, hashHex)))
          continue
        }
        this.quotas.add(chargeOf(keyHex, meta))
      }
      await batchOf(this.db, stale).write()
    })
  }

  /**
   * Holds `envelope` for mailbox `key` until `expiresAt` (now + ttlMs, or the item's own
   * `expiresAt` if sooner: a disappearing message), charged to `depositor`
   * (envelope and stamp bytes, at least `minItemBytes`). An envelope held already under that key
   * is a `duplicate`, with the expiry it has, and is not charged again. A stamp that does not
   * verify is kept (the recipient may ask less than this storer) but earns nothing here.
   *
   * @throws ReplayedEnvelopeError when the envelope was acked here and would not have expired yet
   * @throws QuotaExceededError when it would exceed, checked in this order, the items per key,
   * the bytes per key, the depositor's bytes or the total bytes (the message names which)
   * @throws InvalidStampError when it has no valid stamp and needs one: the key holds
   * `stampAfterItemsPerKey` items or `stampAfterBytesPerKey` bytes, or the depositor has its
   * unstamped share of the key
   * @throws RangeError when `key` is not 32 bytes
   */
  async put (item: { key: Uint8Array, envelope: Uint8Array, stamp?: Uint8Array, depositor: string, expiresAt?: number }, options: AbortOptions = {}): Promise<PutResult> {
    checkKey(item.key)
    const hash = envelopeHash(item.envelope)
    const keyHex = hex(item.key)
    const hashHex = hex(hash)
    const id = this.tables.id(keyHex, hashHex)
    const size = this.quotas.chargeFor(item.envelope.byteLength + (item.stamp?.byteLength ?? 0))
    const stamped = verifyStamp(item.key, hash, item.stamp, this.init.stampBits)
    return this.queue.run(async () => {
      options.signal?.throwIfAborted()
      const now = this.clock()
      // so quotas count only live items, and an expired copy is stored again, not a duplicate
      await this.dropExpired(now, options)
      const held = await this.tables.index.get(id)
      if (held !== undefined) return { hash, expiresAt: held.expiresAt, duplicate: true }
      const tombstone = await this.tables.gone.get(id)
      if (tombstone !== undefined && MailboxTables.goneExpiry(tombstone) > now) {
        throw new ReplayedEnvelopeError('this envelope was delivered and deleted here already')
      }
      // a disappearing message asks for less: held until its own expiry (at least a moment)
      const expiresAt = Math.min(now + this.init.ttlMs, Math.max(now + 1, item.expiresAt ?? Infinity))
      const meta: ItemMeta = { storedAt: now, expiresAt, size, depositor: item.depositor, ...(stamped ? { stamped: true } : {}) }
      const charge = chargeOf(keyHex, meta)
      this.quotas.check(charge)
      options.signal?.throwIfAborted()
      await batchOf(this.db, [
        this.tables.items.putOp(this.tables.itemKey(keyHex, now, hashHex), encodeItem(item.envelope, item.stamp, item.depositor, expiresAt)),
        this.tables.index.putOp(id, this.tables.storedMeta(keyHex, hashHex, meta)),
        this.tables.expiry.putOp(this.tables.expiryKey(expiresAt, ITEM, keyHex, hashHex), NO_VALUE)
      ]).write()
      this.quotas.add(charge)
      return { hash, expiresAt, duplicate: false }
    })
  }

  /**
   * The unexpired items held for `key` in storage order (oldest first, same-millisecond ones by
   * hash), after `after` if given, each read from disk only when the caller pulls it: a caller
   * that stops early has read no further (give a page's last item as the next one's `after`)
   */
  async * entries (key: Uint8Array, options: EntriesOptions = {}): AsyncGenerator<MailboxItem> {
    const keyHex = hex(key)
    const after = options.after == null ? undefined : this.tables.itemKey(keyHex, options.after.storedAt, hex(options.after.hash))
    const now = this.clock()
    for await (const [itemKey, value] of this.tables.items.entries(this.tables.itemRange(keyHex, after, options.since))) {
      options.signal?.throwIfAborted()
      const item = decodeItem(itemKey, value)
      // a sealed table's keys hold a keyed hash of it: the envelope gives it back
      const hash = this.tables.sealed ? envelopeHash(item.envelope) : fromHex(itemKey.split('!')[2], 'base16')
      if (item.expiresAt > now) yield { key, hash, ...item }
    }
  }

  /**
   * The unexpired items held for `key` as `entries` gives them, stopping before `maxBytes` would
   * be exceeded (but at least one item when there is any)
   */
  async list (key: Uint8Array, options: ListOptions = {}): Promise<MailboxItem[]> {
    const found: MailboxItem[] = []
    let bytes = 0
    for await (const item of this.entries(key, options)) {
      const size = item.envelope.byteLength + (item.stamp?.byteLength ?? 0)
      if (options.maxBytes != null && found.length > 0 && bytes + size > options.maxBytes) break
      bytes += size
      found.push(item)
    }
    return found
  }

  /**
   * Those of `hashes` that are neither held under `key` nor tombstoned there: what another
   * storer may hand on. An acked envelope is not missing, so it does not come back.
   */
  async missing (key: Uint8Array, hashes: Uint8Array[], options: AbortOptions = {}): Promise<Uint8Array[]> {
    if (hashes.length === 0) return []
    const keyHex = hex(key)
    const ids = hashes.map(h => this.tables.id(keyHex, hex(h)))
    const [held, gone] = await Promise.all([this.tables.index.getMany(ids), this.tables.gone.getMany(ids)])
    options.signal?.throwIfAborted()
    const now = this.clock()
    const goneUntil = (i: number): number => gone[i] === undefined ? 0 : MailboxTables.goneExpiry(gone[i])
    return hashes.filter((_, i) => !((held[i]?.expiresAt ?? 0) > now) && !(goneUntil(i) > now))
  }

  /**
   * Deletes the envelopes with these hashes held under `key`, leaving a tombstone for each until
   * it would have expired. Hashes not held under `key` are ignored.
   *
   * @returns how many envelopes were deleted
   */
  async ack (key: Uint8Array, hashes: Uint8Array[], options: AbortOptions = {}): Promise<number> {
    const keyHex = hex(key)
    // a hash listed twice must be deleted (and uncounted) once
    const hashHexes = [...new Set(hashes.map(hex))]
    return this.queue.run(async () => {
      options.signal?.throwIfAborted()
      if (hashHexes.length === 0) return 0
      const now = this.clock()
      const t = this.tables
      const ids = hashHexes.map(h => t.id(keyHex, h))
      const metas = await t.index.getMany(ids)
      const ops: WriteOp[] = []
      const removed: ItemMeta[] = []
      hashHexes.forEach((hashHex, i) => {
        const stored = metas[i]
        if (stored === undefined) return
        const { meta } = t.readMeta(ids[i], stored)
        ops.push(t.items.delOp(t.itemKey(keyHex, meta.storedAt, hashHex)), t.index.delOp(ids[i]), t.expiry.delOp(t.expiryKey(meta.expiresAt, ITEM, keyHex, hashHex)))
        if (meta.expiresAt > now) {
          ops.push(t.gone.putOp(ids[i], t.storedGone(keyHex, hashHex, meta.expiresAt)), t.expiry.putOp(t.expiryKey(meta.expiresAt, TOMBSTONE, keyHex, hashHex), NO_VALUE))
        }
        removed.push(meta)
      })
      await batchOf(this.db, ops).write()
      for (const meta of removed) this.quotas.remove(chargeOf(keyHex, meta))
      return removed.length
    })
  }

  /**
   * Deletes expired items and tombstones and updates the counters
   *
   * @returns how many items were deleted
   */
  async sweep (options: AbortOptions = {}): Promise<number> {
    return this.queue.run(async () => {
      options.signal?.throwIfAborted()
      return this.dropExpired(this.clock(), options)
    })
  }

  /** The distinct mailbox keys with items held (by the counters) */
  async keys (): Promise<Uint8Array[]> {
    return this.quotas.keys().map(keyHex => fromHex(keyHex, 'base16'))
  }

  /** Items held under `key` (by the counters) */
  count (key: Uint8Array): number {
    return this.quotas.items(hex(key))
  }

  /** Bytes charged (envelopes and stamps, at least the minimum per item) and items held in all */
  usage (): Usage {
    return this.quotas.usage()
  }

  /** Deletes items and tombstones that expired by `now`; call inside the queue. Returns items deleted. */
  private async dropExpired (now: number, options: AbortOptions): Promise<number> {
    const t = this.tables
    const expired = await t.expiry.keys({ lt: time(now + 1) })
    if (expired.length === 0) return 0
    options.signal?.throwIfAborted()
    // the key and hash as stored (keyed hashes in sealed tables): the index entry names the key
    const ops: WriteOp[] = []
    const itemIds: string[] = []
    for (const expiryKey of expired) {
      const [, kind, keyPart, hashPart] = expiryKey.split('!')
      ops.push(t.expiry.delOp(expiryKey))
      if (kind === TOMBSTONE) ops.push(t.gone.delOp(`${keyPart}!${hashPart}`))
      else if (kind === ITEM) itemIds.push(`${keyPart}!${hashPart}`)
    }
    const metas = await t.index.getMany(itemIds)
    const removed: Array<{ keyHex: string, meta: ItemMeta }> = []
    itemIds.forEach((id, i) => {
      const stored = metas[i]
      if (stored === undefined) return
      const { keyHex, meta } = t.readMeta(id, stored)
      const [keyPart, hashPart] = id.split('!')
      ops.push(t.index.delOp(id), t.items.delOp(MailboxTables.itemKeyOfParts(keyPart, meta.storedAt, hashPart)))
      removed.push({ keyHex, meta })
    })
    await batchOf(this.db, ops).write()
    for (const { keyHex, meta } of removed) this.quotas.remove(chargeOf(keyHex, meta))
    return removed.length
  }

  /**
   * Earlier releases kept (and charged) each item's depositor PeerId, which tells whoever reads
   * the database who wrote to whom: each is rewritten to EARLIER_SOURCE, once, in batches (a
   * crash part way leaves the rest for the next start). Items stored since carry a source tag.
   */
  private async forgetDepositors (options: AbortOptions): Promise<void> {
    if (await this.tables.meta.get(DEPOSITORS) === DEPOSITORS_ARE_SOURCES) return
    let ops: WriteOp[] = []
    for await (const { keyHex, hashHex, meta, item } of this.tables.held()) {
      options.signal?.throwIfAborted()
      if (meta.depositor === EARLIER_SOURCE) continue
      const itemKey = this.tables.itemKey(keyHex, meta.storedAt, hashHex)
      const { envelope, stamp, expiresAt } = decodeItem(itemKey, item)
      ops.push(
        this.tables.index.putOp(this.tables.id(keyHex, hashHex), this.tables.storedMeta(keyHex, hashHex, { ...meta, depositor: EARLIER_SOURCE })),
        this.tables.items.putOp(itemKey, encodeItem(envelope, stamp, EARLIER_SOURCE, expiresAt))
      )
      if (ops.length >= FORGET_BATCH_OPS) {
        await batchOf(this.db, ops).write()
        ops = []
      }
    }
    ops.push(this.tables.meta.putOp(DEPOSITORS, DEPOSITORS_ARE_SOURCES))
    await batchOf(this.db, ops).write()
  }

  /** An older layout is cleared (its envelopes have other replicas); a newer one is an error */
  private async checkFormat (): Promise<void> {
    const format = await this.tables.meta.get('format')
    if (format === FORMAT) return
    if (typeof format === 'number' && format > FORMAT) {
      throw new StorageCorruptError(`the mailbox store is in format ${format}, written by a newer Parley; this one reads format ${FORMAT}`)
    }
    await this.tables.clear()
    await this.tables.meta.put('format', FORMAT)
  }

  private clock (): number {
    const now = this.now()
    // times are padded into keys: a fraction or a negative number would break their order
    if (!Number.isSafeInteger(now) || now < 0) throw new RangeError(`the clock must give a non-negative integer, got ${now}`)
    return now
  }
}

/** `init` without the options given as undefined, which would hide the defaults */
function withoutUndefined<T extends object> (init: T): T {
  return Object.fromEntries(Object.entries(init).filter(([, value]) => value !== undefined)) as T
}

/** The counters' view of a held item */
function chargeOf (keyHex: string, meta: ItemMeta): Charge {
  return { keyHex, depositor: meta.depositor, bytes: meta.size, stamped: meta.stamped === true }
}

function checkKey (key: Uint8Array): void {
  if (!(key instanceof Uint8Array)) throw new TypeError('a mailbox key must be a Uint8Array')
  if (key.byteLength !== KEY_BYTES) throw new RangeError(`a mailbox key is ${KEY_BYTES} bytes, got ${key.byteLength}`)
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })
/** Bit 0 of the flags: a stamp follows the depositor */
const HAS_STAMP = 1

/**
 * An item's value, compact because envelopes run to 160 KiB: u8 format || u8 flags ||
 * u64be expiresAt || u32be depositor length || depositor (utf8) || [u32be stamp length ||
 * stamp] || envelope (the rest). Key, hash and storedAt are in the LevelDB key (in sealed
 * tables the key and hash as keyed hashes: the caller knows the key, and the envelope hashes to
 * the hash).
 */
function encodeItem (envelope: Uint8Array, stamp: Uint8Array | undefined, depositor: string, expiresAt: number): Uint8Array {
  const who = encoder.encode(depositor)
  const stampBytes = stamp == null ? 0 : 4 + stamp.byteLength
  const out = new Uint8Array(2 + 8 + 4 + who.byteLength + stampBytes + envelope.byteLength)
  const view = new DataView(out.buffer)
  let offset = 0
  out[offset++] = FORMAT
  out[offset++] = stamp == null ? 0 : HAS_STAMP
  view.setBigUint64(offset, BigInt(expiresAt))
  offset += 8
  view.setUint32(offset, who.byteLength)
  out.set(who, offset + 4)
  offset += 4 + who.byteLength
  if (stamp != null) {
    view.setUint32(offset, stamp.byteLength)
    out.set(stamp, offset + 4)
    offset += 4 + stamp.byteLength
  }
  out.set(envelope, offset)
  return out
}

function decodeItem (itemKey: string, value: Uint8Array): Omit<MailboxItem, 'key' | 'hash'> {
  const corrupt = (why: string): StorageCorruptError => new StorageCorruptError(`mailbox item ${itemKey} is damaged: ${why}`)
  const [, storedAt] = itemKey.split('!')
  if (value.byteLength < 14 || value[0] !== FORMAT) throw corrupt('unknown format')
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength)
  const expiresAt = Number(view.getBigUint64(2))
  const whoLength = view.getUint32(10)
  let offset = 14 + whoLength
  if (offset > value.byteLength) throw corrupt('depositor overruns')
  const depositor = decoder.decode(value.subarray(14, offset))
  let stamp: Uint8Array | undefined
  if ((value[1] & HAS_STAMP) !== 0) {
    if (offset + 4 > value.byteLength) throw corrupt('stamp overruns')
    const stampLength = view.getUint32(offset)
    if (offset + 4 + stampLength > value.byteLength) throw corrupt('stamp overruns')
    stamp = new Uint8Array(value.subarray(offset + 4, offset + 4 + stampLength))
    offset += 4 + stampLength
  }
  return {
    // plain copies: LevelDB hands over Buffers, whose slice() shares memory
    envelope: new Uint8Array(value.subarray(offset)),
    ...(stamp != null ? { stamp } : {}),
    depositor,
    storedAt: Number(storedAt),
    expiresAt
  }
}
