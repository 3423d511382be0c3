/** Timing and summary helpers shared by every bench */

export const now = (): bigint => process.hrtime.bigint()

/** Microseconds elapsed since `start` (a `now()` value) */
export const elapsedUs = (start: bigint): number => Number(now() - start) / 1_000

/** Milliseconds elapsed since `start` (a `now()` value) */
export const elapsedMs = (start: bigint): number => Number(now() - start) / 1_000_000

/** CPU time (user + system, µs) this process spent since `start`, a `process.cpuUsage()` */
export const cpuUsSince = (start: NodeJS.CpuUsage): number => {
  const { user, system } = process.cpuUsage(start)
  return user + system
}

export interface Summary {
  n: number
  min: number
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
}

/** Nearest-rank percentile of an ascending array, `p` in 0..100 */
export function percentile (sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) {
    throw new RangeError('percentile of no samples')
  }
  const rank = Math.ceil(p / 100 * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]
}

export function summarize (samples: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(samples).sort()
  let sum = 0
  for (const s of sorted) sum += s
  return {
    n: sorted.length,
    min: sorted[0],
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    mean: sum / sorted.length
  }
}

export const median = (samples: ArrayLike<number>): number => summarize(samples).p50

/** The median of `runs` results of `fn`, run one after another */
export async function medianOf (runs: number, fn: () => Promise<number>): Promise<number> {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) samples.push(await fn())
  return median(samples)
}

/** Rounds to a few significant digits so the output stays readable */
export function round (value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value
  const magnitude = Math.floor(Math.log10(Math.abs(value)))
  const decimals = Math.max(0, digits - 1 - magnitude)
  return Number(value.toFixed(decimals))
}

export const MiB = 1_048_576

/** MiB per second for `bytes` moved in `ms` */
export const mibPerSecond = (bytes: number, ms: number): number => bytes / MiB / (ms / 1_000)

export const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
