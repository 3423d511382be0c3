import { StorageCorruptError } from './errors.ts'
import { openTable, withAlso } from './table.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { StoredPaths } from './file-store.ts'
import type { Table } from './table.ts'
import type { Db } from './tables.ts'
import type { ConversationState, MessageRecord, TransferRecord, WriteOp } from './types.ts'
import type { AbortOptions } from '@libp2p/interface'

/**
 * The layout LevelStore's tables are in. 1 (no marker): releases before conversations. 2:
 * every message names its conversation, conversations have a state (read up to, unread count,
 * timer), and transfer paths inside the data directory are relative to it.
 */
export const SCHEMA_VERSION = 2
const VERSION_KEY = 'version'

export interface UpgradeSchemaOptions extends AbortOptions {
  /** How transfer paths are stored (a data directory's: relative inside it) */
  paths?: StoredPaths
  /** Writes per batch: a long history is migrated in bounded memory. @default 1000 */
  batchEntries?: number
  /** Called after each batch lands, with how many entries it wrote (progress, tests) */
  onBatch?: (written: number) => void
}

/**
 * Brings LevelStore's tables to `SCHEMA_VERSION` in place, one bounded batch at a time. Every
 * step can run again over its own output (it only fills in what is missing, or recomputes the
 * same value), so a migration cut short (a crash, a kill, a full disk) finishes on the next
 * open; the version is recorded only once every step is done.
 *
 * @throws StorageCorruptError when the tables were written by a newer Parley
 */
export async function upgradeSchema (db: Db, codec: AtRestCodec, options: UpgradeSchemaOptions = {}): Promise<void> {
  const marker = openTable<number>(db, 'schema', codec)
  const version = await marker.get(VERSION_KEY) ?? 1
  if (version === SCHEMA_VERSION) return
  if (version > SCHEMA_VERSION) {
    throw new StorageCorruptError(`the database is in layout ${version}, written by a newer Parley; this one reads layout ${SCHEMA_VERSION}`)
  }
  const writer = new BatchWriter(db, options)
  await nameConversations(db, codec, writer, options)
  await buildConversationStates(db, codec, writer, options)
  if (options.paths != null) await relativeTransferPaths(db, codec, options.paths, writer, options)
  await marker.put(VERSION_KEY, SCHEMA_VERSION)
}

/** Each message record gets the conversation it belongs to: the peer's, the only kind there was */
async function nameConversations (db: Db, codec: AtRestCodec, writer: BatchWriter, options: AbortOptions): Promise<void> {
  const msg = openTable<MessageRecord>(db, 'msg', codec)
  for await (const [key, record] of msg.entries()) {
    options.signal?.throwIfAborted()
    if (record.conversation == null) await writer.add(msg.putOp(key, { ...record, conversation: record.peer }))
  }
  await writer.flush()
}

/**
 * Each conversation's state, from its history: everything before the upgrade counts as read
 * (the release before kept no read state, and its user saw it all)
 */
async function buildConversationStates (db: Db, codec: AtRestCodec, writer: BatchWriter, options: AbortOptions): Promise<void> {
  const msg = openTable<MessageRecord>(db, 'msg', codec)
  const states = openTable<ConversationState>(db, 'conversations', codec)
  const found = new Map<string, ConversationState>()
  for await (const [, record] of msg.entries()) {
    options.signal?.throwIfAborted()
    if (record.kind != null) continue
    const conversation = record.conversation ?? record.peer
    found.set(conversation, { id: conversation, peer: record.peer, readSeq: record.seq, unread: 0 })
  }
  for (const state of found.values()) {
    if (await states.get(codec.key(state.id)) == null) await writer.add(states.putOp(codec.key(state.id), state))
  }
  await writer.flush()
}

/** Transfer paths inside the data directory become relative to it (found again if it moved) */
async function relativeTransferPaths (db: Db, codec: AtRestCodec, paths: StoredPaths, writer: BatchWriter, options: AbortOptions): Promise<void> {
  const files: Table<TransferRecord> = openTable(db, 'files', codec)
  for await (const [key, record] of files.entries()) {
    options.signal?.throwIfAborted()
    const stored = paths.toStored(paths.relocate?.(record.path) ?? record.path)
    if (stored !== record.path) await writer.add(files.putOp(key, { ...record, path: stored }))
  }
  await writer.flush()
}

/** Gathers writes and lands them in batches of a bounded size */
class BatchWriter {
  private pending: WriteOp[] = []
  private readonly size: number

  constructor (private readonly db: Db, private readonly options: UpgradeSchemaOptions) {
    this.size = options.batchEntries ?? 1_000
  }

  async add (op: WriteOp): Promise<void> {
    this.pending.push(op)
    if (this.pending.length >= this.size) await this.flush()
  }

  async flush (): Promise<void> {
    if (this.pending.length === 0) return
    const ops = this.pending
    this.pending = []
    this.options.signal?.throwIfAborted()
    await withAlso(this.db.batch(), ops).write()
    this.options.onBatch?.(ops.length)
  }
}
