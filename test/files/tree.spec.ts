import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { CHUNK_BYTES, HASH_BYTES, MAX_CHUNKS, MAX_FILE_BYTES, MAX_PROOF_HASHES } from '../../src/files/constants.ts'
import { hashFile, treeOfFile } from '../../src/files/hash-file.ts'
import { chunkCount, emptyRoot, hashChunk, hashNode, HashTree, proofLength, RootBuilder, rootOf, verifyChunk } from '../../src/files/tree.ts'
import { TempDirs } from '../helpers/temp-dir.ts'

// An independent reference: RFC 6962's recursive Merkle Tree Hash and RFC 9162's recursive
// inclusion path, over node:crypto. The module under test builds level by level instead.
function sha (...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return new Uint8Array(hash.digest())
}

/** The largest power of two strictly below n (n >= 2) */
function split (n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

function referenceRoot (chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 0) return sha()
  if (chunks.length === 1) return sha(Uint8Array.of(0), chunks[0])
  const k = split(chunks.length)
  return sha(Uint8Array.of(1), referenceRoot(chunks.slice(0, k)), referenceRoot(chunks.slice(k)))
}

function referencePath (index: number, chunks: Uint8Array[]): Uint8Array[] {
  if (chunks.length === 1) return []
  const k = split(chunks.length)
  return index < k
    ? [...referencePath(index, chunks.slice(0, k)), referenceRoot(chunks.slice(k))]
    : [...referencePath(index - k, chunks.slice(k)), referenceRoot(chunks.slice(0, k))]
}

/** The in-memory computation `hashFile` must agree with */
function chunksOf (bytes: Uint8Array, chunkBytes: number): Uint8Array[] {
  const chunks: Uint8Array[] = []
  for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) chunks.push(bytes.subarray(offset, offset + chunkBytes))
  return chunks
}

function treeOf (chunks: Uint8Array[]): HashTree {
  return HashTree.fromChunkHashes(chunks.map(hashChunk))
}

function flipped (bytes: Uint8Array, at: number, mask: number): Uint8Array {
  const copy = bytes.slice()
  copy[at % copy.byteLength] ^= mask
  return copy
}

const REJECTION_NAMES = ['InvalidProofError', 'InvalidChunkIndexError', 'InvalidChunkCountError']

/** Whether verifying is refused: false for wrong data, or a typed error for an impossible shape */
function refused (verify: () => boolean): boolean {
  try {
    return !verify()
  } catch (err: any) {
    assert.ok(REJECTION_NAMES.includes(err.name), `unexpected ${err.name}: ${err.message}`)
    return true
  }
}

function bytes (n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + 1) & 0xff)
}

/** Distinct chunks, so no chunk can truly be another index's too */
const distinctChunks = (maxLength: number): fc.Arbitrary<Uint8Array[]> => fc.uniqueArray(
  fc.uint8Array({ minLength: 0, maxLength: 48 }),
  { minLength: 1, maxLength, selector: chunk => Buffer.from(chunk).toString('hex') }
)

describe('file hash tree', () => {
  const temp = new TempDirs()
  after(async () => { await temp.cleanup() })

  describe('shape, against the RFC 6962 reference', () => {
    it('a small tree matches a hand computation with node:crypto', () => {
      const chunks = [bytes(5, 1), bytes(7, 2), bytes(3, 3)]
      const [a, b, c] = chunks.map(chunk => sha(Uint8Array.of(0), chunk))
      const ab = sha(Uint8Array.of(1), a, b)
      // three leaves: the third is promoted, not paired with itself
      const root = sha(Uint8Array.of(1), ab, c)
      const tree = treeOf(chunks)
      assert.deepEqual(tree.root(), root)
      assert.deepEqual(tree.proof(0), [b, c])
      assert.deepEqual(tree.proof(1), [a, c])
      assert.deepEqual(tree.proof(2), [ab])
      assert.deepEqual(hashNode(a, b), ab)
    })

    it('roots and every proof match the reference for 1 to 70 chunks', () => {
      for (let n = 1; n <= 70; n++) {
        const chunks = Array.from({ length: n }, (_, i) => bytes(i % 5, i))
        const tree = treeOf(chunks)
        assert.equal(tree.chunkCount, n)
        assert.deepEqual(tree.root(), referenceRoot(chunks), `root of ${n}`)
        assert.deepEqual(rootOf(chunks.map(hashChunk)), referenceRoot(chunks), `rootOf ${n}`)
        for (let i = 0; i < n; i++) {
          const proof = tree.proof(i)
          assert.deepEqual(proof, referencePath(i, chunks), `proof ${i} of ${n}`)
          assert.equal(proof.length, proofLength(i, n))
          assert.equal(verifyChunk(chunks[i], i, proof, tree.root(), n), true, `verify ${i} of ${n}`)
        }
      }
    })

    it('0 chunks, 1 chunk, 2^k and 2^k+1 chunks', () => {
      assert.deepEqual(rootOf([]), sha(), 'the empty root is SHA-256 of nothing')
      assert.deepEqual(emptyRoot(), sha())
      assert.equal(chunkCount(0), 0)
      const one = [bytes(10, 9)]
      assert.deepEqual(treeOf(one).root(), hashChunk(one[0]), 'a 1-chunk root is the chunk hash')
      assert.deepEqual(treeOf(one).proof(0), [])
      assert.equal(verifyChunk(one[0], 0, [], treeOf(one).root(), 1), true)
      for (let k = 0; k <= 9; k++) {
        for (const n of [2 ** k, 2 ** k + 1]) {
          const chunks = Array.from({ length: n }, (_, i) => bytes(3, i))
          const tree = treeOf(chunks)
          assert.deepEqual(tree.root(), referenceRoot(chunks), `${n} chunks`)
          // the first and last paths are the extremes of the shape: full depth, and promoted
          for (const i of new Set([0, Math.floor(n / 2), n - 1])) {
            assert.deepEqual(tree.proof(i), referencePath(i, chunks), `proof ${i} of ${n}`)
            assert.equal(verifyChunk(chunks[i], i, tree.proof(i), tree.root(), n), true)
          }
          if (n === 2 ** k + 1 && k > 0) assert.equal(tree.proof(n - 1).length, 1, 'the lone last chunk is promoted up to the root')
        }
      }
    })

    it('the streaming builder gives the same root as the whole tree', () => {
      const builder = new RootBuilder()
      assert.deepEqual(builder.root(), emptyRoot())
      const hashes: Uint8Array[] = []
      for (let n = 1; n <= 130; n++) {
        const hash = hashChunk(bytes(4, n))
        hashes.push(hash)
        builder.add(hash)
        assert.equal(builder.chunkCount, n)
        assert.deepEqual(builder.root(), rootOf(hashes), `${n} chunks`)
      }
    })

    it('the root commits to the chunk count: no duplicated last node', () => {
      const [a, b, c] = [bytes(4, 1), bytes(4, 2), bytes(4, 3)]
      assert.notDeepEqual(treeOf([a, b, c]).root(), treeOf([a, b, c, c]).root())
      assert.notDeepEqual(treeOf([a]).root(), treeOf([a, a]).root())
    })
  })

  describe('verifying', () => {
    it('every chunk verifies with its proof', () => {
      fc.assert(fc.property(distinctChunks(40), chunks => {
        const tree = treeOf(chunks)
        const root = tree.root()
        return chunks.every((chunk, i) => verifyChunk(chunk, i, tree.proof(i), root, chunks.length))
      }), { numRuns: 200 })
    })

    it('flipping any byte of the chunk, a proof entry or the root fails', () => {
      fc.assert(fc.property(
        distinctChunks(40), fc.nat(), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }),
        (chunks, pick, entry, at, mask) => {
          const n = chunks.length
          const i = pick % n
          const tree = treeOf(chunks)
          const root = tree.root()
          const proof = tree.proof(i)
          const chunk = chunks[i]
          const badChunk = chunk.byteLength === 0 ? Uint8Array.of(mask) : flipped(chunk, at, mask)
          assert.ok(refused(() => verifyChunk(badChunk, i, proof, root, n)), 'chunk')
          assert.ok(refused(() => verifyChunk(chunk, i, proof, flipped(root, at, mask), n)), 'root')
          if (proof.length > 0) {
            const badProof = proof.map((hash, e) => e === entry % proof.length ? flipped(hash, at, mask) : hash)
            assert.ok(refused(() => verifyChunk(chunk, i, badProof, root, n)), 'proof')
          }
          // swapping two entries is as wrong as changing one
          if (proof.length > 1) assert.ok(refused(() => verifyChunk(chunk, i, [...proof].reverse(), root, n)), 'reordered proof')
          return true
        }
      ), { numRuns: 500 })
    })

    it('flipping any byte of the index fails', () => {
      fc.assert(fc.property(
        distinctChunks(40), fc.nat(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 255 }),
        (chunks, pick, byte, mask) => {
          const n = chunks.length
          const i = pick % n
          const tree = treeOf(chunks)
          // the index as the uint32 it travels as, one of its four bytes flipped
          const otherIndex = (i ^ (mask << (8 * byte))) >>> 0
          return refused(() => verifyChunk(chunks[i], otherIndex, tree.proof(i), tree.root(), n))
        }
      ), { numRuns: 500 })
    })

    it('the count must come from the file\'s metadata: a proof alone does not pin it', () => {
      // chunk 0 of 3 has the proof [b, c]; read as chunk 0 of 4 the same hashes give the same
      // root, c standing for the subtree of chunks 2 and 3. It is still the true chunk 0, but a
      // receiver must take the count from the size in the encrypted metadata, never from a peer.
      const chunks = [bytes(2, 1), bytes(2, 2), bytes(2, 3)]
      const tree = treeOf(chunks)
      assert.equal(verifyChunk(chunks[0], 0, tree.proof(0), tree.root(), 4), true)
      assert.notDeepEqual(treeOf([...chunks, bytes(2, 4)]).root(), tree.root(), 'yet the root of 4 chunks differs')
    })

    it('a chunk moved to another index whose proof has the same length is false, not an error', () => {
      // with 4 chunks every proof has 2 entries, so only the hashes can tell
      const chunks = [bytes(8, 1), bytes(8, 2), bytes(8, 3), bytes(8, 4)]
      const tree = treeOf(chunks)
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          assert.equal(verifyChunk(chunks[i], j, tree.proof(i), tree.root(), 4), i === j, `${i} as ${j}`)
        }
      }
    })

    it('an inner node presented as a chunk fails: leaves and nodes are domain-separated', () => {
      const chunks = [bytes(8, 1), bytes(8, 2), bytes(8, 3), bytes(8, 4)]
      const tree = treeOf(chunks)
      const [a, b, c, d] = chunks.map(hashChunk)
      const root = tree.root()
      // the left subtree's children as a 64-byte "chunk" at the position of their parent, which a
      // tree hashing leaves and nodes alike would accept
      const forged = new Uint8Array([...a, ...b])
      const cd = hashNode(c, d)
      assert.deepEqual(sha(sha(a, b), cd), sha(sha(forged), cd), 'without separation the forgery would pass')
      assert.equal(verifyChunk(forged, 0, [cd], root, 2), false)
      // the whole tree as a single chunk
      assert.equal(verifyChunk(new Uint8Array([...hashNode(a, b), ...cd]), 0, [], root, 1), false)
      // and a chunk hash presented as the root of a 1-chunk tree is checked as a leaf, not a node
      assert.equal(verifyChunk(chunks[0], 0, [], a, 1), true)
      assert.equal(verifyChunk(a, 0, [], a, 1), false)
    })

    it('malformed input throws typed errors', () => {
      const chunks = [bytes(8, 1), bytes(8, 2), bytes(8, 3)]
      const tree = treeOf(chunks)
      const root = tree.root()
      const proof = tree.proof(0)
      const throwsNamed = (name: string, fn: () => unknown): void => { assert.throws(fn, (err: any) => err.name === name) }
      throwsNamed('InvalidProofError', () => verifyChunk(chunks[0], 0, proof.slice(1), root, 3))
      throwsNamed('InvalidProofError', () => verifyChunk(chunks[0], 0, [...proof, root], root, 3))
      throwsNamed('InvalidProofError', () => verifyChunk(chunks[0], 0, [proof[0], proof[1].subarray(1)], root, 3))
      throwsNamed('InvalidProofError', () => verifyChunk(chunks[0], 0, 'not a proof' as any, root, 3))
      throwsNamed('InvalidHashError', () => verifyChunk(chunks[0], 0, proof, root.subarray(0, 31), 3))
      throwsNamed('InvalidHashError', () => verifyChunk(chunks[0], 0, proof, 'root' as any, 3))
      for (const index of [-1, 3, 1.5, Number.NaN, 2 ** 32]) {
        throwsNamed('InvalidChunkIndexError', () => verifyChunk(chunks[0], index, proof, root, 3))
      }
      throwsNamed('InvalidChunkIndexError', () => verifyChunk(chunks[0], 0, [], emptyRoot(), 0))
      for (const count of [-1, 2.5, MAX_CHUNKS + 1, Number.POSITIVE_INFINITY]) {
        throwsNamed('InvalidChunkCountError', () => verifyChunk(chunks[0], 0, proof, root, count))
      }
      throwsNamed('TypeError', () => verifyChunk('chunk' as any, 0, proof, root, 3))
      throwsNamed('InvalidChunkIndexError', () => tree.proof(3))
      throwsNamed('InvalidChunkCountError', () => HashTree.fromChunkHashes([]))
      throwsNamed('InvalidHashError', () => HashTree.fromChunkHashes([new Uint8Array(31)]))
      throwsNamed('InvalidHashError', () => { new RootBuilder().add(new Uint8Array(33)) })
      throwsNamed('InvalidHashError', () => hashNode(new Uint8Array(32), new Uint8Array(0)))
      throwsNamed('FileTooLargeError', () => chunkCount(MAX_FILE_BYTES + 1))
      throwsNamed('FileTooLargeError', () => chunkCount(MAX_CHUNKS + 1, 1))
      throwsNamed('InvalidChunkSizeError', () => chunkCount(10, 0))
    })

    it('returned hashes are copies: changing them does not change the tree', () => {
      const chunks = [bytes(8, 1), bytes(8, 2)]
      const tree = treeOf(chunks)
      const root = tree.root()
      tree.root().fill(0)
      tree.proof(0)[0].fill(0)
      tree.chunkHash(1).fill(0)
      assert.deepEqual(tree.root(), root)
      assert.equal(verifyChunk(chunks[0], 0, tree.proof(0), root, 2), true)
    })
  })

  describe('limits', () => {
    it('are consistent with each other and with the chunk size', () => {
      assert.equal(CHUNK_BYTES, 256 * 1_024)
      assert.equal(HASH_BYTES, 32)
      assert.ok(Number.isSafeInteger(MAX_FILE_BYTES))
      assert.equal(chunkCount(MAX_FILE_BYTES), MAX_CHUNKS)
      assert.equal(chunkCount(CHUNK_BYTES), 1)
      assert.equal(chunkCount(CHUNK_BYTES + 1), 2)
      assert.equal(proofLength(0, MAX_CHUNKS), MAX_PROOF_HASHES)
      assert.equal(proofLength(MAX_CHUNKS - 1, MAX_CHUNKS), MAX_PROOF_HASHES)
      // the last of 2^32 - 1 chunks is promoted once, at the bottom
      assert.equal(proofLength(MAX_CHUNKS - 2, MAX_CHUNKS - 1), MAX_PROOF_HASHES - 1)
      // a 4 GiB file, the benchmark size
      assert.equal(chunkCount(4 * 1_024 ** 3), 16_384)
      assert.equal(proofLength(0, 16_384), 14)
    })
  })

  describe('hashing files', () => {
    it('hashFile and treeOfFile agree with the in-memory computation at several chunk sizes', async () => {
      const dir = await temp.make()
      const path = join(dir, 'file.bin')
      // a few MiB and an odd tail, so the last chunk is short at every size below
      const content = new Uint8Array(randomBytes(3 * 1_024 * 1_024 + 12_345))
      await writeFile(path, content)
      for (const chunkBytes of [1_024, 4_096 + 7, 64 * 1_024, CHUNK_BYTES, 1_024 * 1_024, 4 * 1_024 * 1_024]) {
        const chunks = chunksOf(content, chunkBytes)
        const expected = rootOf(chunks.map(hashChunk))
        const digest = await hashFile(path, { chunkBytes })
        assert.deepEqual(digest, { root: expected, sizeBytes: content.byteLength, chunkCount: chunks.length }, `${chunkBytes}-byte chunks`)
        assert.equal(digest.chunkCount, chunkCount(content.byteLength, chunkBytes))
        const { tree, sizeBytes } = await treeOfFile(path, { chunkBytes })
        assert.equal(sizeBytes, content.byteLength)
        assert.ok(tree != null)
        assert.deepEqual(tree.root(), expected)
        for (const i of new Set([0, chunks.length >> 1, chunks.length - 1])) {
          assert.equal(verifyChunk(chunks[i], i, tree.proof(i), digest.root, digest.chunkCount), true)
        }
      }
      // the default chunk size, checked against the independent reference too
      const digest = await hashFile(path)
      assert.deepEqual(digest.root, referenceRoot(chunksOf(content, CHUNK_BYTES)))
      assert.equal(digest.chunkCount, 13)
    })

    it('a 0-byte file has no chunks and the empty root', async () => {
      const dir = await temp.make()
      const path = join(dir, 'empty')
      await writeFile(path, new Uint8Array(0))
      assert.deepEqual(await hashFile(path), { root: emptyRoot(), sizeBytes: 0, chunkCount: 0 })
      assert.deepEqual(await treeOfFile(path), { tree: undefined, sizeBytes: 0 })
    })

    it('a file of exactly one or two chunks has no empty chunk after', async () => {
      const dir = await temp.make()
      for (const size of [1, 1_000, 1_024, 2_048]) {
        const path = join(dir, `f${size}`)
        const content = bytes(size, size)
        await writeFile(path, content)
        const chunks = chunksOf(content, 1_024)
        const digest = await hashFile(path, { chunkBytes: 1_024 })
        assert.equal(digest.chunkCount, Math.ceil(size / 1_024))
        assert.deepEqual(digest.root, referenceRoot(chunks))
      }
    })

    it('stops when aborted and rejects bad options', async () => {
      const dir = await temp.make()
      const path = join(dir, 'file.bin')
      await writeFile(path, bytes(64 * 1_024, 1))
      await assert.rejects(hashFile(path, { signal: AbortSignal.abort() }), (err: any) => err.name === 'AbortError')
      const controller = new AbortController()
      const reading = treeOfFile(path, { chunkBytes: 1_024, signal: controller.signal })
      // abort while the 64 reads are under way: the next one sees it
      setImmediate(() => { controller.abort() })
      await assert.rejects(reading, (err: any) => err.name === 'AbortError')
      await assert.rejects(hashFile(path, { chunkBytes: 0 }), (err: any) => err.name === 'InvalidChunkSizeError')
      await assert.rejects(hashFile(join(dir, 'missing')), (err: any) => err.code === 'ENOENT')
    })
  })
})
