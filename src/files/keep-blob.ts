/**
 * A file offered without a path of its own (a browser's picked `File`, bytes in memory) is copied
 * into the partial folder first, so it can be served after a restart or a reload: streamed a
 * chunk at a time and hashed on the way, never whole in memory.
 */
import { CHUNK_BYTES } from './constants.ts'
import { NotAFileError } from './errors.ts'
import { openPartialFile } from './partial-file.ts'
import { hashChunk, HashTree } from './tree.ts'
import type { AbortOptions } from '@libp2p/interface'

/**
 * Copies `blob` to `path` (created, its folder must exist) and makes the copy durable. Resolves
 * with the blob's tree, undefined for an empty blob. The next chunk is read while the last one
 * is hashed and written.
 *
 * @throws {NotAFileError} when the blob cannot be read (a picked file changed or removed meanwhile)
 * @throws {DiskFullError} when the copy does not fit
 */
export async function keepBlob (blob: Blob, path: string, options: AbortOptions = {}): Promise<HashTree | undefined> {
  const read = async (position: number): Promise<Uint8Array> => {
    try {
      return new Uint8Array(await blob.slice(position, Math.min(position + CHUNK_BYTES, blob.size)).arrayBuffer())
    } catch (err: any) {
      throw new NotAFileError(`the file cannot be read: ${err.message}`)
    }
  }
  const hashes: Uint8Array[] = []
  const copy = await openPartialFile(path)
  try {
    let next = blob.size > 0 ? read(0) : undefined
    for (let position = 0; next != null; position += CHUNK_BYTES) {
      const chunk = await next
      next = position + CHUNK_BYTES < blob.size ? read(position + CHUNK_BYTES) : undefined
      // a failed read surfaces when it is awaited, not as an unhandled rejection meanwhile
      next?.catch(() => {})
      options.signal?.throwIfAborted()
      hashes.push(hashChunk(chunk))
      await copy.write(chunk, position)
    }
    await copy.sync()
  } finally {
    await copy.close().catch(() => {})
  }
  return hashes.length === 0 ? undefined : HashTree.fromChunkHashes(hashes)
}
