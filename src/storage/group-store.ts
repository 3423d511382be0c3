import { openTable, withAlso } from './table.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { Table } from './table.ts'
import type { Db } from './tables.ts'
import type { GroupStore, WriteOp, WriteOptions } from './types.ts'
import type { AbortOptions } from '@libp2p/interface'

/**
 * Layout: `groups` group id (hex) -> the group as this node holds it (src/groups/group-record.ts
 * encodes it). A group id is random and names no one, so it stays readable and the groups can
 * be listed; what a group holds (members, secrets) is sealed with the rest.
 */
export class LevelGroupStore implements GroupStore {
  private readonly table: Table<Uint8Array>

  constructor (private readonly db: Db, codec: AtRestCodec) {
    this.table = openTable(db, 'groups', codec)
  }

  async get (group: string, options: AbortOptions = {}): Promise<Uint8Array | undefined> {
    options.signal?.throwIfAborted()
    return this.table.get(group)
  }

  async put (group: string, record: Uint8Array, options: WriteOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await withAlso(this.db.batch(), [...options.also ?? [], this.putWrite(group, record)]).write()
  }

  putWrite (group: string, record: Uint8Array): WriteOp {
    return this.table.putOp(group, record)
  }

  async commit (writes: WriteOp[], options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await withAlso(this.db.batch(), writes).write()
  }

  async list (options: AbortOptions = {}): Promise<Array<{ group: string, record: Uint8Array }>> {
    const found: Array<{ group: string, record: Uint8Array }> = []
    for await (const [group, record] of this.table.entries()) {
      options.signal?.throwIfAborted()
      found.push({ group, record })
    }
    return found
  }
}
