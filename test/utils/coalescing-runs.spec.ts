import assert from 'node:assert/strict'
import { CoalescingRuns } from '../../src/utils/coalescing-runs.ts'

/** A promise and its resolve, to hold a task where the test wants it */
function gate (): { opened: Promise<void>, open: () => void } {
  let open!: () => void
  const opened = new Promise<void>(resolve => { open = resolve })
  return { opened, open }
}

describe('CoalescingRuns', () => {
  it('runs one task per key at a time; calls meanwhile make it go round once more, and share its result', async () => {
    const held = gate()
    let rounds = 0
    const runs = new CoalescingRuns<string, number>(async () => {
      rounds++
      if (rounds === 1) await held.opened
      return rounds
    }, () => true)
    const first = runs.run('a')
    const second = runs.run('a')
    const third = runs.run('a')
    held.open()
    assert.deepEqual(await Promise.all([first, second, third]), [2, 2, 2])
    assert.equal(rounds, 2)
  })

  it('keeps keys apart, and runs nothing once inactive', async () => {
    let active = true
    const seen: string[] = []
    const runs = new CoalescingRuns<string, void>(async key => { seen.push(key) }, () => active)
    await Promise.all([runs.run('a'), runs.run('b')])
    assert.deepEqual(seen.sort(), ['a', 'b'])
    active = false
    assert.equal(await runs.run('a'), undefined)
    assert.deepEqual(seen.sort(), ['a', 'b'])
  })

  it('lets a failed round reach its callers and the next call run afresh', async () => {
    let fail = true
    const runs = new CoalescingRuns<string, string>(async () => { if (fail) throw new Error('down'); return 'up' }, () => true)
    await assert.rejects(runs.run('a'), /down/)
    fail = false
    assert.equal(await runs.run('a'), 'up')
    assert.deepEqual(runs.underWay(), [])
  })
})
