import { YAMUX_MAX_STREAM_WINDOW_BYTES } from '../../node/constants.ts'
import { CHUNK_BYTES, CHUNK_NONCE_BYTES, CHUNK_TAG_BYTES, FILE_ID_BYTES, HASH_BYTES, MAX_PROOF_HASHES } from '../../files/constants.ts'

export const PROTOCOL = '/parley/file/1.0.0'

/** Ranges one request may name: a receiver with a more scattered gap set asks again afterwards */
export const MAX_REQUEST_RANGES = 1_024

/** A request frame: the id and the ranges, each at most a few bytes of protobuf */
export const MAX_REQUEST_BYTES = FILE_ID_BYTES + MAX_REQUEST_RANGES * 14 + 64

/** A chunk frame: the encrypted chunk, its nonce and a full proof, with protobuf's framing */
export const MAX_CHUNK_FRAME_BYTES = CHUNK_BYTES + CHUNK_TAG_BYTES + CHUNK_NONCE_BYTES + MAX_PROOF_HASHES * (HASH_BYTES + 2) + 64

/** The muxers whose streams have a flow-control window (yamux's): see `chunksPerRequest` */
export const WINDOWED_MUXERS = new Set(['/yamux/1.0.0'])

/**
 * Chunks one request may ask for on a connection whose streams have no window (WebRTC: a data
 * channel per stream). Pausing such a stream does not stop its sender, and libp2p aborts a
 * stream once 4 MiB lie unread in it, so a receiver asks for no more than fit: 12 chunk frames
 * are 3.2 MB.
 */
export const WINDOWLESS_CHUNKS_PER_REQUEST = 12

/**
 * A receiver pauses a file stream while it holds more than this unread (see `ReadAhead`): 8 chunks
 * read ahead of the disk
 */
export const MAX_READ_AHEAD_BYTES = 8 * MAX_CHUNK_FRAME_BYTES

/**
 * What a receiver's reader may hold before the stream is aborted: the read-ahead, plus a full
 * yamux window delivered on resume, plus a frame. Only a sender that ignores yamux's window gets there.
 */
export const MAX_READ_BUFFER_BYTES = MAX_READ_AHEAD_BYTES + YAMUX_MAX_STREAM_WINDOW_BYTES + MAX_CHUNK_FRAME_BYTES

/** How long a receiver may take to send its request, and a sender to answer it */
export const REQUEST_TIMEOUT_MS = 10_000

/**
 * A stream on which no chunk moves for this long is dropped, either way: a receiver that stopped
 * reading, or a sender that stopped sending (or serves so slowly it may as well have). The
 * receiver asks again, later or elsewhere.
 */
export const STALL_TIMEOUT_MS = 30_000

/** Streams per connection each way: one per file being fetched, a few files at once */
export const MAX_INBOUND_STREAMS = 4
export const MAX_OUTBOUND_STREAMS = 4

/** Files this node serves at once, over all peers; more get BUSY and ask again later */
export const MAX_SERVING = 16
