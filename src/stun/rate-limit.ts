import { STUN_BURST_PER_SOURCE, STUN_MAX_TRACKED_SOURCES, STUN_REQUESTS_PER_S, STUN_REQUESTS_PER_SOURCE_PER_S } from './constants.ts'

export interface RateLimitInit {
  /** @default STUN_REQUESTS_PER_SOURCE_PER_S */
  perSourcePerS?: number
  /** @default STUN_BURST_PER_SOURCE */
  burstPerSource?: number
  /** @default STUN_REQUESTS_PER_S */
  totalPerS?: number
  /** @default STUN_MAX_TRACKED_SOURCES */
  maxSources?: number
  /** The clock, in milliseconds (tests pass their own). @default performance.now */
  now?: () => number
}

interface Bucket {
  tokens: number
  atMs: number
}

/**
 * Token buckets per source IP and one for all sources. A source is an IP, not IP and port: a
 * flood with a spoofed source (the victim's address) may use any port. The global bucket caps
 * what a flood from many sources reflects; its burst is one second's worth.
 */
export class RateLimit {
  private readonly perSourcePerS: number
  private readonly burstPerSource: number
  private readonly totalPerS: number
  private readonly maxSources: number
  private readonly now: () => number
  /** In order of last use, so the first entry is the one to forget */
  private readonly sources = new Map<string, Bucket>()
  private readonly total: Bucket

  constructor (init: RateLimitInit = {}) {
    this.perSourcePerS = init.perSourcePerS ?? STUN_REQUESTS_PER_SOURCE_PER_S
    this.burstPerSource = init.burstPerSource ?? STUN_BURST_PER_SOURCE
    this.totalPerS = init.totalPerS ?? STUN_REQUESTS_PER_S
    this.maxSources = init.maxSources ?? STUN_MAX_TRACKED_SOURCES
    this.now = init.now ?? (() => performance.now())
    this.total = { tokens: this.totalPerS, atMs: this.now() }
  }

  /** Takes a token for `source` and reports whether there was one (both buckets must have one) */
  take (source: string): boolean {
    const now = this.now()
    let bucket = this.sources.get(source)
    if (bucket == null) {
      bucket = { tokens: this.burstPerSource, atMs: now }
      if (this.sources.size >= this.maxSources) this.sources.delete(this.sources.keys().next().value as string)
    }
    this.sources.delete(source)
    this.sources.set(source, bucket)
    refill(bucket, now, this.perSourcePerS, this.burstPerSource)
    refill(this.total, now, this.totalPerS, this.totalPerS)
    if (bucket.tokens < 1 || this.total.tokens < 1) return false
    bucket.tokens--
    this.total.tokens--
    return true
  }

  /** Sources currently remembered */
  get size (): number {
    return this.sources.size
  }
}

function refill (bucket: Bucket, now: number, perS: number, max: number): void {
  bucket.tokens = Math.min(max, bucket.tokens + (now - bucket.atMs) * perS / 1_000)
  bucket.atMs = now
}
