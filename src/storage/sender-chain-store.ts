import { openTable } from './table.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { KeyParts } from './key-parts.ts'
import type { Table } from './table.ts'
import type { Db } from './tables.ts'
import type { SenderChainStore, WriteOp } from './types.ts'
import type { AbortOptions } from '@libp2p/interface'

/**
 * Layout: `senderChains` group!member -> that member's chains. The whole key is one part, hashed
 * in an encrypted store: it names a member, and a group
 */
export class LevelSenderChainStore implements SenderChainStore {
  private readonly table: Table<Uint8Array>
  private readonly k: (part: string) => string

  constructor (db: Db, codec: AtRestCodec, private readonly keyParts: KeyParts) {
    this.k = codec.key
    this.table = openTable(db, 'senderChains', codec)
  }

  async get (group: string, member: string, options: AbortOptions = {}): Promise<Uint8Array | undefined> {
    options.signal?.throwIfAborted()
    return this.table.get(this.k(`${group}!${member}`))
  }

  putWrite (group: string, member: string, chains: Uint8Array): WriteOp {
    const part = `${group}!${member}`
    return this.table.putOp(this.k(part), chains, this.keyParts.writes(part))
  }

  deleteWrite (group: string, member: string): WriteOp {
    return this.table.delOp(this.k(`${group}!${member}`))
  }
}
