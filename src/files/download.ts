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
import { CHECKPOINT_CHUNKS, CHECKPOINT_MS, CHUNK_BYTES, HASH_BYTES, MAX_FRUITLESS_ROUNDS, MAX_KEPT_CHUNK_HASHES, MAX_WRITES_IN_FLIGHT } from './constants.ts'
import { CorruptChunkError, FileMismatchError } from './errors.ts'
import { hashFile } from './hash-file.ts'
import { checkRoom, claimName, makePartialDir, openPartialFile, partialPath, removeFile } from './partial-file.ts'
import { fileInfo } from './file-source.ts'
import { chunkCount, hashChunk, RootBuilder, verifyChunkHash } from './tree.ts'
import { MAX_REQUEST_RANGES } from '../protocols/file/index.ts'
import type { CryptoProvider } from '../crypto/provider/types.ts'
import type { FileExchange } from '../protocols/file/index.ts'
import type { TransferRecord } from '../storage/types.ts'
import type { AbortOptions, Logger, PeerId } from '@libp2p/interface'
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
  const checked = new CheckedChunks(total)
  // read-write, created if missing, never truncated: what a previous run wrote stays
  const file = await openPartialFile(partial)
  try {
    if (total > 0) {
      const connection = await init.exchange.directConnection(init.sender, { signal })
      state = await fetchMissing(init, file, have, checked, connection, state)
    }
    await file.sync()
  } finally {
    await file.close().catch(() => {})
  }
  const { root, sizeBytes } = await checked.rootOf(partial, { signal })
  if (sizeBytes !== transfer.size || toString(root, 'base16') !== transfer.root) {
    await removeFile(partial).catch(() => {})
    await init.checkpoint({ ...state, have: toString(new ChunkSet(total).toBytes(), 'base64'), bytes: 0 })
    throw new FileMismatchError('the finished file does not match the offered root: downloading it again')
  }
  const path = await claimName(init.downloadDir, transfer.name, partial)
  const { have: _have, error: _error, ...rest } = state
  return { ...rest, state: 'done', path, bytes: transfer.size, updatedAt: Date.now() }
}

/**
 * Fetches rounds of the missing ranges until every chunk is held. Up to MAX_WRITES_IN_FLIGHT
 * verified chunks are being written at once while the next ones are checked (the writes run off
 * the main thread); a chunk counts as held once its write is done.
 */
async function fetchMissing (init: DownloadInit, file: PartialFile, have: ChunkSet, checked: CheckedChunks, connection: Awaited<ReturnType<FileExchange['directConnection']>>, start: TransferRecord): Promise<TransferRecord> {
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
  const writing = new Set<Promise<void>>()
  let writeFailed: Error | undefined
  const written = (index: number, chunkHash: Uint8Array): void => {
    have.add(index)
    checked.add(index, chunkHash)
    init.progress(bytesHeld(have, transfer.size))
    sinceCheckpoint++
    if (saving == null && (Date.now() - lastCheckpoint >= CHECKPOINT_MS || sinceCheckpoint >= CHECKPOINT_CHUNKS)) {
      saving = save()
        .catch(err => { init.log('saving the progress of %s failed - %s', transfer.id, err.message) })
        .finally(() => { saving = undefined })
    }
  }
  const write = async (index: number, plaintext: Uint8Array, chunkHash: Uint8Array): Promise<void> => {
    while (writing.size >= MAX_WRITES_IN_FLIGHT) await Promise.race(writing)
    if (writeFailed != null) throw writeFailed
    const pending: Promise<void> = file.write(plaintext, index * CHUNK_BYTES)
      .then(() => { written(index, chunkHash) }, (err: Error) => { writeFailed ??= err })
      .finally(() => { writing.delete(pending) })
    writing.add(pending)
  }
  const allWritten = async (): Promise<void> => {
    await Promise.all(writing)
    if (writeFailed != null) throw writeFailed
  }
  try {
    while (!have.complete) {
      const before = have.count
      let corrupt = 0
      for await (const chunk of init.exchange.fetch(connection, id, have.missing(MAX_REQUEST_RANGES, init.exchange.chunksPerRequest(connection)), { signal })) {
        if (have.has(chunk.index)) continue
        const verified = await checkedChunk(provider, key, root, chunk, have.total, transfer.size).catch((err: Error) => {
          if (err.name !== CorruptChunkError.name) throw err
          init.log('%s - fetching it again', err.message)
          corrupt++
          return undefined
        })
        if (verified != null) await write(chunk.index, verified.plaintext, verified.chunkHash)
      }
      // the next round asks for what is missing once these are written
      await allWritten()
      fruitless = have.count > before ? 0 : fruitless + 1
      if (fruitless >= MAX_FRUITLESS_ROUNDS) {
        throw new CorruptChunkError(`the sender sent ${corrupt} chunks that fail the checks, and nothing usable, ${fruitless} times in a row`)
      }
    }
  } finally {
    // what is verified and written stays verified: save it whatever stopped us
    await Promise.allSettled(writing)
    await saving
    await save().catch(err => { init.log('saving the progress of %s failed - %s', transfer.id, err.message) })
  }
  return state
}

/** Decrypts and proves a chunk: its plaintext and hash, or `CorruptChunkError` */
async function checkedChunk (provider: CryptoProvider, key: Uint8Array, root: Uint8Array, chunk: { index: number, nonce: Uint8Array, ciphertext: Uint8Array, proof: Uint8Array[] }, total: number, size: number): Promise<{ plaintext: Uint8Array, chunkHash: Uint8Array }> {
  const plaintext = await openChunk(provider, key, root, chunk.index, chunk)
  const expected = Math.min(CHUNK_BYTES, size - chunk.index * CHUNK_BYTES)
  const chunkHash = hashChunk(plaintext)
  let proven = false
  try {
    proven = plaintext.byteLength === expected && verifyChunkHash(chunkHash, chunk.index, chunk.proof, root, total)
  } catch {
    // a proof of the wrong shape is as corrupt as a wrong one
  }
  if (!proven) throw new CorruptChunkError(`chunk ${chunk.index} does not match the file's tree`)
  return { plaintext, chunkHash }
}

/**
 * The hashes of the chunks this run checked, for the final check of the whole file against the
 * root: those chunks were proven in memory and written whole, so only chunks carried over from
 * an earlier run (or all of them, past MAX_KEPT_CHUNK_HASHES) are read back from disk and hashed.
 */
class CheckedChunks {
  private readonly hashes?: Uint8Array
  private readonly fresh: ChunkSet

  constructor (readonly total: number) {
    this.fresh = new ChunkSet(total)
    if (total <= MAX_KEPT_CHUNK_HASHES) this.hashes = new Uint8Array(total * HASH_BYTES)
  }

  add (index: number, chunkHash: Uint8Array): void {
    if (this.hashes == null) return
    this.hashes.set(chunkHash, index * HASH_BYTES)
    this.fresh.add(index)
  }

  /** The root of the file at `path`, and its size, from the kept hashes and the file */
  async rootOf (path: string, options: AbortOptions): Promise<{ root: Uint8Array, sizeBytes: number }> {
    const hashes = this.hashes
    if (hashes == null || this.fresh.count === 0) return hashFile(path, options)
    if (this.fresh.complete) {
      const builder = new RootBuilder()
      for (let i = 0; i < this.total; i++) builder.add(hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES))
      return { root: builder.root(), sizeBytes: (await fileInfo(path)).size }
    }
    // chunks from an earlier run are read back and hashed; this run's keep their hashes
    return hashFile(path, { ...options, knownHash: i => this.fresh.has(i) ? hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES) : undefined })
  }
}

/** The bytes of the chunks held (every chunk is CHUNK_BYTES but the last) */
function bytesHeld (have: ChunkSet, size: number): number {
  if (have.total === 0) return 0
  const last = have.has(have.total - 1) ? size - (have.total - 1) * CHUNK_BYTES : 0
  return (have.count - (last > 0 ? 1 : 0)) * CHUNK_BYTES + last
}
