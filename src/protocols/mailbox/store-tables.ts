import { plainCodec } from '../../storage/at-rest.ts'
import { Table, withAlso } from '../../storage/table.ts'
import type { AtRestCodec } from '../../storage/at-rest.ts'
import type { WriteOp } from '../../storage/types.ts'
import type { AbstractLevel } from 'abstract-level'

type Db = AbstractLevel<any, string, any>

/** Times are zero-padded so LevelDB's byte order is numeric order (any safe integer fits) */
const TIME_WIDTH = 16
export const ITEM = 'i'
export const TOMBSTONE = 'g'

export const time = (ms: number): string => ms.toString().padStart(TIME_WIDTH, '0')
/** The expiry index's entries are all key */
export const NO_VALUE = new Uint8Array(0)

/**
 * What the index holds per item: enough to count usage and find the item without reading it.
 * Items written before stamps were checked have no `stamped`: they count as unstamped.
 */
export interface ItemMeta {
  storedAt: number
  expiresAt: number
  /** Bytes charged: envelope and stamp, at least the minimum charge then in force */
  size: number
  depositor: string
  /** Its stamp verified when it was stored */
  stamped?: true
}

/**
 * The index entry as stored. In sealed tables the key and hash in the LevelDB key are keyed
 * hashes, so the entry carries them (hex) for counting per key and for converting back.
 */
type StoredMeta = ItemMeta & { key?: string, hash?: string }
/** A tombstone: its expiry; in sealed tables with the key and hash it stands for */
type StoredGone = number | { expiresAt: number, key: string, hash: string }

/** One held item, as `convertMailboxTables` moves it */
interface HeldEntry { keyHex: string, hashHex: string, meta: ItemMeta, item: Uint8Array }

/**
 * The storer's tables in one of two layouts, by the data directory's at-rest codec.
 *
 * Plain (`mailbox-items`, `-index`, `-gone`, `-expiry`): keys hold the mailbox key and the
 * envelope hash in hex, values as they are. Sealed (`mailbox-sealed-*`, a data directory under a
 * passphrase): the key and hash in every LevelDB key are replaced by the codec's keyed hash, and
 * every value is sealed, bound to its table and key, so the files show neither whom mail is held
 * for, nor who left it, nor which envelopes (a hash links to the envelope seen on the wire).
 * Times stay in the keys: storage order and expiry are range scans over them, and the files'
 * own times tell as much. The layouts live in different sublevels, so a conversion between them
 * (`convertMailboxTables`) can always run again after a crash.
 */
export class MailboxTables {
  readonly items: Table<Uint8Array>
  readonly index: Table<StoredMeta>
  readonly gone: Table<StoredGone>
  readonly expiry: Table<Uint8Array>
  /** `format` -> the layout version, `depositors` -> how items name them: in the clear in both layouts */
  readonly meta: Table<number | string>
  readonly sealed: boolean

  constructor (db: Db, private readonly codec: AtRestCodec = plainCodec) {
    this.sealed = codec.encrypted
    const name = (table: string): string => tableName(table, this.sealed)
    this.items = new Table(db, name('items'), codec, 'view')
    this.index = new Table(db, name('index'), codec, 'json')
    this.gone = new Table(db, name('gone'), codec, 'json')
    this.expiry = new Table(db, name('expiry'), codec, 'view')
    this.meta = new Table<number | string>(db, 'mailbox-meta', plainCodec, 'json')
  }

  /** Whether `db` holds sealed tables: a store opened without the passphrase must not ignore them */
  static async holdsSealed (db: Db): Promise<boolean> {
    return (await db.sublevel(tableName('index', true)).keys({ limit: 1 }).all()).length > 0
  }

  /** A mailbox key or envelope hash (hex) as it appears in LevelDB keys */
  part (hex: string): string {
    return this.sealed ? this.codec.key(hex) : hex
  }

  id (keyHex: string, hashHex: string): string {
    return `${this.part(keyHex)}!${this.part(hashHex)}`
  }

  itemKey (keyHex: string, storedAt: number, hashHex: string): string {
    return MailboxTables.itemKeyOfParts(this.part(keyHex), storedAt, this.part(hashHex))
  }

  /** An item's key from the parts as stored (as an expiry or index key gives them) */
  static itemKeyOfParts (keyPart: string, storedAt: number, hashPart: string): string {
    return `${keyPart}!${time(storedAt)}!${hashPart}`
  }

  expiryKey (expiresAt: number, kind: string, keyHex: string, hashHex: string): string {
    return `${time(expiresAt)}!${kind}!${this.part(keyHex)}!${this.part(hashHex)}`
  }

  /** The range of `keyHex`'s items: after `afterKey` (an item key) if given, else from those stored at `since` on */
  itemRange (keyHex: string, afterKey?: string, since?: number): { gt: string, lt: string } {
    const part = this.part(keyHex)
    // every item stored at `since` or later sorts after `part!time(since)`, its prefix
    return { gt: afterKey ?? (since != null ? `${part}!${time(since)}` : `${part}!`), lt: `${part}"` }
  }

  storedMeta (keyHex: string, hashHex: string, meta: ItemMeta): StoredMeta {
    return this.sealed ? { ...meta, key: keyHex, hash: hashHex } : meta
  }

  storedGone (keyHex: string, hashHex: string, expiresAt: number): StoredGone {
    return this.sealed ? { expiresAt, key: keyHex, hash: hashHex } : expiresAt
  }

  /** The key and hash (hex) an index entry stands for, and its meta as the store uses it */
  readMeta (id: string, stored: StoredMeta): { keyHex: string, hashHex: string, meta: ItemMeta } {
    const { key, hash, ...meta } = stored
    const [keyPart, hashPart] = id.split('!')
    return { keyHex: key ?? keyPart, hashHex: hash ?? hashPart, meta }
  }

  static goneExpiry (stored: StoredGone): number {
    return typeof stored === 'number' ? stored : stored.expiresAt
  }

  /** Every held item, oldest first per key, with the key and hash in hex */
  async * held (): AsyncGenerator<HeldEntry> {
    for await (const [id, stored] of this.index.entries()) {
      const { keyHex, hashHex, meta } = this.readMeta(id, stored)
      const item = await this.items.get(this.itemKey(keyHex, meta.storedAt, hashHex))
      if (item !== undefined) yield { keyHex, hashHex, meta, item }
    }
  }

  /** Every tombstone, with the key and hash it stands for */
  async * tombstones (): AsyncGenerator<{ keyHex: string, hashHex: string, expiresAt: number }> {
    for await (const [id, stored] of this.gone.entries()) {
      const [keyPart, hashPart] = id.split('!')
      yield typeof stored === 'number'
        ? { keyHex: keyPart, hashHex: hashPart, expiresAt: stored }
        : { keyHex: stored.key, hashHex: stored.hash, expiresAt: stored.expiresAt }
    }
  }

  /** Whether any of the four tables holds anything */
  async isEmpty (): Promise<boolean> {
    for (const table of [this.items, this.index, this.gone, this.expiry]) {
      if ((await table.keys({ limit: 1 })).length > 0) return false
    }
    return true
  }

  async clear (): Promise<void> {
    await Promise.all([this.items.sub.clear(), this.index.sub.clear(), this.gone.sub.clear(), this.expiry.sub.clear()])
  }
}

/** The sublevel of `table` in the sealed or the plain layout */
function tableName (table: string, sealed: boolean): string {
  return sealed ? `mailbox-sealed-${table}` : `mailbox-${table}`
}

/** A batch of `ops` (values encoded already, as `Table`'s ops are) */
export function batchOf (db: Db, ops: WriteOp[]): ReturnType<Db['batch']> {
  return withAlso(db.batch(), ops)
}

/** Held items moved per batch: envelopes run to 160 KiB, so memory stays bounded */
const BATCH_ITEMS = 64

const LAYOUT_TABLE = /^mailbox-(sealed-)?(items|index|gone|expiry)$/

/** A sublevel holding one layout's entries (not `mailbox-meta`, which both layouts share) */
export function isMailboxLayoutTable (name: string): boolean {
  return LAYOUT_TABLE.test(name)
}

/**
 * Moves everything the storer holds in `fromDb`, in the layout `fromCodec` reads, into `toDb` in
 * the one `toCodec` writes: in place when a directory whose held mail is in the clear is opened
 * under a passphrase, from the old database into the new one during a passphrase switch (so the
 * new files never hold the other layout). Items with their meta, expiry and tombstones; in place,
 * the old layout's tables are then cleared. Each item's bytes are moved as they are, so a round
 * trip gives back the same bytes. Writing the same entries twice is harmless, so an interrupted
 * run is simply run again.
 */
export async function convertMailboxTables (fromDb: Db, fromCodec: AtRestCodec, toDb: Db, toCodec: AtRestCodec): Promise<void> {
  const from = new MailboxTables(fromDb, fromCodec)
  const to = new MailboxTables(toDb, toCodec)
  const inPlace = fromDb === toDb
  if ((inPlace && from.sealed === to.sealed) || await from.isEmpty()) return
  let ops: WriteOp[] = []
  const flush = async (force: boolean): Promise<void> => {
    if (ops.length === 0 || (!force && ops.length < BATCH_ITEMS * 3)) return
    await batchOf(toDb, ops).write()
    ops = []
  }
  for await (const { keyHex, hashHex, meta, item } of from.held()) {
    ops.push(
      to.items.putOp(to.itemKey(keyHex, meta.storedAt, hashHex), item),
      to.index.putOp(to.id(keyHex, hashHex), to.storedMeta(keyHex, hashHex, meta)),
      to.expiry.putOp(to.expiryKey(meta.expiresAt, ITEM, keyHex, hashHex), NO_VALUE)
    )
    await flush(false)
  }
  for await (const { keyHex, hashHex, expiresAt } of from.tombstones()) {
    ops.push(
      to.gone.putOp(to.id(keyHex, hashHex), to.storedGone(keyHex, hashHex, expiresAt)),
      to.expiry.putOp(to.expiryKey(expiresAt, TOMBSTONE, keyHex, hashHex), NO_VALUE)
    )
    await flush(false)
  }
  if (!inPlace) {
    // the layout version goes along, or the store would take the new tables for an older layout
    const format = await from.meta.get('format')
    if (format !== undefined) ops.push(to.meta.putOp('format', format))
  }
  await flush(true)
  if (inPlace) await from.clear()
}
