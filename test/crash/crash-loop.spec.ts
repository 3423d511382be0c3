import assert from 'node:assert/strict'
import { runCrashLoop } from '../../scripts/crash-loop/crash-loop.ts'
import { TempDirs } from '../helpers/temp-dir.ts'

/**
 * The crash loop's short run (`npm run crash-loop` is the 200-kill one, figures in
 * docs/HARDENING.md): two daemons SIGKILLed 20 times while messages, mail and files flow
 */
describe('crash loop: 20 SIGKILLs of a sending and a receiving daemon', function () {
  this.timeout(600_000)
  const dirs = new TempDirs()
  after(async () => { await dirs.cleanup() })

  it('loses nothing, doubles nothing, desynchronises nothing, and every file arrives byte-identical', async () => {
    const report = await runCrashLoop({ kills: 20, seed: 20261206, fileBytes: 256 * 1_024, workDir: async () => dirs.make() })
    assert.ok(report.sent > 20, `${report.sent} messages sent`)
    assert.deepEqual(report.lost, [])
    assert.deepEqual(report.duplicated, [])
    assert.deepEqual(report.forgotten, [])
    assert.deepEqual(report.desynced, [])
    assert.ok(report.files >= 3, `${report.files} files offered`)
    assert.equal(report.filesIntact, report.files)
  })
})
