/**
 * A file is cut into chunks of this many bytes (the last one shorter, never empty); each chunk is
 * fetched, verified against the hash tree and written on its own. 256 KiB because:
 * - it is what a receiver must hold before it can verify a chunk, times the chunks in flight
 *   (16 in flight is 4 MiB);
 * - it is what an interruption or a corrupt chunk costs to fetch again;
 * - it matches yamux's default initial stream window (256 KiB), so one request fills a window;
 * - the per-chunk cost stays small: a 4 GiB file is 16,384 chunks, each proof 14 hashes
 *   (448 bytes, 0.17 % of a chunk), and the sender's whole tree is 1 MiB of hashes.
 * 1 MiB chunks would shave the proof overhead further but quadruple the buffered and refetched
 * amounts; smaller ones grow the tree and the per-chunk round trips. The root does not commit to
 * the chunk size, so both sides must use the same one: changing it means a new protocol version.
 */
export const CHUNK_BYTES = 256 * 1_024

/** SHA-256: the length of a chunk hash, an inner-node hash, a root and each proof entry */
export const HASH_BYTES = 32

/**
 * Chunk indexes travel as unsigned 32-bit integers, so a file has at most 2^32 chunks and a proof
 * at most 32 hashes (the depth of a tree of 2^32 leaves)
 */
export const MAX_CHUNKS = 2 ** 32
export const MAX_PROOF_HASHES = 32

/**
 * The largest file a tree can describe at CHUNK_BYTES: 2^32 chunks of 256 KiB, 1 PiB. It stays
 * below Number.MAX_SAFE_INTEGER (2^53), so sizes and offsets are exact as plain numbers.
 */
export const MAX_FILE_BYTES = MAX_CHUNKS * CHUNK_BYTES

/** The range of chunk sizes `hashFile` accepts (tests use small ones to get many chunks cheaply) */
export const MIN_CHUNK_BYTES = 1
export const MAX_CHUNK_BYTES = 16 * 1_024 * 1_024
