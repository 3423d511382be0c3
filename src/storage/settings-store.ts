import { openTable } from './table.ts'
import { DEFAULT_SETTINGS } from './types.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { Table } from './table.ts'
import type { Db } from './tables.ts'
import type { Settings, SettingsStore } from './types.ts'
import type { AbortOptions } from '@libp2p/interface'

const KEY = 'user'

/** Layout: `settings` 'user' -> the settings the user changed (the rest are the defaults) */
export class LevelSettingsStore implements SettingsStore {
  private readonly table: Table<Partial<Settings>>

  constructor (db: Db, codec: AtRestCodec) {
    this.table = openTable(db, 'settings', codec)
  }

  async get (options: AbortOptions = {}): Promise<Settings> {
    options.signal?.throwIfAborted()
    return { ...DEFAULT_SETTINGS, ...await this.table.get(KEY) }
  }

  async set (change: Partial<Settings>, options: AbortOptions = {}): Promise<Settings> {
    const next = { ...await this.get(options), ...change }
    await this.table.put(KEY, next)
    return next
  }
}
