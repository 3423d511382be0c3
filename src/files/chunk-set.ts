import { InvalidChunkCountError, InvalidChunkIndexError } from './errors.ts'
import { MAX_CHUNKS } from './constants.ts'

/** A run of chunk indexes, `start` included, `end` excluded */
export interface ChunkRange {
  start: number
  end: number
}

/**
 * Which chunks of a file a receiver holds, verified, as a bitfield (one bit per chunk: 2 KiB for a
 * 4 GiB file): what it saves to resume and turns into the ranges it asks for.
 */
export class ChunkSet {
  readonly total: number
  private readonly bits: Uint8Array
  private held = 0

  /**
   * @throws {InvalidChunkCountError} when `total` is not an integer from 0 to MAX_CHUNKS, or
   * `bits` has not exactly ceil(total / 8) bytes
   */
  constructor (total: number, bits?: Uint8Array) {
    if (!Number.isSafeInteger(total) || total < 0 || total > MAX_CHUNKS) {
      throw new InvalidChunkCountError(`The chunk count must be an integer from 0 to ${MAX_CHUNKS}, got ${total}`)
    }
    const length = Math.ceil(total / 8)
    if (bits != null && bits.byteLength !== length) {
      throw new InvalidChunkCountError(`A set of ${total} chunks is ${length} bytes, got ${bits.byteLength}`)
    }
    this.total = total
    this.bits = bits != null ? bits.slice() : new Uint8Array(length)
    // bits past the last chunk are ignored, so a damaged tail cannot make a chunk appear held
    for (let i = 0; i < total; i++) if (this.has(i)) this.held++
  }

  /** The number of chunks held */
  get count (): number {
    return this.held
  }

  get complete (): boolean {
    return this.held === this.total
  }

  has (index: number): boolean {
    this.check(index)
    return (this.bits[index >>> 3] & (1 << (index & 7))) !== 0
  }

  add (index: number): void {
    if (this.has(index)) return
    this.bits[index >>> 3] |= 1 << (index & 7)
    this.held++
  }

  /**
   * The missing chunks as ranges in order: at most `limit` ranges, covering at most `maxChunks`
   * chunks (the last range cut short)
   */
  missing (limit = Infinity, maxChunks = Infinity): ChunkRange[] {
    const ranges: ChunkRange[] = []
    let start = -1
    let chunks = 0
    for (let i = 0; i <= this.total && ranges.length < limit; i++) {
      const hole = i < this.total && !this.has(i) && chunks < maxChunks
      if (hole) chunks++
      if (hole && start < 0) start = i
      if (!hole && start >= 0) {
        ranges.push({ start, end: i })
        start = -1
      }
      if (chunks >= maxChunks && start < 0) break
    }
    return ranges
  }

  /** A copy of the bitfield, for storage */
  toBytes (): Uint8Array {
    return this.bits.slice()
  }

  private check (index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.total) {
      throw new InvalidChunkIndexError(`The chunk index must be an integer below ${this.total}, got ${index}`)
    }
  }
}
