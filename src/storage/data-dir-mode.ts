import { chmod, stat } from 'node:fs/promises'
import { logger } from '@libp2p/logger'
import { DATA_DIR_MODE } from '../identity/identity.ts'

const log = logger('parley:storage')

/**
 * Makes an existing data directory owner-only again (0700) when its mode lets group or others
 * in: it holds the identity key, the history and the control socket, and a copy, an archive
 * tool or an earlier release may have left it wider. Never fails the open: the directory is
 * used as it is when its mode cannot be read or changed (not its owner), and that is logged.
 */
export async function narrowDataDirMode (dataDir: string): Promise<void> {
  // Windows has no such mode bits: the directory's ACL decides
  if (process.platform === 'win32') return
  try {
    const { mode } = await stat(dataDir)
    if ((mode & 0o077) === 0) return
    await chmod(dataDir, DATA_DIR_MODE)
    log('narrowed the mode of %s from %s to %s', dataDir, (mode & 0o777).toString(8), DATA_DIR_MODE.toString(8))
  } catch (err: any) {
    if (err.code === 'ENOENT') return
    log.error('could not make %s owner-only: %s', dataDir, err.message)
  }
}
