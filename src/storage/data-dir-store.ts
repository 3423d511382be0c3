import { join } from 'node:path'
import { MESSAGES_DIR } from './constants.ts'
import { LevelStore } from './level-store.ts'
import { storedPathsIn } from './stored-paths.ts'
import type { AtRestCodec } from './at-rest.ts'
import type { LevelStoreInit } from './level-store.ts'

/**
 * The store of a data directory: its database, with transfer paths kept relative to the
 * directory. Everything that opens a data directory's store opens it here, so the layout
 * upgrade on open always knows where the directory is.
 */
export function dataDirStore (dataDir: string, codec?: AtRestCodec, init: Omit<LevelStoreInit, 'paths'> = {}): LevelStore {
  return new LevelStore(join(dataDir, MESSAGES_DIR), codec, { ...init, paths: storedPathsIn(dataDir) })
}
