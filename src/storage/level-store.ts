import { Level } from 'level'
import { plainCodec } from './at-rest.ts'
import { upgradeAtRest } from './at-rest-format.ts'
import { ContactNameTakenError, DataDirLockedError, DuplicateMessageError, StorageCorruptError } from './errors.ts'
import type { AtRestCodec } from './at-rest.ts'
import { toString as toBase64 } from 'uint8arrays/to-string'
import { fromString as fromBase64 } from 'uint8arrays/from-string'
import type { Contact, ContactStore, FileStore, IncomingWriteOptions, TransferRecord, MessageRequest, Standing, DeliveryStatus, Direction, KeyStore, ListMessagesOptions, MessageRecord, MessageStore, NewMessage, PrekeyKind, StoredPrekey, WriteOp, WriteOptions } from './types.ts'
import { KeyParts } from './key-parts.ts'
import { openTable, withAlso } from './table.ts'
import type { Table } from './table.ts'
import { SerialQueue } from '../utils/serial-queue.ts'
import type { Db } from './tables.ts'
import type { AbortOptions } from '@libp2p/interface'

type Batch = ReturnType<Db['batch']>

/** Sequence numbers are zero-padded so LevelDB's byte order is numeric order */
const SEQ_WIDTH = 16
const pad = (seq: number): string => seq.toString().padStart(SEQ_WIDTH, '0')

/**
 * The node's own database: message history, outbox and contacts in one LevelDB directory.
 * Open it before anything else, so a second daemon on the same data directory fails at once.
 */
export class LevelStore {
  readonly messages: LevelMessageStore
  readonly contacts: LevelContactStore
  readonly keys: LevelKeyStore
  readonly files: LevelFileStore
  private readonly db: Db
  /**
   * Read-then-write operations run here one at a time: this process holds LevelDB's lock, so a
   * check and the write that depends on it are atomic
   */
  private readonly queue = new SerialQueue()

  private readonly location: string
  private readonly codec: AtRestCodec

  /**
   * `path` opens LevelDB there; a database instance (e.g. `memory-level`) is used as it is.
   * `codec` is how values and PeerIds are stored: plain, or encrypted under a data key.
   */
  constructor (path: string | Db, codec: AtRestCodec = plainCodec) {
    this.db = typeof path === 'string' ? new Level<string, unknown>(path, { valueEncoding: 'json' }) : path
    this.location = typeof path === 'string' ? path : 'memory'
    this.codec = codec
    const keyParts = new KeyParts(this.db, codec)
    this.messages = new LevelMessageStore(this.db, this.queue, codec, keyParts)
    this.contacts = new LevelContactStore(this.db, this.queue, codec, keyParts)
    this.keys = new LevelKeyStore(this.db, codec, keyParts)
    this.files = new LevelFileStore(this.db, codec)
  }

  /** Throws `DataDirLockedError` or `StorageCorruptError`, each naming the path */
  async open (): Promise<void> {
    try {
      await this.db.open()
    } catch (err: any) {
      const cause = err.cause ?? err
      if (cause.code === 'LEVEL_LOCKED' || /lock/i.test(String(cause.message))) {
        throw new DataDirLockedError(`${this.location} is in use by another Parley daemon`)
      }
      throw new StorageCorruptError(`cannot open the message database at ${this.location}: ${String(cause.message)}`)
    }
    try {
      await upgradeAtRest(this.db, this.codec)
      await this.messages.load()
    } catch (err: any) {
      await this.db.close()
      throw new StorageCorruptError(`cannot read the message database at ${this.location} (encrypted under another key?): ${String(err.message)}`)
    }
  }

  async close (): Promise<void> {
    await this.queue.idle()
    await this.db.close()
  }

  /** The database itself, for services that keep their own sublevels (mailbox storage) */
  get database (): Db {
    return this.db
  }

  /** Writes `ops` (built by the stores' `*Write` methods) in one batch */
  async apply (ops: WriteOp[]): Promise<void> {
    await withAlso(this.db.batch(), ops).write()
  }
}

/**
 * Layout (sublevels): `msg` seq -> record; `idx` peer!dir!id -> seq (dedup and lookup);
 * `conv` peer!seq -> seq (a conversation in order); `outbox` peer!seq -> seq (undelivered).
 */
class LevelMessageStore implements MessageStore {
  private readonly msg: Table<MessageRecord>
  private readonly idx: Table<number>
  private readonly conv: Table<number>
  private readonly pending: Table<number>
  private readonly envelopes: Table<Uint8Array>
  private lastSeq = 0

  private readonly k: (part: string) => string

  constructor (private readonly db: Db, private readonly queue: SerialQueue, codec: AtRestCodec, private readonly keyParts: KeyParts) {
    this.k = codec.key
    this.msg = openTable(db, 'msg', codec)
    this.idx = openTable(db, 'idx', codec)
    this.conv = openTable(db, 'conv', codec)
    this.pending = openTable(db, 'outbox', codec)
    this.envelopes = openTable(db, 'envelopes', codec)
  }

  /** Reads the last sequence number; a value that does not decode means the wrong key */
  async load (): Promise<void> {
    for await (const [key] of this.msg.entries({ reverse: true, limit: 1 })) {
      this.lastSeq = Number(key)
    }
  }

  async addOutgoing (message: NewMessage, options: WriteOptions = {}): Promise<MessageRecord> {
    return this.queue.run(async () => {
      options.signal?.throwIfAborted()
      if (await this.idx.get(idxKey(this.k(message.peer), 'out', message.id)) !== undefined) {
        throw new DuplicateMessageError(`an outgoing message with id ${message.id} exists`)
      }
      const record = { ...message, seq: this.lastSeq + 1 }
      await withAlso(this.insert(record), [...options.also ?? [], this.pending.putOp(convKey(this.k(record.peer), record.seq), record.seq)]).write()
      this.lastSeq = record.seq
      return record
    })
  }

  async addIncoming (message: NewMessage, options: IncomingWriteOptions = {}): Promise<{ record: MessageRecord, added: boolean }> {
    return this.queue.run(async () => {
      const existing = await this.get(message.peer, 'in', message.id, options)
      if (existing != null) {
        // the other writes (a session's new state) still land: the repeat was decrypted
        if (options.also != null && options.also.length > 0) await withAlso(this.db.batch(), options.also).write()
        return { record: existing, added: false }
      }
      const record = { ...message, seq: this.lastSeq + 1 }
      await withAlso(withAlso(this.insert(record), options.also), options.ifNew).write()
      this.lastSeq = record.seq
      return { record, added: true }
    })
  }

  async get (peer: string, direction: Direction, id: string, options: AbortOptions = {}): Promise<MessageRecord | undefined> {
    options.signal?.throwIfAborted()
    const seq = await this.idx.get(idxKey(this.k(peer), direction, id))
    return seq === undefined ? undefined : await this.msg.get(pad(seq))
  }

  async setStatus (peer: string, id: string, status: DeliveryStatus, error?: string, options: AbortOptions = {}): Promise<MessageRecord | undefined> {
    return this.queue.run(async () => {
      const record = await this.get(peer, 'out', id, options)
      if (record == null) {
        return undefined
      }
      const { error: _previous, ...rest } = record
      const updated: MessageRecord = error == null ? { ...rest, status } : { ...rest, status, error }
      const done = status === 'delivered' || status === 'failed'
      await withAlso(this.db.batch(), [this.msg.putOp(pad(record.seq), updated), ...done ? this.leftOutbox(peer, record) : []]).write()
      return updated
    })
  }

  async setHolders (peer: string, id: string, holders: string[], options: AbortOptions = {}): Promise<MessageRecord | undefined> {
    return this.queue.run(async () => {
      const record = await this.get(peer, 'out', id, options)
      if (record == null) return undefined
      const status = record.status === 'delivered' || record.status === 'failed' ? record.status : 'stored'
      const updated: MessageRecord = { ...record, status, holders }
      await this.msg.put(pad(record.seq), updated)
      return updated
    })
  }

  async markDelivered (peer: string, ids: string[], options: WriteOptions = {}): Promise<MessageRecord[]> {
    return this.queue.run(async () => {
      const batch = withAlso(this.db.batch(), options.also)
      const changed: MessageRecord[] = []
      for (const id of ids) {
        const record = await this.get(peer, 'out', id, options)
        if (record == null || record.status === 'delivered' || record.status === 'failed') continue
        const { error: _error, ...rest } = record
        const updated: MessageRecord = { ...rest, status: 'delivered' }
        withAlso(batch, [this.msg.putOp(pad(record.seq), updated), ...this.leftOutbox(peer, record)])
        changed.push(updated)
      }
      await batch.write()
      return changed
    })
  }

  async deleteIncoming (peer: string, ids: string[], options: WriteOptions = {}): Promise<void> {
    return this.queue.run(async () => {
      const batch = withAlso(this.db.batch(), options.also)
      for (const id of ids) {
        const record = await this.get(peer, 'in', id, options)
        if (record == null) continue
        withAlso(batch, [this.msg.delOp(pad(record.seq)), this.idx.delOp(idxKey(this.k(peer), 'in', id)), this.conv.delOp(convKey(this.k(peer), record.seq))])
      }
      await batch.write()
    })
  }

  async hasIncoming (peer: string, options: AbortOptions = {}): Promise<boolean> {
    options.signal?.throwIfAborted()
    const prefix = idxKey(this.k(peer), 'in', '')
    const found = await this.idx.keys({ gte: prefix, lt: `${prefix}\uffff`, limit: 1 })
    return found.length > 0
  }

  async list (options: ListMessagesOptions = {}): Promise<MessageRecord[]> {
    const limit = options.limit ?? -1
    if (options.peer != null) {
      // receipts and file statuses are not in the conversation index
      const seqs = await this.conv.values({ ...peerRange(this.k(options.peer)), reverse: true, limit })
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

  async outbox (peer?: string, options: AbortOptions = {}): Promise<MessageRecord[]> {
    const seqs = await this.pending.values(peer == null ? {} : peerRange(this.k(peer)))
    options.signal?.throwIfAborted()
    return this.records(seqs.sort((a, b) => a - b))
  }

  async setEnvelope (peer: string, id: string, envelope: Uint8Array, options: WriteOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await withAlso(this.db.batch(), [...options.also ?? [], ...this.keyParts.writes(peer), this.envelopes.putOp(idxKey(this.k(peer), 'out', id), envelope)]).write()
  }

  async envelope (peer: string, id: string, options: AbortOptions = {}): Promise<Uint8Array | undefined> {
    options.signal?.throwIfAborted()
    return this.envelopes.get(idxKey(this.k(peer), 'out', id))
  }

  private insert (record: MessageRecord): Batch {
    const peer = this.k(record.peer)
    return withAlso(this.db.batch(), [
      ...this.keyParts.writes(record.peer),
      this.msg.putOp(pad(record.seq), record),
      this.idx.putOp(idxKey(peer, record.direction, record.id), record.seq),
      // receipts and file statuses are not part of the conversation
      ...record.kind != null ? [] : [this.conv.putOp(convKey(peer, record.seq), record.seq)]
    ])
  }

  /** An outgoing message is done: out of the outbox, its envelope no longer kept for resending */
  private leftOutbox (peer: string, record: MessageRecord): WriteOp[] {
    return [this.pending.delOp(convKey(this.k(peer), record.seq)), this.envelopes.delOp(idxKey(this.k(peer), 'out', record.id))]
  }

  private async records (seqs: number[]): Promise<MessageRecord[]> {
    if (seqs.length === 0) return []
    const found = await this.msg.getMany(seqs.map(pad))
    return found.filter((r): r is MessageRecord => r != null)
  }
}

/**
 * Layout (sublevels): `contacts` peerId -> contact; `names` petname -> peerId; `standing`
 * peerId -> accepted/blocked; `requests` peerId -> message request
 */
class LevelContactStore implements ContactStore {
  private readonly byPeer: Table<Contact>
  private readonly byName: Table<string>
  private readonly byStanding: Table<Standing>
  private readonly pendingRequests: Table<MessageRequest>

  private readonly k: (part: string) => string

  constructor (private readonly db: Db, private readonly queue: SerialQueue, private readonly codec: AtRestCodec, private readonly keyParts: KeyParts) {
    this.k = codec.key
    this.byPeer = openTable(db, 'contacts', codec)
    this.byName = openTable(db, 'names', codec)
    this.byStanding = openTable(db, 'standing', codec)
    this.pendingRequests = openTable(db, 'requests', codec)
  }

  async standing (peerId: string, options: AbortOptions = {}): Promise<Standing | undefined> {
    options.signal?.throwIfAborted()
    return this.byStanding.get(this.k(peerId))
  }

  async standings (options: AbortOptions = {}): Promise<Array<{ peerId: string, standing: Standing }>> {
    // an encrypted store's keys are keyed hashes: the PeerIds come from the key-part records
    const peerOf = await KeyParts.finder(this.db, this.codec)
    const found: Array<{ peerId: string, standing: Standing }> = []
    for await (const [key, standing] of this.byStanding.entries()) {
      options.signal?.throwIfAborted()
      const peerId = await peerOf(key)
      if (peerId != null) found.push({ peerId, standing })
    }
    return found
  }

  async setStanding (peerId: string, standing: Standing | undefined, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    const key = this.k(peerId)
    const change = standing == null ? [this.byStanding.delOp(key)] : [...this.keyParts.writes(peerId), this.byStanding.putOp(key, standing)]
    await withAlso(this.db.batch(), [this.pendingRequests.delOp(key), ...change]).write()
  }

  requestWrite (request: MessageRequest): WriteOp {
    return this.pendingRequests.putOp(this.k(request.peerId), request, this.keyParts.writes(request.peerId))
  }

  requestDelete (peerId: string): WriteOp {
    return this.pendingRequests.delOp(this.k(peerId))
  }

  async requests (options: AbortOptions = {}): Promise<MessageRequest[]> {
    const all = await this.pendingRequests.values()
    options.signal?.throwIfAborted()
    return all.sort((a, b) => a.at - b.at)
  }

  async put (contact: Contact, options: AbortOptions = {}): Promise<void> {
    await this.queue.run(async () => {
      options.signal?.throwIfAborted()
      const owner = await this.byName.get(this.k(contact.name))
      if (owner !== undefined && owner !== contact.peerId) {
        throw new ContactNameTakenError(`the name "${contact.name}" belongs to another contact`)
      }
      const previous = await this.byPeer.get(this.k(contact.peerId))
      const renamed = previous != null && previous.name !== contact.name ? [this.byName.delOp(this.k(previous.name))] : []
      await withAlso(this.db.batch(), [
        ...this.keyParts.writes(contact.peerId, contact.name),
        ...renamed,
        this.byPeer.putOp(this.k(contact.peerId), contact),
        this.byName.putOp(this.k(contact.name), contact.peerId)
      ]).write()
    })
  }

  async get (peerId: string, options: AbortOptions = {}): Promise<Contact | undefined> {
    options.signal?.throwIfAborted()
    return this.byPeer.get(this.k(peerId))
  }

  async getByName (name: string, options: AbortOptions = {}): Promise<Contact | undefined> {
    options.signal?.throwIfAborted()
    const peerId = await this.byName.get(this.k(name))
    return peerId === undefined ? undefined : await this.byPeer.get(this.k(peerId))
  }

  async delete (peerId: string, options: AbortOptions = {}): Promise<void> {
    await this.queue.run(async () => {
      options.signal?.throwIfAborted()
      const previous = await this.byPeer.get(this.k(peerId))
      if (previous == null) return
      await withAlso(this.db.batch(), [this.byPeer.delOp(this.k(peerId)), this.byName.delOp(this.k(previous.name))]).write()
    })
  }

  async list (options: AbortOptions = {}): Promise<Contact[]> {
    const all = await this.byPeer.values()
    options.signal?.throwIfAborted()
    return all.sort((a, b) => a.name.localeCompare(b.name))
  }
}

/**
 * Layout (sublevels): `sessions` peer -> SessionRecord bytes; `prekeys` kind!id -> prekey (keys
 * as base64 in JSON); `prekeyMeta` 'current' -> the published ids.
 */
class LevelKeyStore implements KeyStore {
  private readonly sessions: Table<Uint8Array>
  private readonly prekeyPairs: Table<EncodedPrekey>
  private readonly meta: Table<{ signed: number, pq: number }>

  private readonly k: (part: string) => string

  constructor (private readonly db: Db, codec: AtRestCodec, private readonly keyParts: KeyParts) {
    this.k = codec.key
    this.sessions = openTable(db, 'sessions', codec)
    this.prekeyPairs = openTable(db, 'prekeys', codec)
    this.meta = openTable(db, 'prekeyMeta', codec)
  }

  async loadSession (peer: string, options: AbortOptions = {}): Promise<Uint8Array | undefined> {
    options.signal?.throwIfAborted()
    return this.sessions.get(this.k(peer))
  }

  sessionWrite (peer: string, record: Uint8Array): WriteOp {
    return this.sessions.putOp(this.k(peer), record, this.keyParts.writes(peer))
  }

  async prekey (kind: PrekeyKind, id: number, options: AbortOptions = {}): Promise<StoredPrekey | undefined> {
    options.signal?.throwIfAborted()
    const stored = await this.prekeyPairs.get(prekeyKey(kind, id))
    return stored == null ? undefined : decodePrekey(stored)
  }

  async putPrekey (kind: PrekeyKind, prekey: StoredPrekey, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await this.prekeyPairs.put(prekeyKey(kind, prekey.id), encodePrekey(prekey))
  }

  prekeyDelete (kind: PrekeyKind, id: number): WriteOp {
    return this.prekeyPairs.delOp(prekeyKey(kind, id))
  }

  async prekeys (kind: PrekeyKind, options: AbortOptions = {}): Promise<StoredPrekey[]> {
    const all = await this.prekeyPairs.values({ gt: `${kind}!`, lt: `${kind}"` })
    options.signal?.throwIfAborted()
    return all.map(decodePrekey).sort((a, b) => a.createdAt - b.createdAt)
  }

  async currentPrekeys (options: AbortOptions = {}): Promise<{ signed: number, pq: number } | undefined> {
    options.signal?.throwIfAborted()
    return this.meta.get('current')
  }

  async setCurrentPrekeys (ids: { signed: number, pq: number }, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await this.meta.put('current', ids)
  }

  async deletePrekeys (kind: PrekeyKind, ids: number[], options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await withAlso(this.db.batch(), ids.map(id => this.prekeyDelete(kind, id))).write()
  }
}

/** Layout: `files` transfer id -> transfer record (the id is random, so it names no one) */
class LevelFileStore implements FileStore {
  private readonly transfers: Table<TransferRecord>

  constructor (private readonly db: Db, codec: AtRestCodec) {
    this.transfers = openTable(db, 'files', codec)
  }

  async get (id: string, options: AbortOptions = {}): Promise<TransferRecord | undefined> {
    options.signal?.throwIfAborted()
    return this.transfers.get(id)
  }

  async put (record: TransferRecord, options: WriteOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await withAlso(this.db.batch(), [...options.also ?? [], this.putWrite(record)]).write()
  }

  putWrite (record: TransferRecord): WriteOp {
    return this.transfers.putOp(record.id, record)
  }

  deleteWrite (id: string): WriteOp {
    return this.transfers.delOp(id)
  }

  async list (options: AbortOptions = {}): Promise<TransferRecord[]> {
    const all = await this.transfers.values()
    options.signal?.throwIfAborted()
    return all.sort((a, b) => a.createdAt - b.createdAt)
  }
}

interface EncodedPrekey {
  id: number
  publicKey: string
  privateKey: string
  createdAt: number
  signature?: string
}

function encodePrekey (p: StoredPrekey): EncodedPrekey {
  return {
    id: p.id,
    publicKey: toBase64(p.publicKey, 'base64'),
    privateKey: toBase64(p.privateKey, 'base64'),
    createdAt: p.createdAt,
    ...(p.signature != null ? { signature: toBase64(p.signature, 'base64') } : {})
  }
}

function decodePrekey (e: EncodedPrekey): StoredPrekey {
  return {
    id: e.id,
    publicKey: fromBase64(e.publicKey, 'base64'),
    privateKey: fromBase64(e.privateKey, 'base64'),
    createdAt: e.createdAt,
    ...(e.signature != null ? { signature: fromBase64(e.signature, 'base64') } : {})
  }
}

function prekeyKey (kind: PrekeyKind, id: number): string {
  return `${kind}!${id.toString().padStart(10, '0')}`
}

function idxKey (peer: string, direction: Direction, id: string): string {
  return `${peer}!${direction}!${id}`
}

function convKey (peer: string, seq: number): string {
  return `${peer}!${pad(seq)}`
}

/** '!' is followed by '"' in byte order, so this range holds exactly one peer's keys */
function peerRange (peer: string): { gt: string, lt: string } {
  return { gt: `${peer}!`, lt: `${peer}"` }
}
