import { Level } from 'level'
import { ContactNameTakenError, DataDirLockedError, DuplicateMessageError, StorageCorruptError } from './errors.ts'
import type { Contact, ContactStore, DeliveryStatus, Direction, ListMessagesOptions, MessageRecord, MessageStore, NewMessage } from './types.ts'
import type { AbortOptions } from '@libp2p/interface'
import type { AbstractLevel, AbstractSublevel } from 'abstract-level'

type Db = AbstractLevel<string | Buffer | Uint8Array, string, unknown>
type Sub<V> = AbstractSublevel<Db, string | Buffer | Uint8Array, string, V>

/** Sequence numbers are zero-padded so LevelDB's byte order is numeric order */
const SEQ_WIDTH = 16
const pad = (seq: number): string => seq.toString().padStart(SEQ_WIDTH, '0')

/**
 * Runs read-then-write operations one at a time. This process holds LevelDB's lock, so with
 * every such operation queued here a check and the write that depends on it are atomic.
 */
class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve()

  async run<T> (fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn)
    this.tail = result.catch(() => {})
    return result
  }

  async idle (): Promise<void> {
    await this.tail
  }
}

/**
 * The node's own database: message history, outbox and contacts in one LevelDB directory.
 * Open it before anything else, so a second daemon on the same data directory fails at once.
 */
export class LevelStore {
  readonly messages: LevelMessageStore
  readonly contacts: LevelContactStore
  private readonly db: Db
  private readonly queue = new WriteQueue()

  private readonly location: string

  /** `path` opens LevelDB there; a database instance (e.g. `memory-level`) is used as it is */
  constructor (path: string | Db) {
    this.db = typeof path === 'string' ? new Level<string, unknown>(path, { valueEncoding: 'json' }) : path
    this.location = typeof path === 'string' ? path : 'memory'
    this.messages = new LevelMessageStore(this.db, this.queue)
    this.contacts = new LevelContactStore(this.db, this.queue)
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
    await this.messages.load()
  }

  async close (): Promise<void> {
    await this.queue.idle()
    await this.db.close()
  }
}

/**
 * Layout (sublevels): `msg` seq -> record; `idx` peer!dir!id -> seq (dedup and lookup);
 * `conv` peer!seq -> seq (a conversation in order); `outbox` peer!seq -> seq (undelivered).
 */
class LevelMessageStore implements MessageStore {
  private readonly msg: Sub<MessageRecord>
  private readonly idx: Sub<number>
  private readonly conv: Sub<number>
  private readonly pending: Sub<number>
  private lastSeq = 0

  constructor (private readonly db: Db, private readonly queue: WriteQueue) {
    this.msg = db.sublevel<string, MessageRecord>('msg', { valueEncoding: 'json' })
    this.idx = db.sublevel<string, number>('idx', { valueEncoding: 'json' })
    this.conv = db.sublevel<string, number>('conv', { valueEncoding: 'json' })
    this.pending = db.sublevel<string, number>('outbox', { valueEncoding: 'json' })
  }

  async load (): Promise<void> {
    for await (const key of this.msg.keys({ reverse: true, limit: 1 })) {
      this.lastSeq = Number(key)
    }
  }

  async addOutgoing (message: NewMessage, options: AbortOptions = {}): Promise<MessageRecord> {
    return this.queue.run(async () => {
      options.signal?.throwIfAborted()
      if (await this.idx.get(idxKey(message.peer, 'out', message.id)) !== undefined) {
        throw new DuplicateMessageError(`an outgoing message with id ${message.id} exists`)
      }
      const record = { ...message, seq: this.lastSeq + 1 }
      await this.insert(record).put(convKey(record.peer, record.seq), record.seq, { sublevel: this.pending }).write()
      this.lastSeq = record.seq
      return record
    })
  }

  async addIncoming (message: NewMessage, options: AbortOptions = {}): Promise<{ record: MessageRecord, added: boolean }> {
    return this.queue.run(async () => {
      const existing = await this.get(message.peer, 'in', message.id, options)
      if (existing != null) {
        return { record: existing, added: false }
      }
      const record = { ...message, seq: this.lastSeq + 1 }
      await this.insert(record).write()
      this.lastSeq = record.seq
      return { record, added: true }
    })
  }

  async get (peer: string, direction: Direction, id: string, options: AbortOptions = {}): Promise<MessageRecord | undefined> {
    options.signal?.throwIfAborted()
    const seq = await this.idx.get(idxKey(peer, direction, id))
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
      const batch = this.db.batch().put(pad(record.seq), updated, { sublevel: this.msg })
      if (status === 'delivered' || status === 'failed') {
        batch.del(convKey(peer, record.seq), { sublevel: this.pending })
      }
      await batch.write()
      return updated
    })
  }

  async list (options: ListMessagesOptions = {}): Promise<MessageRecord[]> {
    const limit = options.limit ?? -1
    const seqs = options.peer != null
      ? await this.conv.values({ ...peerRange(options.peer), reverse: true, limit }).all()
      : (await this.msg.keys({ reverse: true, limit }).all()).map(Number)
    options.signal?.throwIfAborted()
    return this.records(seqs.reverse())
  }

  async outbox (peer?: string, options: AbortOptions = {}): Promise<MessageRecord[]> {
    const seqs = await this.pending.values(peer == null ? {} : peerRange(peer)).all()
    options.signal?.throwIfAborted()
    return this.records(seqs.sort((a, b) => a - b))
  }

  private insert (record: MessageRecord): ReturnType<Db['batch']> {
    return this.db.batch()
      .put(pad(record.seq), record, { sublevel: this.msg })
      .put(idxKey(record.peer, record.direction, record.id), record.seq, { sublevel: this.idx })
      .put(convKey(record.peer, record.seq), record.seq, { sublevel: this.conv })
  }

  private async records (seqs: number[]): Promise<MessageRecord[]> {
    if (seqs.length === 0) return []
    const found = await this.msg.getMany(seqs.map(pad))
    return found.filter((r): r is MessageRecord => r != null)
  }
}

/** Layout (sublevels): `contacts` peerId -> contact; `names` petname -> peerId */
class LevelContactStore implements ContactStore {
  private readonly byPeer: Sub<Contact>
  private readonly byName: Sub<string>

  constructor (private readonly db: Db, private readonly queue: WriteQueue) {
    this.byPeer = db.sublevel<string, Contact>('contacts', { valueEncoding: 'json' })
    this.byName = db.sublevel<string, string>('names', { valueEncoding: 'json' })
  }

  async put (contact: Contact, options: AbortOptions = {}): Promise<void> {
    await this.queue.run(async () => {
      options.signal?.throwIfAborted()
      const owner = await this.byName.get(contact.name)
      if (owner !== undefined && owner !== contact.peerId) {
        throw new ContactNameTakenError(`the name "${contact.name}" belongs to another contact`)
      }
      const previous = await this.byPeer.get(contact.peerId)
      const batch = this.db.batch()
      if (previous != null && previous.name !== contact.name) {
        batch.del(previous.name, { sublevel: this.byName })
      }
      await batch
        .put(contact.peerId, contact, { sublevel: this.byPeer })
        .put(contact.name, contact.peerId, { sublevel: this.byName })
        .write()
    })
  }

  async get (peerId: string, options: AbortOptions = {}): Promise<Contact | undefined> {
    options.signal?.throwIfAborted()
    return this.byPeer.get(peerId)
  }

  async getByName (name: string, options: AbortOptions = {}): Promise<Contact | undefined> {
    options.signal?.throwIfAborted()
    const peerId = await this.byName.get(name)
    return peerId === undefined ? undefined : await this.byPeer.get(peerId)
  }

  async delete (peerId: string, options: AbortOptions = {}): Promise<void> {
    await this.queue.run(async () => {
      options.signal?.throwIfAborted()
      const previous = await this.byPeer.get(peerId)
      if (previous == null) return
      await this.db.batch()
        .del(peerId, { sublevel: this.byPeer })
        .del(previous.name, { sublevel: this.byName })
        .write()
    })
  }

  async list (options: AbortOptions = {}): Promise<Contact[]> {
    const all = await this.byPeer.values().all()
    options.signal?.throwIfAborted()
    return all.sort((a, b) => a.name.localeCompare(b.name))
  }
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
