import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Temporary data directories for one bench, removed by `cleanup()` */
export class TempDirs {
  private readonly dirs: string[] = []

  async make (prefix = 'parley-bench-'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix))
    this.dirs.push(dir)
    return dir
  }

  async cleanup (): Promise<void> {
    await Promise.all(this.dirs.splice(0).map(async dir => rm(dir, { recursive: true, force: true })))
  }
}

/** Runs `fn` with a fresh `TempDirs` and removes every directory it made, whatever happens */
export async function withTempDirs<T> (fn: (dirs: TempDirs) => Promise<T>): Promise<T> {
  const dirs = new TempDirs()
  try {
    return await fn(dirs)
  } finally {
    await dirs.cleanup()
  }
}
