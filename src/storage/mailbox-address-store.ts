import { fromString as fromBase64 } from 'uint8arrays/from-string'
import { toString as toBase64 } from 'uint8arrays/to-string'
import { openTable, withAlso } from './table.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { KeyParts } from './key-parts.ts'
import type { Table } from './table.ts'
import type { Db } from './tables.ts'
import type { MailboxAddress, MailboxAddressStore, WriteOp } from './types.ts'
import type { AbortOptions } from '@libp2p/interface'

/** A peer's announced identities as stored: public keys in base64, and the peer (the key is hashed in an encrypted store) */
interface StoredAddresses {
  peer: string
  theirs: Array<{ epoch: number, publicKey: string }>
}

/**
 * Layout: `mailboxAddresses` peer -> the mailbox identities (epoch, public key) it announced;
 * `mailboxAnnounced` peer -> the last epoch this node announced its own to it through;
 * `mailboxRequests` peer -> its requests mailbox key (base64). Tables apart, so that learning a
 * peer's, noting what it was told and keeping its bundle's key never write over each other.
 */
export class LevelMailboxAddressStore implements MailboxAddressStore {
  private readonly addresses: Table<StoredAddresses>
  private readonly announced: Table<number>
  private readonly requestKeys: Table<string>
  private readonly k: (part: string) => string

  constructor (private readonly db: Db, codec: AtRestCodec, private readonly keyParts: KeyParts) {
    this.k = codec.key
    this.addresses = openTable(db, 'mailboxAddresses', codec)
    this.announced = openTable(db, 'mailboxAnnounced', codec)
    this.requestKeys = openTable(db, 'mailboxRequests', codec)
  }

  async theirs (peer: string, options: AbortOptions = {}): Promise<MailboxAddress[]> {
    options.signal?.throwIfAborted()
    const stored = await this.addresses.get(this.k(peer))
    return stored?.theirs.map(a => ({ epoch: a.epoch, publicKey: fromBase64(a.publicKey, 'base64') })) ?? []
  }

  theirsWrite (peer: string, addresses: MailboxAddress[]): WriteOp {
    const stored: StoredAddresses = { peer, theirs: addresses.map(a => ({ epoch: a.epoch, publicKey: toBase64(a.publicKey, 'base64') })) }
    return this.addresses.putOp(this.k(peer), stored, this.keyParts.writes(peer))
  }

  async announcers (options: AbortOptions = {}): Promise<string[]> {
    const peers: string[] = []
    for await (const [, stored] of this.addresses.entries()) {
      options.signal?.throwIfAborted()
      peers.push(stored.peer)
    }
    return peers
  }

  async requests (peer: string, options: AbortOptions = {}): Promise<Uint8Array | undefined> {
    options.signal?.throwIfAborted()
    const stored = await this.requestKeys.get(this.k(peer))
    return stored == null ? undefined : fromBase64(stored, 'base64')
  }

  async setRequests (peer: string, publicKey: Uint8Array, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await withAlso(this.db.batch(), [this.requestKeys.putOp(this.k(peer), toBase64(publicKey, 'base64'), this.keyParts.writes(peer))]).write()
  }

  async announcedThrough (peer: string, options: AbortOptions = {}): Promise<number | undefined> {
    options.signal?.throwIfAborted()
    return this.announced.get(this.k(peer))
  }

  async setAnnouncedThrough (peer: string, epoch: number, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await withAlso(this.db.batch(), [this.announced.putOp(this.k(peer), epoch, this.keyParts.writes(peer))]).write()
  }
}
