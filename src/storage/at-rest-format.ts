import { AT_REST_FORMAT } from './at-rest.ts'
import { StorageCorruptError } from './errors.ts'
import { openTable } from './table.ts'
import { TABLES } from './tables.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { Db, TableName } from './tables.ts'
import type { AbortOptions } from '@libp2p/interface'

/** Values re-sealed per batch: a long history is migrated in bounded memory */
const BATCH_ENTRIES = 1_000
const FORMAT_KEY = 'format'

/**
 * Brings LevelStore's tables to `AT_REST_FORMAT` and records it. Releases before it sealed
 * values without binding them to their table and key; each such value is opened as they wrote
 * it and sealed again, bound to where it is. A value already bound (a migration that was
 * interrupted) is left as it is, so this can run again after a crash at any point, and the
 * format is recorded only once all are done. A plain store has nothing to re-seal.
 *
 * @throws StorageCorruptError when the store was written by a newer Parley, or a value opens
 * neither way (sealed under another data key)
 */
export async function upgradeAtRest (db: Db, codec: AtRestCodec, options: AbortOptions = {}): Promise<void> {
  const marker = openTable<number>(db, 'atRest', codec)
  const format = await marker.get(FORMAT_KEY)
  if (format === AT_REST_FORMAT) return
  if (format !== undefined && format > AT_REST_FORMAT) {
    throw new StorageCorruptError(`the database is in at-rest format ${format}, written by a newer Parley; this one reads format ${AT_REST_FORMAT}`)
  }
  if (codec.encrypted) {
    for (const name of Object.keys(TABLES) as TableName[]) {
      if (name !== 'atRest') await bindValues(db, name, codec, options)
    }
  }
  await marker.put(FORMAT_KEY, AT_REST_FORMAT)
}

async function bindValues (db: Db, name: TableName, codec: AtRestCodec, options: AbortOptions): Promise<void> {
  const table = openTable(db, name, codec)
  let batch = db.batch()
  for await (const [key, stored] of table.sub.iterator()) {
    options.signal?.throwIfAborted()
    if (opens(() => codec.open(name, key, stored))) continue
    let value: Uint8Array
    try {
      value = codec.openUnbound(stored)
    } catch {
      await batch.close()
      throw new StorageCorruptError(`a value in table ${name} opens neither bound nor unbound: sealed under another data key`)
    }
    batch.put(key, codec.seal(name, key, value), { sublevel: table.sub })
    if (batch.length >= BATCH_ENTRIES) {
      await batch.write()
      batch = db.batch()
    }
  }
  await batch.write()
}

function opens (open: () => Uint8Array): boolean {
  try {
    open()
    return true
  } catch {
    return false
  }
}
