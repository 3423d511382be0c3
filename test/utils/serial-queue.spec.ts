import assert from 'node:assert/strict'
import { SerialQueue } from '../../src/utils/serial-queue.ts'

/** A promise and its resolve, to hold a task where the test wants it */
function gate (): { opened: Promise<void>, open: () => void } {
  let open!: () => void
  const opened = new Promise<void>(resolve => { open = resolve })
  return { opened, open }
}

describe('SerialQueue', () => {
  it('runs operations one at a time in call order, past a failure', async () => {
    const queue = new SerialQueue()
    const order: string[] = []
    const held = gate()
    const a = queue.run(async () => { await held.opened; order.push('a') })
    const b = queue.run(async () => { order.push('b'); throw new Error('b failed') })
    const c = queue.run(async () => { order.push('c'); return 'c' })
    held.open()
    await a
    await assert.rejects(b, /b failed/)
    assert.equal(await c, 'c')
    assert.deepEqual(order, ['a', 'b', 'c'])
  })
})
