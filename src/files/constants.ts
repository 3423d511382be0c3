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

/** A file's id: random bytes chosen by the sender, naming the transfer on both sides */
export const FILE_ID_BYTES = 16

/** The per-file AES-256-GCM key, fresh for every file sent */
export const FILE_KEY_BYTES = 32

/**
 * Each chunk is encrypted with a fresh random 96-bit nonce, sent beside it. Random rather than the
 * chunk's index because the sender re-encrypts a chunk every time it is fetched again, and a file
 * edited on disk meanwhile would then put new plaintext under a used (key, nonce) pair, which
 * breaks GCM. A key sees at most a few resends of each chunk, far below the 2^32 encryptions the
 * random-nonce bound allows.
 */
export const CHUNK_NONCE_BYTES = 12

/** AES-GCM's tag, appended to each encrypted chunk */
export const CHUNK_TAG_BYTES = 16

/** What a chunk's associated data starts with, so a chunk sealed for anything else never opens */
export const CHUNK_AD_LABEL = 'parley/file-chunk/v1'

/** The longest file name an offer may carry, in UTF-8 bytes (most file systems allow 255) */
export const MAX_NAME_BYTES = 255

/** The longest media type an offer may carry */
export const MAX_TYPE_BYTES = 255

/** Downloads running at once; more wait their turn */
export const MAX_DOWNLOADS = 3

/**
 * A download makes what it wrote durable (fsync) and saves which chunks it holds this often, or
 * after this many chunks (32 MiB) if sooner, so an interruption costs at most that much transfer,
 * and never a chunk recorded but not on disk. The sync runs beside the transfer, not in its way.
 */
export const CHECKPOINT_MS = 1_000
export const CHECKPOINT_CHUNKS = 128

/**
 * Verified chunks a download writes at once (1 MiB of buffers): the writes run off the main
 * thread while it decrypts and checks the next chunks
 */
export const MAX_WRITES_IN_FLIGHT = 4

/**
 * A download keeps each checked chunk's hash (32 bytes) for the final check against the root, so
 * it need not read back what it wrote, for files of up to this many chunks (1 Mi chunks: 256 GiB,
 * 32 MiB of hashes); past that it hashes the finished file again
 */
export const MAX_KEPT_CHUNK_HASHES = 1_048_576

/** Progress events per transfer at most this often */
export const PROGRESS_INTERVAL_MS = 250

/** A download that cannot proceed (sender away, relayed only, busy) tries again after this, doubling */
export const DOWNLOAD_RETRY_BASE_MS = 2_000
export const DOWNLOAD_RETRY_MAX_MS = 5 * 60 * 1_000

/**
 * Rounds of requests in a row that bring no new verified chunk before a download stops and
 * waits (the sender serves only corrupt chunks, say)
 */
export const MAX_FRUITLESS_ROUNDS = 3

/** Free space a download leaves on the disk beyond what it still needs */
export const DISK_MARGIN_BYTES = 64 * 1_024 * 1_024

/** Partial downloads live here, inside the download folder (so finishing one is a rename) */
export const PARTIAL_DIR = '.partial'

/** Trees of offered files kept in memory to answer proofs (each 64 bytes per chunk) */
export const TREE_CACHE_SIZE = 8

/**
 * Kept copies of files offered from memory or a page (`FileTransfers.sendBlob`) also live in the
 * partial folder, under this suffix, until their transfer ends
 */
export const KEPT_COPY_SUFFIX = '.out'

/** A partial download's suffix in the partial folder */
export const PARTIAL_SUFFIX = '.part'

/**
 * Browsers: the worker script (next to the app's script) that writes the origin private file
 * system in place. Only a dedicated worker may open a file for writes at offsets with a flush
 * (`FileSystemSyncAccessHandle`); the main thread's writable streams rewrite the whole file on
 * every commit.
 */
export const OPFS_WORKER_SCRIPT = 'opfs-worker.js'

/**
 * A contact's file offer up to this size downloads at once; a larger one waits for the user
 * (`files resume`), as every stranger's does: a contact could otherwise fill the disk with one
 * offer. `--auto-download <MiB>` changes it.
 */
export const AUTO_DOWNLOAD_MAX_BYTES = 2 * 1_024 * 1_024 * 1_024
