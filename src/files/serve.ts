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
 * Opens the offered file for one stream. Reads each chunk into one reused buffer (sealing copies
 * it into the ciphertext, and a fresh 256 KiB buffer per chunk cost more than reading it) and
 * seals it with a fresh nonce. A file shorter than offered
 * means it changed: the stream fails with `FileUnavailableError` (the tree check, made when the
 * stream opened, catches other edits).
 */
export async function openChunkSource (init: ServeInit): Promise<ChunkSource> {
  const { transfer, tree, provider } = init
  const key = fromHex(transfer.key, 'base64')
  const root = fromHex(transfer.root, 'base16')
  const file = await openFileSource(transfer.path)
  // taken while a chunk is read and sealed; a second chunk asked for meanwhile gets its own
  let spare: Uint8Array | undefined = new Uint8Array(CHUNK_BYTES)
  return {
    chunkCount: tree.chunkCount,
    chunk: async (index, options): Promise<FileChunk> => {
      init.signal.throwIfAborted()
      options.signal?.throwIfAborted()
      const length = Math.min(CHUNK_BYTES, transfer.size - index * CHUNK_BYTES)
      const whole = spare ?? new Uint8Array(CHUNK_BYTES)
      spare = undefined
      let sealed
      try {
        const buffer = whole.subarray(0, length)
        if (await file.read(buffer, index * CHUNK_BYTES) < length) throw new FileUnavailableError('the file is shorter than when it was offered')
        sealed = await sealChunk(provider, key, root, index, buffer)
      } finally {
        spare = whole
      }
      init.onChunk(index, length)
      return { index, nonce: sealed.nonce as Uint8Array<ArrayBuffer>, ciphertext: sealed.ciphertext as Uint8Array<ArrayBuffer>, proof: tree.proof(index) as Array<Uint8Array<ArrayBuffer>> }
    },
    close: async () => {
      await file.close()
    }
  }
}
