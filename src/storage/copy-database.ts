import { rm } from 'node:fs/promises'
import { concat } from 'uint8arrays/concat'
import { convertMailboxTables, isMailboxLayoutTable } from '../protocols/mailbox/store-tables.ts'
import { plainCodec } from './at-rest.ts'
import { UnrecoverableKeyError } from './errors.ts'
import { KeyParts } from './key-parts.ts'
import { LevelStore } from './level-store.ts'
import { splitKey, tableSpec } from './tables.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { LevelStoreInit } from './level-store.ts'
import type { Db, KeyPart } from './tables.ts'

/** Entries written per batch: a long history is copied in bounded memory */
const BATCH_ENTRIES = 1_000
/** Keys with their sublevel prefix, values as stored */
const RAW = { keyEncoding: 'view', valueEncoding: 'view' } as const

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * Copies everything the database at `fromPath` holds into a new one at `toPath`, written with
 * another codec. It walks the whole key space rather than a list of tables, so a table added
 * later is copied too: LevelStore's tables (tables.ts) re-sealed, with the PeerIds and names in
 * their keys hashed again or restored; the mailbox storer's tables converted to the layout the
 * new codec reads (see `MailboxTables`); any other sublevel byte for byte. Whatever it wrote is
 * removed if it fails. `init` is how the source store is opened (its data directory's paths).
 *
 * @throws UnrecoverableKeyError when keys of an encrypted store name parts it has no record of
 */
export async function copyDatabase (fromPath: string, fromCodec: AtRestCodec, toPath: string, toCodec: AtRestCodec, init: LevelStoreInit = {}): Promise<void> {
  await rm(toPath, { recursive: true, force: true })
  // opening it brings an earlier release's layout up to date first (init: where its files are)
  const from = new LevelStore(fromPath, fromCodec, init)
  await from.open()
  try {
    const to = new LevelStore(toPath, toCodec)
    await to.open()
    try {
      const parts = await copyEntries(from.database, fromCodec, to.database, toCodec)
      await to.apply(new KeyParts(to.database, toCodec).writes(...parts))
      // the storer's tables are sealed under a passphrase and in the clear without one: they are
      // converted from the old database, so the new files never hold the other layout. An
      // encrypted one may still hold the plain layout too (an earlier release wrote it, and no
      // storer opened it since to seal it).
      await convertMailboxTables(from.database, plainCodec, to.database, toCodec)
      if (fromCodec.encrypted) await convertMailboxTables(from.database, fromCodec, to.database, toCodec)
    } finally {
      await to.close()
    }
  } catch (err) {
    await rm(toPath, { recursive: true, force: true })
    throw err
  } finally {
    await from.close()
  }
}

/** Copies every entry but the key-part records; returns the parts in the keys it wrote */
async function copyEntries (from: Db, fromCodec: AtRestCodec, to: Db, toCodec: AtRestCodec): Promise<Set<string>> {
  const findPart = await KeyParts.finder(from, fromCodec)
  const parts = new Set<string>()
  const unrecoverable = new Map<string, number>()
  let batch = to.batch()
  for await (const [key, value] of from.iterator<Uint8Array, Uint8Array>(RAW)) {
    const { table, prefix, local } = splitKey(key)
    const spec = tableSpec(table)
    if (isMailboxLayoutTable(table)) {
      continue // converted by copyDatabase
    } else if (spec == null) {
      batch.put(key, value, RAW)
    } else if (table !== 'keyParts') { // rebuilt from the parts copied
      const rekeyed = await rekey(decoder.decode(local), spec.keyPart, findPart, toCodec)
      if (rekeyed == null) {
        unrecoverable.set(table, (unrecoverable.get(table) ?? 0) + 1)
        continue
      }
      if (rekeyed.part != null) parts.add(rekeyed.part)
      batch.put(concat([prefix, encoder.encode(rekeyed.key)]), toCodec.seal(table, rekeyed.key, fromCodec.open(table, decoder.decode(local), value)), RAW)
    }
    if (batch.length >= BATCH_ENTRIES) {
      await batch.write()
      batch = to.batch()
    }
  }
  if (unrecoverable.size > 0) {
    await batch.close()
    const total = [...unrecoverable.values()].reduce((sum, count) => sum + count, 0)
    const counts = [...unrecoverable].map(([table, count]) => `${table}: ${count}`).join(', ')
    throw new UnrecoverableKeyError(`${total} entries (${counts}) are keyed by PeerIds or names that nothing else in the database records (an earlier release wrote them): they cannot be written in the clear, so the passphrase stays and nothing was changed`)
  }
  await batch.write()
  return parts
}

/** `local` as `toCodec` writes it; undefined when its part cannot be found */
async function rekey (local: string, keyPart: KeyPart, findPart: (stored: string) => Promise<string | undefined>, toCodec: AtRestCodec): Promise<{ key: string, part?: string } | undefined> {
  if (keyPart === 'none') return { key: local }
  const cut = keyPart === 'head' ? local.indexOf('!') : -1
  const [stored, rest] = cut < 0 ? [local, ''] : [local.slice(0, cut), local.slice(cut)]
  const part = await findPart(stored)
  return part == null ? undefined : { key: toCodec.key(part) + rest, part }
}
