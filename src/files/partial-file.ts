/**
 * Writing files (Node): the partial file a download fills in place, the download folder it
 * finishes in, and the room left for it. `partial-file.browser.ts` is the same over the browser's
 * origin private file system.
 */
import { constants } from 'node:fs'
import { link, mkdir, open, readdir, statfs, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { DISK_MARGIN_BYTES, KEPT_COPY_SUFFIX, PARTIAL_DIR, PARTIAL_SUFFIX } from './constants.ts'
import { DiskFullError } from './errors.ts'
import { numberedName } from './names.ts'

/** A file written at offsets, as chunks arrive in any order */
export interface PartialFile {
  /** Writes all of `data` at `position` (`data` stays the caller's) @throws {DiskFullError} */
  write(data: Uint8Array, position: number): Promise<void>
  /** Makes everything written so far durable */
  sync(): Promise<void>
  close(): Promise<void>
}

/** Where the partial file of transfer `id` is kept while it downloads */
export function partialPath (downloadDir: string, id: string): string {
  return join(downloadDir, PARTIAL_DIR, `${id}${PARTIAL_SUFFIX}`)
}

/** Where the copy of a file offered by `sendBlob` is kept until its transfer `id` ends */
export function keptCopyPath (downloadDir: string, id: string): string {
  return join(downloadDir, PARTIAL_DIR, `${id}${KEPT_COPY_SUFFIX}`)
}

/** Creates the download folder and its partial folder (owner only) if missing */
export async function makePartialDir (downloadDir: string): Promise<void> {
  await mkdir(join(downloadDir, PARTIAL_DIR), { recursive: true, mode: 0o700 })
}

/** The names in the partial folder (none if it does not exist) */
export async function listPartialDir (downloadDir: string): Promise<string[]> {
  return readdir(join(downloadDir, PARTIAL_DIR)).catch((err: any) => {
    if (err.code === 'ENOENT') return []
    throw err
  })
}

/** Opens `path` read-write, created if missing, never truncated: what a previous run wrote stays */
export async function openPartialFile (path: string): Promise<PartialFile> {
  const handle = await open(path, constants.O_RDWR | constants.O_CREAT, 0o600)
  return {
    write: async (data, position) => {
      try {
        let written = 0
        while (written < data.byteLength) {
          const { bytesWritten } = await handle.write(data, written, data.byteLength - written, position + written)
          written += bytesWritten
        }
      } catch (err: any) {
        if (err.code === 'ENOSPC' || err.code === 'EDQUOT') throw new DiskFullError(`the disk is full (${err.code}) writing the download`)
        throw err
      }
    },
    sync: async () => { await handle.datasync() },
    close: async () => { await handle.close() }
  }
}

/** Deletes the file at `path`; nothing there is fine */
export async function removeFile (path: string): Promise<void> {
  await unlink(path).catch((err: any) => {
    if (err.code !== 'ENOENT') throw err
  })
}

/** Refuses to start when the disk lacks `needed` bytes plus a margin */
export async function checkRoom (dir: string, needed: number): Promise<void> {
  const stats = await statfs(dir)
  const free = Number(stats.bavail) * Number(stats.bsize)
  if (free < needed + DISK_MARGIN_BYTES) {
    throw new DiskFullError(`the download needs ${mib(needed)} MiB more and ${dir} has ${mib(free)} MiB free (keeping ${mib(DISK_MARGIN_BYTES)} MiB spare)`)
  }
}

/**
 * Gives the finished file `from` its name in the download folder: `name` (already sanitised),
 * or `name (2)` and so on when taken. A hard link never replaces an existing file, so nothing
 * already there is overwritten, even by a race with another program.
 */
export async function claimName (dir: string, name: string, from: string): Promise<string> {
  for (let n = 1; ; n++) {
    const path = join(dir, n === 1 ? name : numberedName(name, n))
    try {
      await link(from, path)
      await unlink(from)
      return path
    } catch (err: any) {
      if (err.code !== 'EEXIST') throw err
    }
  }
}

function mib (bytes: number): string {
  return (bytes / 1_048_576).toFixed(1)
}
