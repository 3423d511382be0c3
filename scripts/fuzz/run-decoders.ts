import fc from 'fast-check'
import { wireInput } from './inputs.ts'
import type { DecoderTarget } from './decoders.ts'

export interface FuzzOptions {
  /** Cases per target */
  cases: number
  seed: number
  /** A case slower than this is a hang (sync decoders cannot be stopped, only timed) */
  caseLimitMs?: number
}

export interface DecoderResult {
  name: string
  cases: number
  /** Inputs refused with an Error, as they should be */
  refused: number
  /** Inputs decoded */
  decoded: number
  /** Thrown values that are not Errors, or cases over the time limit: the first, shrunk */
  failure?: string
  slowestMs: number
  ms: number
}

/**
 * Runs `target.decode` on `cases` inputs from `wireInput`: each must return (or resolve), or
 * throw (or reject) an Error, within `caseLimitMs`. fast-check shrinks the first input that
 * does neither to a small one, which is reported with the seed that finds it again.
 */
export async function fuzzDecoder (target: DecoderTarget, options: FuzzOptions): Promise<DecoderResult> {
  const limit = options.caseLimitMs ?? 1_000
  let refused = 0
  let decoded = 0
  let slowestMs = 0
  const started = performance.now()
  const check = (outcome: unknown, ms: number): boolean => {
    slowestMs = Math.max(slowestMs, ms)
    if (ms > limit) throw new Error(`a case took ${Math.round(ms)} ms`)
    if (outcome instanceof Error) refused++
    else if (outcome !== undefined) throw new Error(`threw a non-Error: ${String(outcome)}`)
    else decoded++
    return true
  }
  const run = async (bytes: Uint8Array): Promise<boolean> => {
    const t0 = performance.now()
    try {
      const result = target.decode(bytes)
      if (result instanceof Promise) {
        let timer: ReturnType<typeof setTimeout> | undefined
        await Promise.race([result, new Promise((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`no answer within ${limit} ms`)) }, limit) })]).finally(() => { clearTimeout(timer) })
      }
      return check(undefined, performance.now() - t0)
    } catch (err: unknown) {
      if (err instanceof Error && err.message.startsWith('no answer within')) throw err
      return check(err instanceof Error ? err : err ?? null, performance.now() - t0)
    }
  }
  let failure: string | undefined
  try {
    await fc.assert(fc.asyncProperty(wireInput(target.seeds), run), { numRuns: options.cases, seed: options.seed, endOnFailure: false })
  } catch (err: any) {
    failure = err.message
  }
  return { name: target.name, cases: options.cases, refused, decoded, ...(failure != null ? { failure } : {}), slowestMs, ms: performance.now() - started }
}
