import { existsSync } from 'node:fs'
import { isAbsolute, join, relative, sep } from 'node:path'
import { DOWNLOADS_DIR } from './constants.ts'
import type { StoredPaths } from './file-store.ts'

/**
 * Paths inside `dataDir` are stored relative to it (with '/' between parts), so the directory
 * keeps its files when moved, copied or restored elsewhere; paths outside it (a file the user
 * sent from their own folders) stay absolute. An empty path (a download deleted) stays empty.
 */
export function storedPathsIn (dataDir: string): StoredPaths {
  return {
    toStored: path => {
      if (path === '' || !isAbsolute(path)) return path
      const inside = relative(dataDir, path)
      return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside.split(sep).join('/')
    },
    fromStored: stored => stored === '' || isAbsolute(stored) ? stored : join(dataDir, ...stored.split('/')),
    relocate: path => relocatedPath(dataDir, path)
  }
}

/**
 * For records written before paths were relative: an absolute path that named the download
 * folder of the data directory where it was written. If the directory has moved since, that
 * path is gone; its part from the download folder on is looked for in this data directory.
 * Returns the path inside `dataDir` when the file is there, else the path as it was.
 */
export function relocatedPath (dataDir: string, path: string): string {
  const marker = `${sep}${DOWNLOADS_DIR}${sep}`
  const at = path.lastIndexOf(marker)
  if (!isAbsolute(path) || at < 0) return path
  const here = join(dataDir, DOWNLOADS_DIR, path.slice(at + marker.length))
  return existsSync(here) ? here : path
}
