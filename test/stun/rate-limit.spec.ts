import assert from 'node:assert/strict'
import { RateLimit } from '../../src/stun/rate-limit.ts'

describe('the STUN rate limit', () => {
  let nowMs: number
  const clock = (): number => nowMs
  beforeEach(() => { nowMs = 0 })

  /** Requests from `source` at `perS` for `seconds`, evenly spaced; how many were allowed */
  function offer (limit: RateLimit, source: string, perS: number, seconds: number): number {
    let allowed = 0
    for (let i = 0; i < perS * seconds; i++) {
      nowMs += 1_000 / perS
      if (limit.take(source)) allowed++
    }
    return allowed
  }

  it('holds a source sending twice its rate to the rate, after the burst', () => {
    const limit = new RateLimit({ perSourcePerS: 20, burstPerSource: 40, now: clock })
    const allowed = offer(limit, '198.51.100.1', 40, 10)
    // 40 of burst, then 20 a second (within one token of rounding)
    assert.ok(allowed >= 40 + 20 * 10 - 1 && allowed <= 40 + 20 * 10, `${allowed}`)
  })

  it('lets a source at its rate through entirely', () => {
    const limit = new RateLimit({ perSourcePerS: 20, burstPerSource: 40, now: clock })
    assert.equal(offer(limit, '198.51.100.1', 20, 10), 200)
  })

  it('keeps sources apart: one flooding does not cost another', () => {
    const limit = new RateLimit({ perSourcePerS: 20, burstPerSource: 40, now: clock })
    offer(limit, '198.51.100.1', 1_000, 1)
    assert.equal(offer(limit, '198.51.100.2', 10, 1), 10)
  })

  it('caps all sources together, and remembers at most maxSources of them', () => {
    const limit = new RateLimit({ perSourcePerS: 20, burstPerSource: 40, totalPerS: 100, maxSources: 50, now: clock })
    let allowed = 0
    // 400 requests a second for 5 s, each from a new (spoofed) source
    for (let i = 0; i < 2_000; i++) {
      nowMs += 2.5
      if (limit.take(`10.0.${i >> 8}.${i & 0xff}`)) allowed++
    }
    assert.ok(allowed <= 100 + 100 * 5, `${allowed}`)
    assert.ok(allowed >= 100 * 5 - 1, `${allowed}`)
    assert.equal(limit.size, 50)
  })
})
