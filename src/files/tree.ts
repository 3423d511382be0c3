/**
 * The hash tree that content-addresses a shared file.
 *
 * A file of `n` chunks (see CHUNK_BYTES; a 0-byte file has no chunks) is the binary tree of
 * RFC 6962 section 2.1 (Certificate Transparency's Merkle Tree Hash) over SHA-256:
 * - a chunk's hash (a leaf) is `SHA-256(0x00 || chunk)`;
 * - an inner node's hash is `SHA-256(0x01 || left || right)`;
 * - the tree is built level by level, pairing neighbours left to right; a level with an odd count
 *   promotes its last node unchanged to the next level (it is not hashed with itself, which would
 *   let a file of chunks A B C and one of A B C C share a root);
 * - the root of a 0-chunk file is `SHA-256()` of nothing; of a 1-chunk file, that chunk's hash.
 *
 * Level-by-level pairing with promotion builds exactly RFC 6962's tree (whose left subtree is
 * always the largest power of two below `n`), so its proofs are RFC 9162's inclusion proofs and
 * a root can be checked with any implementation of either.
 *
 * The distinct first bytes keep a leaf from passing as an inner node and the reverse: a 64-byte
 * chunk that happens to be `left || right` hashes to something else than their parent node, so
 * nobody can serve a subtree as a chunk. With promotion instead of duplication, that makes the
 * root commit to the chunk count. A single proof does not, though (chunk 0 of 3 has the same path
 * as chunk 0 of 4, its last sibling standing for a leaf or a subtree), so `verifyChunk` must be
 * given the count derived from the file's authenticated size, never one a serving peer claims.
 */
import { sha256 } from './sha256.ts'
import { CHUNK_BYTES, HASH_BYTES, MAX_CHUNK_BYTES, MAX_CHUNKS, MAX_FILE_BYTES, MIN_CHUNK_BYTES } from './constants.ts'
import { FileTooLargeError, InvalidChunkCountError, InvalidChunkIndexError, InvalidChunkSizeError, InvalidHashError, InvalidProofError } from './errors.ts'

const LEAF_PREFIX = Uint8Array.of(0x00)
const NODE_PREFIX = Uint8Array.of(0x01)

/** The hash of a chunk: a leaf of the tree */
export function hashChunk (chunk: Uint8Array): Uint8Array {
  if (!(chunk instanceof Uint8Array)) throw new TypeError('chunk must be a Uint8Array')
  return sha256(LEAF_PREFIX, chunk)
}

/** The hash of an inner node from its two children's hashes */
export function hashNode (left: Uint8Array, right: Uint8Array): Uint8Array {
  checkHash('left', left)
  checkHash('right', right)
  return hashPair(left, right)
}

/** The root of a tree with no chunks (a 0-byte file): SHA-256 of nothing */
export function emptyRoot (): Uint8Array {
  return sha256()
}

/**
 * The number of chunks of a file of `sizeBytes`: 0 for an empty file, the last chunk may be short
 *
 * @throws {FileTooLargeError} when the file would exceed MAX_FILE_BYTES or MAX_CHUNKS
 */
export function chunkCount (sizeBytes: number, chunkBytes = CHUNK_BYTES): number {
  checkChunkBytes(chunkBytes)
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) throw new RangeError(`file size must be a non-negative integer, got ${sizeBytes}`)
  if (sizeBytes > MAX_FILE_BYTES) throw new FileTooLargeError(`A file may have at most ${MAX_FILE_BYTES} bytes, got ${sizeBytes}`)
  const count = Math.ceil(sizeBytes / chunkBytes)
  if (count > MAX_CHUNKS) throw new FileTooLargeError(`A file may have at most ${MAX_CHUNKS} chunks, got ${count}`)
  return count
}

/**
 * The root of the tree over these chunk hashes, in order. Keeps all of them in memory: for a file
 * on disk use `hashFile`, which needs only one chunk and a few hashes.
 */
export function rootOf (chunkHashes: readonly Uint8Array[]): Uint8Array {
  if (chunkHashes.length === 0) return emptyRoot()
  return HashTree.fromChunkHashes(chunkHashes).root()
}

/**
 * Computes a root from chunk hashes given one at a time, holding at most one pending subtree
 * root per bit of the count (32 hashes for MAX_CHUNKS): what lets `hashFile` hash any size of
 * file in constant memory. The pending subtrees are complete, of decreasing power-of-two sizes,
 * so folding them right to left gives the same tree as pairing level by level with promotion.
 */
export class RootBuilder {
  private readonly pending: Uint8Array[] = []
  private count = 0

  /** The number of chunk hashes added so far */
  get chunkCount (): number {
    return this.count
  }

  /** Adds the next chunk hash (from `hashChunk`) */
  add (chunkHash: Uint8Array): void {
    checkHash('chunk hash', chunkHash)
    if (this.count >= MAX_CHUNKS) throw new FileTooLargeError(`A file may have at most ${MAX_CHUNKS} chunks`)
    let node = chunkHash
    this.count++
    // each trailing zero bit of the new count completes a subtree twice the size of the last one
    for (let n = this.count; n % 2 === 0; n /= 2) {
      const left = this.pending.pop()
      if (left == null) throw new Error('unreachable: a completed subtree has a left half')
      node = hashPair(left, node)
    }
    this.pending.push(node)
  }

  /** The root of the chunk hashes added so far; more may be added after */
  root (): Uint8Array {
    if (this.pending.length === 0) return emptyRoot()
    let node = this.pending[this.pending.length - 1]
    for (let i = this.pending.length - 2; i >= 0; i--) node = hashPair(this.pending[i], node)
    return node
  }
}

/**
 * The whole tree over a file's chunk hashes, kept in memory (two hashes per chunk, 2 MiB for a
 * 4 GiB file at CHUNK_BYTES) so that the sender can answer any chunk's proof at once
 */
export class HashTree {
  /** levels[0] holds the chunk hashes, each level above half as many (rounded up), the last one the root */
  private readonly levels: Uint8Array[][]

  private constructor (levels: Uint8Array[][]) {
    this.levels = levels
  }

  /**
   * Builds the tree over these chunk hashes, in order; there must be at least one (a 0-byte file
   * has no tree, only `emptyRoot()`, and no chunk to prove)
   *
   * @throws {InvalidChunkCountError} when there are none or more than MAX_CHUNKS
   * @throws {InvalidHashError} when one is not 32 bytes
   */
  static fromChunkHashes (chunkHashes: readonly Uint8Array[]): HashTree {
    checkCount(chunkHashes.length, 1)
    chunkHashes.forEach((hash, i) => { checkHash(`chunk hash ${i}`, hash) })
    const levels: Uint8Array[][] = [[...chunkHashes]]
    for (let level = levels[0]; level.length > 1; levels.push(level)) {
      const below = level
      level = []
      for (let i = 0; i + 1 < below.length; i += 2) level.push(hashPair(below[i], below[i + 1]))
      if (below.length % 2 === 1) level.push(below[below.length - 1])
    }
    return new HashTree(levels)
  }

  get chunkCount (): number {
    return this.levels[0].length
  }

  root (): Uint8Array {
    return this.levels[this.levels.length - 1][0].slice()
  }

  chunkHash (index: number): Uint8Array {
    checkIndex(index, this.chunkCount)
    return this.levels[0][index].slice()
  }

  /**
   * The inclusion proof of chunk `index`: the sibling hashes on its path to the root, bottom up,
   * skipping the levels where the path's node is promoted (so `proofLength(index, count)` of them)
   *
   * @throws {InvalidChunkIndexError} when the index is not that of a chunk of this tree
   */
  proof (index: number): Uint8Array[] {
    checkIndex(index, this.chunkCount)
    const proof: Uint8Array[] = []
    let position = index
    for (const level of this.levels.slice(0, -1)) {
      const sibling = position % 2 === 1 ? position - 1 : position + 1
      if (sibling < level.length) proof.push(level[sibling].slice())
      position = Math.floor(position / 2)
    }
    return proof
  }
}

/**
 * How many hashes the proof of chunk `index` in a tree of `totalChunks` holds: the tree's height,
 * less the levels where the path's node is promoted
 *
 * @throws {InvalidChunkCountError} when `totalChunks` is not an integer from 0 to MAX_CHUNKS
 * @throws {InvalidChunkIndexError} when `index` is not an integer below `totalChunks`
 */
export function proofLength (index: number, totalChunks: number): number {
  checkCount(totalChunks, 0)
  checkIndex(index, totalChunks)
  let length = 0
  for (let position = index, count = totalChunks; count > 1; position = Math.floor(position / 2), count = Math.ceil(count / 2)) {
    if (position % 2 === 1 || position + 1 < count) length++
  }
  return length
}

/**
 * Whether `chunk` is chunk number `index` of the file whose tree has `root` and `totalChunks`
 * chunks, by the inclusion proof `proof` (from `HashTree.proof`). `totalChunks` must come from the
 * file's authenticated size (`chunkCount(size)`), not from the peer serving the chunk. Wrong data (a changed chunk,
 * proof entry or root, or a chunk sent under another index whose proof has the same length) gives
 * `false`; input that cannot be a proof for this position throws.
 *
 * @throws {TypeError} when `chunk` is not a Uint8Array
 * @throws {InvalidChunkCountError} when `totalChunks` is not an integer from 0 to MAX_CHUNKS
 * @throws {InvalidChunkIndexError} when `index` is not an integer below `totalChunks`
 * @throws {InvalidProofError} when `proof` is not an array of `proofLength(index, totalChunks)` 32-byte hashes
 * @throws {InvalidHashError} when `root` is not 32 bytes
 */
export function verifyChunk (chunk: Uint8Array, index: number, proof: readonly Uint8Array[], root: Uint8Array, totalChunks: number): boolean {
  if (!(chunk instanceof Uint8Array)) throw new TypeError('chunk must be a Uint8Array')
  return verifyChunkHash(hashChunk(chunk), index, proof, root, totalChunks)
}

/**
 * `verifyChunk` for a chunk already hashed (`hashChunk`), for a caller that keeps the hash
 *
 * @throws {InvalidHashError} when `chunkHash` or `root` is not 32 bytes
 * @throws the other errors of `verifyChunk`
 */
export function verifyChunkHash (chunkHash: Uint8Array, index: number, proof: readonly Uint8Array[], root: Uint8Array, totalChunks: number): boolean {
  checkHash('chunk hash', chunkHash)
  checkHash('root', root)
  const expected = proofLength(index, totalChunks)
  if (!Array.isArray(proof)) throw new InvalidProofError('The proof must be an array of hashes')
  if (proof.length !== expected) throw new InvalidProofError(`Chunk ${index} of ${totalChunks} needs a proof of ${expected} hashes, got ${proof.length}`)
  proof.forEach((hash, i) => {
    if (!(hash instanceof Uint8Array) || hash.byteLength !== HASH_BYTES) throw new InvalidProofError(`Proof entry ${i} must be a ${HASH_BYTES}-byte Uint8Array`)
  })

  let node = chunkHash
  let next = 0
  for (let position = index, count = totalChunks; count > 1; position = Math.floor(position / 2), count = Math.ceil(count / 2)) {
    if (position % 2 === 1) node = hashPair(proof[next++], node)
    else if (position + 1 < count) node = hashPair(node, proof[next++])
  }
  return equalBytes(node, root)
}

function hashPair (left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right)
}

function checkHash (name: string, hash: Uint8Array): void {
  if (!(hash instanceof Uint8Array)) throw new InvalidHashError(`${name} must be a Uint8Array`)
  if (hash.byteLength !== HASH_BYTES) throw new InvalidHashError(`${name} must be ${HASH_BYTES} bytes, got ${hash.byteLength}`)
}

function checkCount (count: number, min: number): void {
  if (!Number.isSafeInteger(count) || count < min || count > MAX_CHUNKS) {
    throw new InvalidChunkCountError(`The chunk count must be an integer from ${min} to ${MAX_CHUNKS}, got ${count}`)
  }
}

function checkIndex (index: number, count: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new InvalidChunkIndexError(`The chunk index must be an integer below ${count}, got ${index}`)
  }
}

function checkChunkBytes (chunkBytes: number): void {
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES) {
    throw new InvalidChunkSizeError(`The chunk size must be an integer from ${MIN_CHUNK_BYTES} to ${MAX_CHUNK_BYTES}, got ${chunkBytes}`)
  }
}

/** Roots are public, so an early exit leaks nothing worth a constant-time comparison */
function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}
