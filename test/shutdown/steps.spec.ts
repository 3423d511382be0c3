import assert from 'node:assert/strict'
import { logger } from '@libp2p/logger'
import { ShutdownError } from '../../src/shutdown/errors.ts'
import { settledWithin, stopInSteps } from '../../src/shutdown/steps.ts'
import type { StopStep } from '../../src/shutdown/steps.ts'

const log = logger('parley:test:stop')

/** A step that never finishes, as a hung libp2p stop does */
const hung: StopStep['run'] = async () => new Promise(() => {})

describe('stopInSteps', () => {
  it('runs every step in order and resolves when all finish within their budgets', async () => {
    const ran: string[] = []
    await stopInSteps(['a', 'b', 'c'].map(name => ({ name, budgetMs: 1_000, run: async () => { ran.push(name) } })), log)
    assert.deepEqual(ran, ['a', 'b', 'c'])
  })

  it('a step that overruns is abandoned, the later ones still run, and the stop names it', async () => {
    const ran: string[] = []
    const err = await stopInSteps([
      { name: 'libp2p', budgetMs: 20, run: hung },
      { name: 'message store', budgetMs: 1_000, run: () => { ran.push('message store') } }
    ], log).then(() => undefined, (e: unknown) => e)
    assert.ok(err instanceof ShutdownError)
    assert.equal(err.name, 'ShutdownError')
    assert.deepEqual(ran, ['message store'])
    assert.deepEqual(err.failures.map(f => [f.step, f.error.name]), [['libp2p', 'StepTimeoutError']])
    assert.match(err.message, /libp2p: still running after its 20 ms budget/)
  })

  it('a step that throws, synchronously or not, does not keep the others from running', async () => {
    const ran: string[] = []
    const err = await stopInSteps([
      { name: 'sync', budgetMs: 1_000, run: () => { throw new Error('boom') } },
      { name: 'async', budgetMs: 1_000, run: async () => { throw new TypeError('bang') } },
      { name: 'last', budgetMs: 1_000, run: () => { ran.push('last') } }
    ], log).then(() => undefined, (e: unknown) => e)
    assert.ok(err instanceof ShutdownError)
    assert.deepEqual(err.failures.map(f => [f.step, f.error.message]), [['sync', 'boom'], ['async', 'bang']])
    assert.deepEqual(ran, ['last'])
  })

  it('a nested stop\'s failures are reported as they are, not as one failure of the outer step', async () => {
    const inner = async (): Promise<void> => stopInSteps([{ name: 'libp2p', budgetMs: 10, run: hung }], log)
    const err = await stopInSteps([
      { name: 'node', budgetMs: 1_000, run: inner },
      { name: 'node-datachannel', budgetMs: 1_000, run: () => {} }
    ], log).then(() => undefined, (e: unknown) => e)
    assert.ok(err instanceof ShutdownError)
    assert.deepEqual(err.failures.map(f => f.step), ['libp2p'])
  })

  it('an abandoned step that fails later is not an unhandled rejection', async () => {
    let fail: (err: Error) => void = () => {}
    const late = new Promise<void>((_resolve, reject) => { fail = reject })
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown): void => { unhandled.push(reason) }
    process.on('unhandledRejection', onUnhandled)
    try {
      await assert.rejects(stopInSteps([{ name: 'late', budgetMs: 10, run: async () => late }], log), { name: 'ShutdownError' })
      fail(new Error('too late'))
      // unhandled rejections are reported once the microtask queue drains
      await new Promise(resolve => setImmediate(resolve))
      assert.deepEqual(unhandled, [])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})

describe('settledWithin', () => {
  it('is true for work that resolves or rejects in time, false for work still running', async () => {
    assert.equal(await settledWithin(Promise.resolve(), 1_000), true)
    assert.equal(await settledWithin(Promise.reject(new Error('no')), 1_000), true)
    assert.equal(await settledWithin(new Promise(() => {}), 10), false)
  })
})
