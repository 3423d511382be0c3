import { MAX_EVICTED_RANGES } from './constants.ts'

/** Message numbers [from, to) of the chain with remote ratchet key `remote` (hex) */
export interface EvictedRange {
  remote: string
  from: number
  to: number
}

/**
 * Records that the key of message `n` in chain `remote` was dropped by the skipped-key cap.
 * The cap drops the oldest keys first, so a chain's evictions come in rising order and mostly
 * extend the range before; at most MAX_EVICTED_RANGES are kept, the oldest dropped.
 */
export function recordEviction (ranges: EvictedRange[], remote: string, n: number): void {
  const open = ranges.findLast(r => r.remote === remote && r.to === n)
  if (open != null) {
    open.to = n + 1
    return
  }
  ranges.push({ remote, from: n, to: n + 1 })
  ranges.splice(0, ranges.length - MAX_EVICTED_RANGES)
}

/** Whether the key of message `n` in chain `remote` was dropped by the cap (not used) */
export function wasEvicted (ranges: EvictedRange[], remote: string, n: number): boolean {
  return ranges.some(r => r.remote === remote && n >= r.from && n < r.to)
}
