/**
 * Hashing a file (on disk, or in a browser's origin private file system: see `file-source.ts`):
 * one chunk in memory at a time, whatever the file's size.
 */
import { CHUNK_BYTES } from './constants.ts'
import { openFileSource } from './file-source.ts'
import { chunkCount, hashChunk, HashTree, RootBuilder } from './tree.ts'
import type { AbortOptions } from '@libp2p/interface'

/** Options of `hashFile` and `treeOfFile` */
export interface HashFileOptions extends AbortOptions {
  /**
   * The chunk size. Peers must agree on it (the root does not commit to it), so only tests and
   * benchmarks should change it.
   *
   * @default CHUNK_BYTES
   */
  chunkBytes?: number
  /**
   * The hash of chunk `index` when the caller already knows it (it checked those bytes as it
   * wrote them), so it is not computed again; undefined to hash the chunk read
   */
  knownHash?: (index: number) => Uint8Array | undefined
}

/** What `hashFile` learns of a file */
export interface FileDigest {
  root: Uint8Array
  sizeBytes: number
  chunkCount: number
}

/**
 * The root of the tree of the file at `path`, read to its end one chunk at a time into a single
 * reused buffer: memory stays at one chunk and at most 32 hashes whatever the file's size. The
 * size is what was read, not what `stat` said before, so a file growing meanwhile is hashed
 * consistently with the size returned.
 *
 * @throws {FileTooLargeError} when the file exceeds MAX_FILE_BYTES or MAX_CHUNKS
 * @throws {InvalidChunkSizeError} when `options.chunkBytes` is out of range
 */
export async function hashFile (path: string, options: HashFileOptions = {}): Promise<FileDigest> {
  const builder = new RootBuilder()
  const sizeBytes = await readChunkHashes(path, options, hash => { builder.add(hash) })
  return { root: builder.root(), sizeBytes, chunkCount: builder.chunkCount }
}

/**
 * The whole tree of the file at `path` (what a sender needs to answer proofs), read like
 * `hashFile` does: one chunk in memory, plus the tree's two hashes per chunk. A 0-byte file has
 * no tree: `tree` is undefined and its root is `emptyRoot()`.
 *
 * @throws {FileTooLargeError} when the file exceeds MAX_FILE_BYTES or MAX_CHUNKS
 * @throws {InvalidChunkSizeError} when `options.chunkBytes` is out of range
 */
export async function treeOfFile (path: string, options: HashFileOptions = {}): Promise<{ tree?: HashTree, sizeBytes: number }> {
  const hashes: Uint8Array[] = []
  const sizeBytes = await readChunkHashes(path, options, hash => { hashes.push(hash) })
  return { tree: hashes.length === 0 ? undefined : HashTree.fromChunkHashes(hashes), sizeBytes }
}

/** Reads the file chunk by chunk into one buffer, hands each chunk's hash on, returns the bytes read */
async function readChunkHashes (path: string, options: HashFileOptions, onChunkHash: (hash: Uint8Array) => void): Promise<number> {
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES
  chunkCount(0, chunkBytes) // throws InvalidChunkSizeError on a chunk size out of range
  options.signal?.throwIfAborted()
  const source = await openFileSource(path)
  try {
    // hashing copies what it needs, so one buffer serves every chunk
    const buffer = new Uint8Array(chunkBytes)
    let position = 0
    for (;;) {
      options.signal?.throwIfAborted()
      const filled = await source.read(buffer, position)
      if (filled === 0) break
      position += filled
      // chunkCount throws on a file past the limits, before we hash another chunk of it
      const index = chunkCount(position, chunkBytes) - 1
      onChunkHash(options.knownHash?.(index) ?? hashChunk(buffer.subarray(0, filled)))
      if (filled < chunkBytes) break
    }
    return position
  } finally {
    // a read-only file has nothing to flush: a failing close must not hide the real outcome
    await source.close().catch(() => {})
  }
}
