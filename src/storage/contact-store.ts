import { KeyParts } from './key-parts.ts'
import { ContactNameTakenError } from './errors.ts'
import { openTable, withAlso } from './table.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { Table } from './table.ts'
import type { Db } from './tables.ts'
import type { Contact, ContactStore, MessageRequest, Standing, Verified, WriteOp } from './types.ts'
import type { SerialQueue } from '../utils/serial-queue.ts'
import type { AbortOptions } from '@libp2p/interface'

/**
 * Layout (sublevels): `contacts` peerId -> contact; `names` petname -> peerId; `standing`
 * peerId -> accepted/blocked; `requests` peerId -> message request; `verified` peerId -> when
 * the user marked the safety number with that peer as compared (any peer: a group's members
 * need not be contacts)
 */
export class LevelContactStore implements ContactStore {
  private readonly byPeer: Table<Contact>
  private readonly byName: Table<string>
  private readonly byStanding: Table<Standing>
  private readonly pendingRequests: Table<MessageRequest>
  private readonly byVerified: Table<number>

  private readonly k: (part: string) => string

  constructor (private readonly db: Db, private readonly queue: SerialQueue, private readonly codec: AtRestCodec, private readonly keyParts: KeyParts) {
    this.k = codec.key
    this.byPeer = openTable(db, 'contacts', codec)
    this.byName = openTable(db, 'names', codec)
    this.byStanding = openTable(db, 'standing', codec)
    this.pendingRequests = openTable(db, 'requests', codec)
    this.byVerified = openTable(db, 'verified', codec)
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

  async verifiedAt (peerId: string, options: AbortOptions = {}): Promise<number | undefined> {
    options.signal?.throwIfAborted()
    return this.byVerified.get(this.k(peerId))
  }

  async setVerified (peerId: string, at: number | undefined, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    const key = this.k(peerId)
    const change = at == null ? [this.byVerified.delOp(key)] : [...this.keyParts.writes(peerId), this.byVerified.putOp(key, at)]
    await withAlso(this.db.batch(), change).write()
  }

  async verifiedPeers (options: AbortOptions = {}): Promise<Verified[]> {
    const peerOf = await KeyParts.finder(this.db, this.codec)
    const found: Verified[] = []
    for await (const [key, at] of this.byVerified.entries()) {
      options.signal?.throwIfAborted()
      const peerId = await peerOf(key)
      if (peerId != null) found.push({ peerId, at })
    }
    return found
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

