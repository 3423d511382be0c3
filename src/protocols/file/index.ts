/**
 * @packageDocumentation
 *
 * `/parley/file/1.0.0`: the bytes of a shared file, from the peer that offered it to the peer it
 * was offered to, over direct connections only (never a relay). What a file is, its key and its
 * tree travel in an end-to-end encrypted message (see src/files); this protocol moves sealed
 * chunks and their inclusion proofs, and the receiver checks both.
 */
import { FileExchange as FileExchangeClass } from './file-exchange.ts'
import type { FileChunk } from './pb/file.ts'
import type { AbortOptions, ComponentLogger, Libp2pEvents, PeerId, PeerStore, TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

export { PROTOCOL, MAX_REQUEST_RANGES, STALL_TIMEOUT_MS, WINDOWLESS_CHUNKS_PER_REQUEST } from './constants.ts'
export * from './errors.ts'
export type { FileExchange } from './file-exchange.ts'
export type { FileChunk } from './pb/file.ts'

export interface FileExchangeInit {
  /** @default '/parley/file/1.0.0' */
  protocol?: string
  /** A stream on which no chunk moves this long is dropped. @default STALL_TIMEOUT_MS */
  stallTimeoutMs?: number
  /** How long to wait for a direct connection when only relayed ones exist. @default STALL_TIMEOUT_MS */
  directWaitMs?: number
}

export interface FileExchangeComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
  peerStore: PeerStore
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

/** What a sender serves one stream from: the file opened, its tree at hand */
export interface ChunkSource {
  /** The file's chunk count, from its size */
  readonly chunkCount: number
  /** Chunk `index`, sealed, with its inclusion proof */
  chunk(index: number, options: AbortOptions): Promise<FileChunk>
  /** The stream is over, served or not */
  close(): Promise<void>
}

/**
 * Finds what to serve when `from` asks for file `fileId`. Throws `UnknownFileError` when that file
 * was not offered to `from`, `FileUnavailableError` when it cannot be served; the receiver learns
 * which, with the error's message.
 */
export interface FileResolver {
  (fileId: Uint8Array, from: PeerId, options: AbortOptions): Promise<ChunkSource>
}

export function fileExchange (init: FileExchangeInit = {}): (components: FileExchangeComponents) => FileExchangeClass {
  return (components) => new FileExchangeClass(components, init)
}
