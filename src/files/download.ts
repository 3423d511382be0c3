/**
 * The receiving side of a transfer: fetches the chunks a partial file lacks, checks each
 * (decryption under the file's key, then its proof against the root), writes it in place, and
 * at the end checks the whole file against the root before it takes its name in the download
 * folder. The file system is `partial-file.ts`'s (a disk, or a browser's origin private file
 * system).
 */
import { toString } from 'uint8arrays/to-string'
import { fromString } from 'uint8arrays/from-string'
import { openChunk } from './chunk-cipher.ts'
import { ChunkSet } from './chunk-set.ts'
import { CHECKPOINT_CHUNKS, CHECKPOINT_MS, CHUNK_BYTES, MAX_FRUITLESS_ROUNDS } from './constants.ts'
import { CorruptChunkError, FileMismatchError } from './errors.ts'
import { hashFile } from './hash-file.ts'
import { checkRoom, claimName, makePartialDir, openPartialFile, partialPath, removeFile } from './partial-file.ts'
import { MAX_CHUNKS_PER_REQUEST } from './request-size.ts'
import { chunkCount, verifyChunk } from './tree.ts'
import { MAX_REQUEST_RANGES } from '../protocols/file/index.ts'
import type { CryptoProvider } from '../crypto/provider/types.ts'
import type { FileExchange } from '../protocols/file/index.ts'
import type { TransferRecord } from '../storage/types.ts'
import type { Logger, PeerId } from '@libp2p/interface'
import type { PartialFile } from './partial-file.ts'

export { partialPath } from './partial-file.ts'

export interface DownloadInit {
  exchange: FileExchange
  provider: CryptoProvider
  log: Logger
  downloadDir: string
  /** The transfer, incoming, as stored */
  transfer: TransferRecord
  sender: PeerId
  /** Saves the transfer (the chunks held, the bytes): called after the data is durable */
  checkpoint: (transfer: TransferRecord) => Promise<void>
  /** Called as verified bytes arrive (not durable yet) */
  progress: (bytes: number) => void
  signal: AbortSignal
}

/**
 * Downloads what the partial file lacks. Resolves with the transfer `done` (its `path` the
 * file's place in the download folder) once the whole file is checked; throws when it cannot go
 * on, after saving what it verified so far.
 *
 * @throws {DiskFullError} when the disk lacks the room still needed, before or while writing
 * @throws {CorruptChunkError} when rounds of requests bring nothing but chunks that fail the checks
 * @throws {FileMismatchError} when the finished file does not hash to the root (it starts over)
 */
export async function download (init: DownloadInit): Promise<TransferRecord> {
  const { transfer, signal } = init
  const total = chunkCount(transfer.size)
  const have = new ChunkSet(total, transfer.have != null ? fromString(transfer.have, 'base64') : undefined)
  const partial = partialPath(init.downloadDir, transfer.id)
  await makePartialDir(init.downloadDir)
  await checkRoom(init.downloadDir, transfer.size - bytesHeld(have, transfer.size))
  let state: TransferRecord = { ...transfer, path: partial }
  // read-write, created if missing, never truncated: what a previous run wrote stays
  const file = await openPartialFile(partial)
  try {
    if (total > 0) {
      const connection = await init.exchange.directConnection(init.sender, { signal })
      state = await fetchMissing(init, file, have, connection, state)
    }
    await file.sync()
  } finally {
    await file.close().catch(() => {})
  }
  const digest = await hashFile(partial, { signal })
  if (digest.sizeBytes !== transfer.size || toString(digest.root, 'base16') !== transfer.root) {
    await removeFile(partial).catch(() => {})
    await init.checkpoint({ ...state, have: toString(new ChunkSet(total).toBytes(), 'base64'), bytes: 0 })
    throw new FileMismatchError('the finished file does not match the offered root: downloading it again')
  }
  const path = await claimName(init.downloadDir, transfer.name, partial)
  const { have: _have, error: _error, ...rest } = state
  return { ...rest, state: 'done', path, bytes: transfer.size, updatedAt: Date.now() }
}

/** Fetches rounds of the missing ranges until every chunk is held */
async function fetchMissing (init: DownloadInit, file: PartialFile, have: ChunkSet, connection: Awaited<ReturnType<FileExchange['directConnection']>>, start: TransferRecord): Promise<TransferRecord> {
  const { transfer, signal, provider } = init
  const key = fromString(transfer.key, 'base64')
  const root = fromString(transfer.root, 'base16')
  const id = fromString(transfer.id, 'base16')
  let state = start
  let fruitless = 0
  let lastCheckpoint = Date.now()
  let sinceCheckpoint = 0
  let saving: Promise<void> | undefined
  // the chunks held are noted before the sync starts, so the record never names a chunk whose
  // bytes were written after it; chunks keep arriving while the sync runs
  const save = async (): Promise<void> => {
    const snapshot = { ...state, have: toString(have.toBytes(), 'base64'), bytes: bytesHeld(have, transfer.size) }
    lastCheckpoint = Date.now()
    sinceCheckpoint = 0
    await file.sync()
    state = { ...snapshot, updatedAt: Date.now() }
    await init.checkpoint(state)
  }
  try {
    while (!have.complete) {
      const before = have.count
      let corrupt = 0
      for await (const chunk of init.exchange.fetch(connection, id, have.missing(MAX_REQUEST_RANGES, MAX_CHUNKS_PER_REQUEST), { signal })) {
        if (have.has(chunk.index)) continue
        const plaintext = await checkedChunk(provider, key, root, chunk, have.total, transfer.size).catch((err: Error) => {
          if (err.name !== CorruptChunkError.name) throw err
          init.log('%s - fetching it again', err.message)
          corrupt++
          return undefined
        })
        if (plaintext == null) continue
        await file.write(plaintext, chunk.index * CHUNK_BYTES)
        have.add(chunk.index)
        init.progress(bytesHeld(have, transfer.size))
        sinceCheckpoint++
        if (saving == null && (Date.now() - lastCheckpoint >= CHECKPOINT_MS || sinceCheckpoint >= CHECKPOINT_CHUNKS)) {
          saving = save()
            .catch(err => { init.log('saving the progress of %s failed - %s', transfer.id, err.message) })
            .finally(() => { saving = undefined })
        }
      }
      fruitless = have.count > before ? 0 : fruitless + 1
      if (fruitless >= MAX_FRUITLESS_ROUNDS) {
        throw new CorruptChunkError(`the sender sent ${corrupt} chunks that fail the checks, and nothing usable, ${fruitless} times in a row`)
      }
    }
  } finally {
    // what is verified and written stays verified: save it whatever stopped us
    await saving
    await save().catch(err => { init.log('saving the progress of %s failed - %s', transfer.id, err.message) })
  }
  return state
}

/** Decrypts and proves a chunk: its plaintext, or `CorruptChunkError` */
async function checkedChunk (provider: CryptoProvider, key: Uint8Array, root: Uint8Array, chunk: { index: number, nonce: Uint8Array, ciphertext: Uint8Array, proof: Uint8Array[] }, total: number, size: number): Promise<Uint8Array> {
  const plaintext = await openChunk(provider, key, root, chunk.index, chunk)
  const expected = Math.min(CHUNK_BYTES, size - chunk.index * CHUNK_BYTES)
  let proven = false
  try {
    proven = plaintext.byteLength === expected && verifyChunk(plaintext, chunk.index, chunk.proof, root, total)
  } catch {
    // a proof of the wrong shape is as corrupt as a wrong one
  }
  if (!proven) throw new CorruptChunkError(`chunk ${chunk.index} does not match the file's tree`)
  return plaintext
}

/** The bytes of the chunks held (every chunk is CHUNK_BYTES but the last) */
function bytesHeld (have: ChunkSet, size: number): number {
  if (have.total === 0) return 0
  const last = have.has(have.total - 1) ? size - (have.total - 1) * CHUNK_BYTES : 0
  return (have.count - (last > 0 ? 1 : 0)) * CHUNK_BYTES + last
}
