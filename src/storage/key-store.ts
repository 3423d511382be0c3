import { toString as toBase64 } from 'uint8arrays/to-string'
import { fromString as fromBase64 } from 'uint8arrays/from-string'
import { openTable, withAlso } from './table.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { KeyParts } from './key-parts.ts'
import type { Table } from './table.ts'
import type { Db } from './tables.ts'
import type { KeyStore, PrekeyKind, StoredPrekey, WriteOp } from './types.ts'
import type { AbortOptions } from '@libp2p/interface'

/**
 * Layout (sublevels): `sessions` peer -> SessionRecord bytes; `prekeys` kind!id -> prekey (keys
 * as base64 in JSON); `prekeyMeta` 'current' -> the published ids.
 */
export class LevelKeyStore implements KeyStore {
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
