import assert from 'node:assert/strict'
import { RetrySchedule } from '../../src/utils/retry-schedule.ts'

describe('RetrySchedule', () => {
  it('fires after half to all of a backoff that doubles per attempt, up to the cap', async () => {
    const fired: Array<{ key: string, at: number }> = []
    let started = 0
    const waiters: Array<() => void> = []
    const schedule = new RetrySchedule<string>({ baseMs: 20, maxMs: 50 }, key => { fired.push({ key, at: Date.now() - started }); waiters.shift()?.() })
    const next = async (): Promise<number> => new Promise<void>(resolve => { waiters.push(resolve) }).then(() => fired[fired.length - 1].at)
    const bounds = [[10, 20], [20, 40], [25, 50], [25, 50]]
    for (const [low, high] of bounds) {
      started = Date.now()
      schedule.schedule('k')
      const at = await next()
      // timers fire no earlier than asked; a busy machine may make them late
      assert.ok(at >= low - 1 && at < high + 200, `fired at ${at} ms, expected ${low}-${high}`)
    }
    schedule.clear()
  })

  it('reset cancels the attempt and starts the backoff again', async () => {
    const fired: string[] = []
    let bFired!: () => void
    const bDone = new Promise<void>(resolve => { bFired = resolve })
    const schedule = new RetrySchedule<string>({ baseMs: 20, maxMs: 60_000 }, key => { fired.push(key); if (key === 'b') bFired() })
    schedule.schedule('a')
    schedule.reset('a')
    // b's second attempt comes after 20-40 ms, past the 10-20 ms a would have fired at
    schedule.schedule('b')
    schedule.schedule('b')
    await bDone
    assert.deepEqual(fired, ['b'])
    schedule.clear()
  })
})
