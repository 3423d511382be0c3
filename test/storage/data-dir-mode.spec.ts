import assert from 'node:assert/strict'
import { chmod, mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { openDataDir } from '../../src/storage/data-dir.ts'
import { TempDirs } from '../helpers/temp-dir.ts'

describe('opening a data directory', function () {
  const dirs = new TempDirs()
  after(async () => { await dirs.cleanup() })

  for (const mode of [0o755, 0o750, 0o701]) {
    it(`narrows a directory left ${mode.toString(8)} to 0700`, async () => {
      const dataDir = join(await dirs.make(), 'data')
      await mkdir(dataDir)
      await chmod(dataDir, mode)
      await openDataDir(dataDir)
      assert.equal((await stat(dataDir)).mode & 0o777, 0o700)
    })
  }

  it('leaves a 0700 directory as it is', async () => {
    const dataDir = join(await dirs.make(), 'data')
    await mkdir(dataDir, { mode: 0o700 })
    await openDataDir(dataDir)
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700)
  })
})
