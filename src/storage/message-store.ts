import { DuplicateMessageError } from './errors.ts'
import { convKey, expiryKey, headRange, idxKey, pad } from './keys.ts'
import { openTable, withAlso } from './table.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { KeyParts } from './key-parts.ts'
import type { Table } from './table.ts'
import type { Db } from './tables.ts'
import type { ConversationState, ConversationSummary, DeliveryStatus, Direction, IncomingWriteOptions, ListMessagesOptions, OutgoingWriteOptions, MessageRecord, MessageStore, NewMessage, WriteOp, WriteOptions } from './types.ts'
import type { SerialQueue } from '../utils/serial-queue.ts'
import type { AbortOptions } from '@libp2p/interface'

/** Statuses after which an outgoing message leaves the outbox */
const SETTLED = new Set<DeliveryStatus>(['delivered', 'read', 'failed'])

/**
 * Layout (sublevels), each keyed by conversation id (a direct conversation's is the peer's
 * PeerId, so the keys of releases before conversations are already right): `msg` seq -> record;
 * `idx` conversation!dir!id -> seq (dedup and lookup); `conv` conversation!seq -> seq (its
 * history in order); `outbox` conversation!seq -> seq (undelivered); `envelopes`
 * conversation!out!id -> the sealed envelope kept for retries; `conversations` conversation ->
 * its state (read up to, unread, timer); `expiry` expiresAt!seq -> seq (disappearing messages).
 */
export class LevelMessageStore implements MessageStore {
  private readonly msg: Table<MessageRecord>
  private readonly idx: Table<number>
  private readonly conv: Table<number>
  private readonly pending: Table<number>
  private readonly envelopes: Table<Uint8Array>
  private readonly states: Table<ConversationState>
  private readonly expiry: Table<number>
  private lastSeq = 0

  private readonly k: (part: string) => string

  constructor (private readonly db: Db, private readonly queue: SerialQueue, codec: AtRestCodec, private readonly keyParts: KeyParts) {
    this.k = codec.key
    this.msg = openTable(db, 'msg', codec)
    this.idx = openTable(db, 'idx', codec)
    this.conv = openTable(db, 'conv', codec)
    this.pending = openTable(db, 'outbox', codec)
    this.envelopes = openTable(db, 'envelopes', codec)
    this.states = openTable(db, 'conversations', codec)
    this.expiry = openTable(db, 'expiry', codec)
  }

  /** Reads the last sequence number; a value that does not decode means the wrong key */
  async load (): Promise<void> {
    for await (const [key] of this.msg.entries({ reverse: true, limit: 1 })) {
      this.lastSeq = Number(key)
    }
  }

  async addOutgoing (message: NewMessage, options: OutgoingWriteOptions = {}): Promise<MessageRecord> {
    return this.queue.run(async () => {
      options.signal?.throwIfAborted()
      const record = this.numbered(message)
      if (await this.idx.get(idxKey(this.k(record.conversation), 'out', record.id)) !== undefined) {
        throw new DuplicateMessageError(`an outgoing message with id ${message.id} exists`)
      }
      const pending = options.outbox === false ? [] : [this.pending.putOp(convKey(this.k(record.conversation), record.seq), record.seq)]
      const ops = [...options.also ?? [], ...await this.insertOps(record), ...pending]
      await withAlso(this.db.batch(), ops).write()
      this.lastSeq = record.seq
      return record
    })
  }

  async addIncoming (message: NewMessage, options: IncomingWriteOptions = {}): Promise<{ record: MessageRecord, added: boolean }> {
    return this.queue.run(async () => {
      const record = this.numbered(message)
      const existing = await this.get(record.conversation, 'in', message.id, options)
      if (existing != null) {
        // the other writes (a session's new state) still land: the repeat was decrypted
        if (options.also != null && options.also.length > 0) await withAlso(this.db.batch(), options.also).write()
        return { record: existing, added: false }
      }
      await withAlso(this.db.batch(), [...await this.insertOps(record), ...options.also ?? [], ...options.ifNew ?? []]).write()
      this.lastSeq = record.seq
      return { record, added: true }
    })
  }

  async get (conversation: string, direction: Direction, id: string, options: AbortOptions = {}): Promise<MessageRecord | undefined> {
    options.signal?.throwIfAborted()
    const seq = await this.idx.get(idxKey(this.k(conversation), direction, id))
    return seq === undefined ? undefined : await this.msg.get(pad(seq))
  }

  async setStatus (conversation: string, id: string, status: DeliveryStatus, error?: string, options: AbortOptions = {}): Promise<MessageRecord | undefined> {
    return this.queue.run(async () => {
      const record = await this.get(conversation, 'out', id, options)
      if (record == null) {
        return undefined
      }
      const { error: _previous, ...rest } = record
      const updated: MessageRecord = error == null ? { ...rest, status } : { ...rest, status, error }
      await withAlso(this.db.batch(), [this.msg.putOp(pad(record.seq), updated), ...SETTLED.has(status) ? this.leftOutbox(record) : []]).write()
      return updated
    })
  }

  async setHolders (conversation: string, id: string, holders: string[], options: AbortOptions = {}): Promise<MessageRecord | undefined> {
    return this.queue.run(async () => {
      const record = await this.get(conversation, 'out', id, options)
      if (record == null) return undefined
      const status = SETTLED.has(record.status) ? record.status : 'stored'
      const updated: MessageRecord = { ...record, status, holders }
      await this.msg.put(pad(record.seq), updated)
      return updated
    })
  }

  async markDelivered (conversation: string, ids: string[], options: WriteOptions & { status?: 'delivered' | 'read' } = {}): Promise<MessageRecord[]> {
    const status = options.status ?? 'delivered'
    return this.queue.run(async () => {
      const batch = withAlso(this.db.batch(), options.also)
      const changed: MessageRecord[] = []
      for (const id of ids) {
        const record = await this.get(conversation, 'out', id, options)
        if (record == null || record.status === 'failed' || record.status === 'read' || record.status === status) continue
        const { error: _error, ...rest } = record
        const updated: MessageRecord = { ...rest, status }
        withAlso(batch, [this.msg.putOp(pad(record.seq), updated), ...this.leftOutbox(record)])
        changed.push(updated)
      }
      await batch.write()
      return changed
    })
  }

  async deleteIncoming (conversation: string, ids: string[], options: WriteOptions = {}): Promise<void> {
    return this.queue.run(async () => {
      const records: MessageRecord[] = []
      for (const id of ids) {
        const record = await this.get(conversation, 'in', id, options)
        if (record != null) records.push(record)
      }
      await withAlso(this.db.batch(), [...options.also ?? [], ...await this.removeOps(records)]).write()
    })
  }

  async hasIncoming (peer: string, options: AbortOptions = {}): Promise<boolean> {
    options.signal?.throwIfAborted()
    // a direct conversation's id is the peer's
    const prefix = idxKey(this.k(peer), 'in', '')
    const found = await this.idx.keys({ gte: prefix, lt: `${prefix}\uffff`, limit: 1 })
    return found.length > 0
  }

  async list (options: ListMessagesOptions = {}): Promise<MessageRecord[]> {
    const limit = options.limit ?? -1
    if (options.conversation != null) {
      // control records are not in the conversation index
      const seqs = await this.conv.values({ ...headRange(this.k(options.conversation)), reverse: true, limit })
      options.signal?.throwIfAborted()
      return this.records(seqs.reverse())
    }
    const newest: MessageRecord[] = []
    for await (const [, record] of this.msg.entries({ reverse: true })) {
      if (limit >= 0 && newest.length >= limit) break
      if (record.kind == null) newest.push(record)
    }
    options.signal?.throwIfAborted()
    return newest.reverse()
  }

  async outbox (conversation?: string, options: AbortOptions = {}): Promise<MessageRecord[]> {
    const seqs = await this.pending.values(conversation == null ? {} : headRange(this.k(conversation)))
    options.signal?.throwIfAborted()
    return this.records(seqs.sort((a, b) => a - b))
  }

  async setEnvelope (conversation: string, id: string, envelope: Uint8Array, options: WriteOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await withAlso(this.db.batch(), [...options.also ?? [], ...this.keyParts.writes(conversation), this.envelopes.putOp(idxKey(this.k(conversation), 'out', id), envelope)]).write()
  }

  async envelope (conversation: string, id: string, options: AbortOptions = {}): Promise<Uint8Array | undefined> {
    options.signal?.throwIfAborted()
    return this.envelopes.get(idxKey(this.k(conversation), 'out', id))
  }

  async update (conversation: string, direction: Direction, id: string, change: (record: MessageRecord) => MessageRecord | undefined, options: WriteOptions = {}): Promise<MessageRecord | undefined> {
    return this.queue.run(async () => {
      const record = await this.get(conversation, direction, id, options)
      const changed = record == null ? undefined : change(record)
      const ops = changed == null ? [] : [this.msg.putOp(pad(changed.seq), changed)]
      await withAlso(this.db.batch(), [...options.also ?? [], ...ops]).write()
      return changed
    })
  }

  async erase (records: MessageRecord[], options: AbortOptions = {}): Promise<void> {
    await this.queue.run(async () => {
      options.signal?.throwIfAborted()
      // read again: a record may have gone since the caller listed it
      const stored = await this.records(records.map(r => r.seq))
      await withAlso(this.db.batch(), await this.removeOps(stored)).write()
    })
  }

  async expiring (until: number, limit: number, options: AbortOptions = {}): Promise<MessageRecord[]> {
    const seqs = await this.expiry.values({ lt: pad(until + 1), limit })
    options.signal?.throwIfAborted()
    return this.records(seqs)
  }

  async nextExpiry (options: AbortOptions = {}): Promise<number | undefined> {
    options.signal?.throwIfAborted()
    const [first] = await this.expiry.keys({ limit: 1 })
    return first == null ? undefined : Number(first.split('!')[0])
  }

  async conversation (id: string, options: AbortOptions = {}): Promise<ConversationState | undefined> {
    options.signal?.throwIfAborted()
    return this.states.get(this.k(id))
  }

  async conversations (options: AbortOptions = {}): Promise<ConversationSummary[]> {
    const found: ConversationSummary[] = []
    for await (const [key, state] of this.states.entries()) {
      options.signal?.throwIfAborted()
      const [seq] = await this.conv.values({ ...headRange(key), reverse: true, limit: 1 })
      const [last] = seq == null ? [] : await this.records([seq])
      found.push(last == null ? state : { ...state, last })
    }
    return found.sort((a, b) => (b.last?.seq ?? 0) - (a.last?.seq ?? 0))
  }

  async markRead (conversation: string, options: AbortOptions = {}): Promise<MessageRecord[]> {
    return this.queue.run(async () => {
      const key = this.k(conversation)
      const state = await this.states.get(key)
      if (state == null) return []
      const seqs = await this.conv.values({ gt: convKey(key, state.readSeq), lt: `${key}"` })
      options.signal?.throwIfAborted()
      if (seqs.length === 0 && state.unread === 0) return []
      const read = (await this.records(seqs)).filter(r => r.direction === 'in')
      // seqs come in key order: the last is the newest
      await this.states.put(key, { ...state, readSeq: Math.max(state.readSeq, seqs.at(-1) ?? 0), unread: 0 })
      return read
    })
  }

  /** The message as stored: its conversation (the peer's unless it says otherwise) and next seq */
  private numbered (message: NewMessage): MessageRecord {
    return { ...message, conversation: message.conversation ?? message.peer, seq: this.lastSeq + 1 }
  }

  /** Writes storing a new record: its indexes and, for history, its conversation's new state */
  private async insertOps (record: MessageRecord): Promise<WriteOp[]> {
    const conversation = this.k(record.conversation)
    const ops = [
      ...this.keyParts.writes(...new Set([record.conversation, record.peer])),
      this.msg.putOp(pad(record.seq), record),
      this.idx.putOp(idxKey(conversation, record.direction, record.id), record.seq)
    ]
    if (record.expiresAt != null) ops.push(this.expiry.putOp(expiryKey(record.expiresAt, record.seq), record.seq))
    // control records (receipts and the like) are not part of the conversation
    if (record.kind != null) return ops
    const state = await this.states.get(conversation) ?? { id: record.conversation, peer: record.peer, readSeq: 0, unread: 0 }
    const { timer: _timer, ...rest } = state
    const timer = record.timer ?? state.timer
    const next: ConversationState = { ...rest, unread: state.unread + (record.direction === 'in' ? 1 : 0), ...(timer != null && timer > 0 ? { timer } : {}) }
    ops.push(this.conv.putOp(convKey(conversation, record.seq), record.seq), this.states.putOp(conversation, next))
    return ops
  }

  /** Writes removing records entirely, and the unread counts of their conversations */
  private async removeOps (records: MessageRecord[]): Promise<WriteOp[]> {
    const ops: WriteOp[] = []
    const states = new Map<string, ConversationState>()
    for (const record of records) {
      const conversation = this.k(record.conversation)
      ops.push(
        this.msg.delOp(pad(record.seq)),
        this.idx.delOp(idxKey(conversation, record.direction, record.id)),
        this.conv.delOp(convKey(conversation, record.seq)),
        ...record.expiresAt != null ? [this.expiry.delOp(expiryKey(record.expiresAt, record.seq))] : [],
        ...record.direction === 'out' ? this.leftOutbox(record) : []
      )
      const state = states.get(conversation) ?? await this.states.get(conversation)
      if (state == null || record.kind != null || record.direction !== 'in' || record.seq <= state.readSeq) continue
      states.set(conversation, { ...state, unread: Math.max(0, state.unread - 1) })
    }
    for (const [key, state] of states) ops.push(this.states.putOp(key, state))
    return ops
  }

  /** An outgoing message is done: out of the outbox, its envelope no longer kept for resending */
  private leftOutbox (record: MessageRecord): WriteOp[] {
    const conversation = this.k(record.conversation)
    return [this.pending.delOp(convKey(conversation, record.seq)), this.envelopes.delOp(idxKey(conversation, 'out', record.id))]
  }

  private async records (seqs: number[]): Promise<MessageRecord[]> {
    if (seqs.length === 0) return []
    const found = await this.msg.getMany(seqs.map(pad))
    return found.filter((r): r is MessageRecord => r != null)
  }
}
