import { StorageCorruptError } from './errors.ts'
import { TABLES } from './tables.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { Db, Sub, TableName } from './tables.ts'
import type { WriteOp } from './types.ts'
import type { AbstractLevel } from 'abstract-level'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** A key range, as abstract-level's iterators take it */
export interface Range {
  gt?: string
  gte?: string
  lt?: string
  lte?: string
  reverse?: boolean
  limit?: number
}

/**
 * A table: a sublevel of raw bytes whose values go through the at-rest codec here, where the key
 * is known, rather than as a level value encoding, which never sees it. So a sealed value is
 * bound to its table and key, and one moved elsewhere fails to open.
 *
 * Writes that must be atomic with others are built as `WriteOp`s (`putOp`, `delOp`) and applied
 * in one batch; their values are sealed already.
 */
export class Table<V> {
  /** The sublevel itself: for batches (`{ sublevel }`) and for copying as stored */
  readonly sub: Sub<Uint8Array>

  /** `format`: what a value is before the codec seals it (JSON, or bytes as they are) */
  constructor (db: AbstractLevel<any, string, any>, readonly name: string, private readonly codec: AtRestCodec, private readonly format: 'json' | 'view') {
    this.sub = db.sublevel<string, Uint8Array>(name, { valueEncoding: 'view' })
  }

  /** `value` as stored under `key`: JSON as its UTF-8 text, bytes as they are, then sealed */
  encode (key: string, value: V): Uint8Array {
    const bytes = this.format === 'json' ? encoder.encode(JSON.stringify(value)) : value as Uint8Array
    return this.codec.seal(this.name, key, bytes)
  }

  /** @throws StorageCorruptError when the stored value does not open for this table and key */
  decode (key: string, stored: Uint8Array): V {
    let bytes: Uint8Array
    try {
      bytes = this.codec.open(this.name, key, stored)
    } catch {
      // the key may be a hashed PeerId: it is left out, as everything naming a peer is
      throw new StorageCorruptError(`a value in table ${this.name} does not open under its key: altered, moved, or sealed under another data key`)
    }
    if (this.format === 'view') return new Uint8Array(bytes) as V
    try {
      return JSON.parse(decoder.decode(bytes))
    } catch {
      throw new StorageCorruptError(`a value in table ${this.name} is not JSON`)
    }
  }

  async get (key: string): Promise<V | undefined> {
    const stored = await this.sub.get(key)
    return stored === undefined ? undefined : this.decode(key, stored)
  }

  async getMany (keys: string[]): Promise<Array<V | undefined>> {
    const stored = await this.sub.getMany(keys)
    return stored.map((value, i) => value === undefined ? undefined : this.decode(keys[i], value))
  }

  async put (key: string, value: V): Promise<void> {
    await this.sub.put(key, this.encode(key, value))
  }

  /** Keys and values in `range`, decoded as they are pulled */
  async * entries (range: Range = {}): AsyncGenerator<[string, V]> {
    for await (const [key, stored] of this.sub.iterator(range)) yield [key, this.decode(key, stored)]
  }

  async values (range: Range = {}): Promise<V[]> {
    const found: V[] = []
    for await (const [, value] of this.entries(range)) found.push(value)
    return found
  }

  async keys (range: Range = {}): Promise<string[]> {
    return this.sub.keys(range).all()
  }

  putOp (key: string, value: V, alongWith?: WriteOp[]): WriteOp {
    return { type: 'put', sublevel: this.sub, key, value: this.encode(key, value), ...(alongWith != null && alongWith.length > 0 ? { alongWith } : {}) }
  }

  delOp (key: string): WriteOp {
    return { type: 'del', sublevel: this.sub, key }
  }
}

/** Opens LevelStore's table `name` in `db`, its values written through `codec` */
export function openTable<V> (db: Db, name: TableName, codec: AtRestCodec): Table<V> {
  return new Table<V>(db, name, codec, TABLES[name].value)
}

/** Adds to `batch` writes that belong to the same atomic change, with theirs (see `WriteOp`) */
export function withAlso<B extends ReturnType<Db['batch']>> (batch: B, also: WriteOp[] = []): B {
  for (const op of also) {
    if (op.type === 'put') batch.put(op.key, op.value, { sublevel: op.sublevel as Sub<unknown> })
    else batch.del(op.key, { sublevel: op.sublevel as Sub<unknown> })
    withAlso(batch, op.alongWith)
  }
  return batch
}
