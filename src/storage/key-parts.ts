import { openTable } from './table.ts'
import { TABLES } from './tables.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { Table } from './table.ts'
import type { Db, TableName } from './tables.ts'
import type { WriteOp } from './types.ts'

/**
 * An encrypted store replaces the PeerIds and names in its keys by a keyed hash, which cannot be
 * undone, yet removing the passphrase must write them in the clear again. So each write that
 * hashes a part also records the part, sealed, in the `keyParts` table (hash -> part): a peer
 * blocked without ever writing is named by nothing else. A plain store's keys are the parts.
 */
export class KeyParts {
  private readonly table: Table<string>

  constructor (db: Db, private readonly codec: AtRestCodec) {
    this.table = openTable<string>(db, 'keyParts', codec)
  }

  /** The writes recording `parts`, to commit with the write that hashes them (none when plain) */
  writes (...parts: string[]): WriteOp[] {
    if (!this.codec.encrypted) return []
    return parts.map(part => this.table.putOp(this.codec.key(part), part))
  }

  /**
   * Finds the part behind each key part of a store written with `codec`: in `keyParts`, else
   * (a store written before that table existed) among the strings its JSON values hold, which
   * name every contact, and every peer with a message, request or file. Undefined when neither
   * has it.
   */
  static async finder (db: Db, codec: AtRestCodec): Promise<(stored: string) => Promise<string | undefined>> {
    if (!codec.encrypted) return async stored => stored
    const known = new Map<string, string>()
    for (const part of await openTable<string>(db, 'keyParts', codec).values()) known.set(codec.key(part), part)
    let searched = false
    return async stored => {
      if (!known.has(stored) && !searched) {
        searched = true
        for (const part of await stringsInValues(db, codec)) known.set(codec.key(part), part)
      }
      return known.get(stored)
    }
  }
}

/** PeerIds and names are short: longer strings (message texts) need not be hashed */
const MAX_PART_CHARS = 256

async function stringsInValues (db: Db, codec: AtRestCodec): Promise<Set<string>> {
  const found = new Set<string>()
  const collect = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.length <= MAX_PART_CHARS) found.add(value)
    } else if (Array.isArray(value)) {
      value.forEach(collect)
    } else if (value != null && typeof value === 'object') {
      Object.values(value).forEach(collect)
    }
  }
  for (const [name, spec] of Object.entries(TABLES)) {
    if (spec.value !== 'json') continue
    for await (const [, value] of openTable<unknown>(db, name as TableName, codec).entries()) collect(value)
  }
  return found
}
