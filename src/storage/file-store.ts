import { openTable, withAlso } from './table.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { Table } from './table.ts'
import type { Db } from './tables.ts'
import type { FileStore, TransferRecord, WriteOp, WriteOptions } from './types.ts'
import type { AbortOptions } from '@libp2p/interface'

/**
 * How a transfer's path is written down: one inside the data directory relative to it, so a
 * data directory moved or restored elsewhere keeps its files (stored-paths.ts); as it is where
 * there is no directory (a browser's files are named inside its private file system)
 */
export interface StoredPaths {
  toStored: (path: string) => string
  fromStored: (stored: string) => string
  /**
   * An absolute path stored before paths were relative, where it is now (the data directory
   * may have moved since): used once, by the migration that makes paths relative
   */
  relocate?: (path: string) => string
}

const asTheyAre: StoredPaths = { toStored: path => path, fromStored: stored => stored }

/** Layout: `files` transfer id -> transfer record (the id is random, so it names no one) */
export class LevelFileStore implements FileStore {
  private readonly transfers: Table<TransferRecord>

  constructor (private readonly db: Db, codec: AtRestCodec, private readonly paths: StoredPaths = asTheyAre) {
    this.transfers = openTable(db, 'files', codec)
  }

  async get (id: string, options: AbortOptions = {}): Promise<TransferRecord | undefined> {
    options.signal?.throwIfAborted()
    const stored = await this.transfers.get(id)
    return stored == null ? undefined : this.fromStored(stored)
  }

  async put (record: TransferRecord, options: WriteOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await withAlso(this.db.batch(), [...options.also ?? [], this.putWrite(record)]).write()
  }

  putWrite (record: TransferRecord): WriteOp {
    return this.transfers.putOp(record.id, { ...record, path: this.paths.toStored(record.path) })
  }

  deleteWrite (id: string): WriteOp {
    return this.transfers.delOp(id)
  }

  async list (options: AbortOptions = {}): Promise<TransferRecord[]> {
    const all = await this.transfers.values()
    options.signal?.throwIfAborted()
    return all.map(record => this.fromStored(record)).sort((a, b) => a.createdAt - b.createdAt)
  }

  private fromStored (record: TransferRecord): TransferRecord {
    return { ...record, path: this.paths.fromStored(record.path) }
  }
}
