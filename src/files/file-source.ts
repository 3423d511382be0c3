/**
 * Reading files (Node): what hashing, serving and offering need of the file system.
 * `file-source.browser.ts` is the same over the browser's origin private file system, so the
 * transfer logic above runs unchanged on both.
 */
import { openAsBlob } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'

/** A file opened for reading at any position */
export interface FileSource {
  /**
   * Fills `buffer` with the file's bytes from `position` on; fewer only where the file ends.
   * Resolves with the count (0 at or past the end).
   */
  read(buffer: Uint8Array, position: number): Promise<number>
  close(): Promise<void>
}

export interface FileInfo {
  /** A regular file (not a directory, a device, ...) */
  isFile: boolean
  size: number
  /** Modification time, ms since the epoch */
  modifiedAt: number
}

export async function openFileSource (path: string): Promise<FileSource> {
  const handle = await open(path, 'r')
  return {
    read: async (buffer, position) => {
      // a read may return less than asked (pipes, network file systems): fill the buffer first
      let filled = 0
      while (filled < buffer.byteLength) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.byteLength - filled, position + filled)
        if (bytesRead === 0) break
        filled += bytesRead
      }
      return filled
    },
    close: async () => { await handle.close() }
  }
}

/** @throws the file system's error (`err.code`) when there is nothing at `path` or it cannot be read */
export async function fileInfo (path: string): Promise<FileInfo> {
  const info = await stat(path)
  return { isFile: info.isFile(), size: info.size, modifiedAt: info.mtimeMs }
}

/** The file at `path` as a Blob read from disk when read (not loaded into memory) */
export async function fileBlob (path: string, type = ''): Promise<Blob> {
  return openAsBlob(path, { type })
}

/** `path` made absolute (relative to the working directory) */
export function fullPath (path: string): string {
  return resolve(path)
}

/** The last component of `path` */
export function fileName (path: string): string {
  return basename(path)
}
