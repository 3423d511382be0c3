import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Temporary directories for one test file, removed by `cleanup()` */
export class TempDirs {
  private readonly dirs: string[] = []

  async make (prefix = 'parley-'): Promise<string> {
    // short paths: the control socket inside must fit in 104 bytes
    const dir = await mkdtemp(join(tmpdir(), prefix))
    this.dirs.push(dir)
    return dir
  }

  async cleanup (): Promise<void> {
    await Promise.all(this.dirs.splice(0).map(async dir => rm(dir, { recursive: true, force: true })))
  }
}
