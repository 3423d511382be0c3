/** Seeded randomness and the summaries the simnet reports. */

export interface Rng {
  /** Uniform in [0, 1) */
  next(): number
  /** Uniform integer in [0, n) */
  int(n: number): number
  pick<T>(items: readonly T[]): T
  /** `count` distinct items, in random order */
  sample<T>(items: readonly T[], count: number): T[]
}

/** mulberry32: small, fast and good enough to choose pairs reproducibly */
export function createRng (seed: number): Rng {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  const int = (n: number): number => Math.floor(next() * n)
  return {
    next,
    int,
    pick: items => {
      if (items.length === 0) throw new RangeError('cannot pick from an empty list')
      return items[int(items.length)]
    },
    sample: (items, count) => {
      const copy = [...items]
      const n = Math.min(count, copy.length)
      for (let i = 0; i < n; i++) {
        const j = i + int(copy.length - i)
        ;[copy[i], copy[j]] = [copy[j], copy[i]]
      }
      return copy.slice(0, n)
    }
  }
}

export interface Summary {
  count: number
  min: number
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
}

/** Nearest-rank percentile of an ascending list */
export function percentile (sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  const rank = Math.ceil(p / 100 * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

export function summarize (values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  return {
    count: sorted.length,
    min: sorted[0],
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length
  }
}

/** A share in [0, 1], or NaN when nothing was tried */
export function rate (ok: number, total: number): number {
  return total === 0 ? NaN : ok / total
}

/** Runs `task` over `items`, at most `limit` at a time, and returns the results in order */
export async function mapLimit<T, R> (items: readonly T[], limit: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let nextIndex = 0
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (nextIndex < items.length) {
      const i = nextIndex++
      results[i] = await task(items[i], i)
    }
  })
  await Promise.all(lanes)
  return results
}
