import { fromString as fromBase64 } from 'uint8arrays/from-string'
import { toString as toBase64 } from 'uint8arrays/to-string'
import { openTable } from './table.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { Table } from './table.ts'
import type { Db } from './tables.ts'
import type { GroupMailboxStore, PendingGroupDeposit } from './types.ts'
import type { AbortOptions } from '@libp2p/interface'

/** A pending deposit as stored: its envelope in base64 */
type StoredDeposit = Omit<PendingGroupDeposit, 'envelope'> & { envelope: string }

/**
 * Layout: `groupCursors` group!mailbox (the group mailbox's own PeerId, which names no member)
 * -> { storer PeerId: stored_at } where this node's last fetch from each storer ended;
 * `groupDeposits` group!message id -> a message of this node's still to be left with more
 * storers of its group's mailbox (src/groups/group-mailbox.ts).
 */
export class LevelGroupMailboxStore implements GroupMailboxStore {
  private readonly cursorTable: Table<Record<string, number>>
  private readonly depositTable: Table<StoredDeposit>

  constructor (db: Db, codec: AtRestCodec) {
    this.cursorTable = openTable(db, 'groupCursors', codec)
    this.depositTable = openTable(db, 'groupDeposits', codec)
  }

  async cursors (group: string, mailbox: string, options: AbortOptions = {}): Promise<Map<string, number>> {
    options.signal?.throwIfAborted()
    return new Map(Object.entries(await this.cursorTable.get(`${group}!${mailbox}`) ?? {}))
  }

  async setCursors (group: string, mailbox: string, cursors: Map<string, number>, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await this.cursorTable.put(`${group}!${mailbox}`, Object.fromEntries(cursors))
  }

  async pending (options: AbortOptions = {}): Promise<PendingGroupDeposit[]> {
    const found: PendingGroupDeposit[] = []
    for await (const [, stored] of this.depositTable.entries()) {
      options.signal?.throwIfAborted()
      found.push({ ...stored, envelope: fromBase64(stored.envelope, 'base64') })
    }
    return found
  }

  async putPending (deposit: PendingGroupDeposit, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await this.depositTable.put(`${deposit.group}!${deposit.id}`, { ...deposit, envelope: toBase64(deposit.envelope, 'base64') })
  }

  async deletePending (group: string, id: string, options: AbortOptions = {}): Promise<void> {
    options.signal?.throwIfAborted()
    await this.depositTable.sub.del(`${group}!${id}`)
  }
}
