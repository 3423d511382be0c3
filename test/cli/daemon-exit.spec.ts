import assert from 'node:assert/strict'
import { once } from 'node:events'
import { runDaemon } from '../helpers/cli.ts'
import { TempDirs } from '../helpers/temp-dir.ts'

/** The stop's last step, as `parley:stop` logs it */
const LAST_STEP = /node-datachannel stopped in \d+ ms/

/**
 * From the stop's last step to the process's exit. libp2p leaves one-second debounce timers
 * running after its stop (see `exitAfterStop`): a daemon that waited for its event loop to run
 * dry lived 1 to 2 s past its stop. Well under one of them, with room for a loaded machine.
 */
const EXIT_BOUND_MS = 500

describe('a daemon\'s exit after its stop', function () {
  this.timeout(60_000)
  const dirs = new TempDirs()
  after(async () => { await dirs.cleanup() })

  it(`exits 0 within ${EXIT_BOUND_MS} ms of its stop's last step, whatever timers libp2p left running`, async () => {
    const daemon = await runDaemon(await dirs.make(), ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0'], { env: { DEBUG: 'parley:stop' } })
    const { child } = daemon
    let lastStepAt: number | undefined
    let stderr = ''
    child.stderr?.on('data', chunk => {
      stderr += String(chunk)
      if (lastStepAt == null && LAST_STEP.test(stderr)) lastStepAt = Date.now()
    })
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
    child.kill('SIGTERM')
    const [code, signal] = await exited
    const exitedAt = Date.now()
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, stderr)
    assert.ok(lastStepAt != null, `no last step in the log:\n${stderr}`)
    assert.ok(exitedAt - lastStepAt < EXIT_BOUND_MS, `exited ${exitedAt - lastStepAt} ms after the stop's last step:\n${stderr}`)
  })
})
