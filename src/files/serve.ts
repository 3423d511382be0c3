/**
 * The sending side of a transfer: a file offered, opened for one stream, its chunks read from
 * disk (or a browser's origin private file system), sealed under the file's key and sent with
 * their proofs.
 */
import { fromString as fromHex } from 'uint8arrays/from-string'
import { FileUnavailableError } from '../protocols/file/index.ts'
import { sealChunk } from './chunk-cipher.ts'
import { CHUNK_BYTES } from './constants.ts'
import { openFileSource } from './file-source.ts'
import type { HashTree } from './tree.ts'
import type { CryptoProvider } from '../crypto/provider/types.ts'
import type { ChunkSource, FileChunk } from '../protocols/file/index.ts'
import type { TransferRecord } from '../storage/types.ts'

export interface ServeInit {
  provider: CryptoProvider
  /** The transfer, outgoing; its `path` is the file */
  transfer: TransferRecord
  tree: HashTree
  /** Called with each chunk's index and length once it is handed to the stream */
  onChunk: (index: number, bytes: number) => void
  /** Aborted when the transfer is cancelled: the stream ends at the next chunk */
  signal: AbortSignal
}

/**
 * Opens the offered file for one stream. Reads each chunk into a buffer of its own (the stream
 * may still hold the previous ones) and seals it with a fresh nonce. A file shorter than offered
 * means it changed: the stream fails with `FileUnavailableError` (the tree check, made when the
 * stream opened, catches other edits).
 */
export async function openChunkSource (init: ServeInit): Promise<ChunkSource> {
  const { transfer, tree, provider } = init
  const key = fromHex(transfer.key, 'base64')
  const root = fromHex(transfer.root, 'base16')
  const file = await openFileSource(transfer.path)
  return {
    chunkCount: tree.chunkCount,
    chunk: async (index, options): Promise<FileChunk> => {
      init.signal.throwIfAborted()
      options.signal?.throwIfAborted()
      const length = Math.min(CHUNK_BYTES, transfer.size - index * CHUNK_BYTES)
      const buffer = new Uint8Array(length)
      if (await file.read(buffer, index * CHUNK_BYTES) < length) throw new FileUnavailableError('the file is shorter than when it was offered')
      const sealed = await sealChunk(provider, key, root, index, buffer)
      init.onChunk(index, length)
      return { index, nonce: sealed.nonce as Uint8Array<ArrayBuffer>, ciphertext: sealed.ciphertext as Uint8Array<ArrayBuffer>, proof: tree.proof(index) as Array<Uint8Array<ArrayBuffer>> }
    },
    close: async () => {
      await file.close()
    }
  }
}
