/**
 * How many group messages each member may have taken from it: a bucket per group and member
 * that holds `burst` messages and refills `perMinute` a minute. A member past it has its
 * messages ignored (not stored, not passed on) until the bucket refills: one member's flood
 * costs the others nothing. At most `maxBuckets` are kept; the least recently used goes first.
 */
export class MemberRate {
  private readonly buckets = new Map<string, { tokens: number, at: number }>()

  constructor (private readonly burst: number, private readonly perMinute: number, private readonly maxBuckets: number, private readonly now: () => number = Date.now) {}

  /** Whether `member` of `group` may have one more message taken now (it is counted if so) */
  take (group: string, member: string): boolean {
    const key = `${group}!${member}`
    const now = this.now()
    const held = this.buckets.get(key)
    const tokens = held == null ? this.burst : Math.min(this.burst, held.tokens + (now - held.at) * this.perMinute / 60_000)
    this.buckets.delete(key)
    this.buckets.set(key, { tokens: tokens >= 1 ? tokens - 1 : tokens, at: now })
    while (this.buckets.size > this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!)
    return tokens >= 1
  }
}
