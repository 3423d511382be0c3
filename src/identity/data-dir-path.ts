import { homedir } from 'node:os'
import { resolve } from 'node:path'

/** Environment variable naming the data directory when `--data` is not given */
export const DATA_DIR_ENV = 'PARLEY_HOME'
/** Data directory under the home directory when neither `--data` nor `$PARLEY_HOME` is given */
export const DEFAULT_DATA_DIR_NAME = '.parley'

/**
 * The data directory: `option` (from `--data DIR`) if given, else `$PARLEY_HOME`, else
 * `~/.parley`. Always an absolute path; empty strings count as not given. On its own, apart from
 * the identity's key handling, so a CLI client command finds the daemon without loading it.
 */
export function resolveDataDir (option?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (option != null && option !== '') {
    return resolve(option)
  }
  const fromEnv = env[DATA_DIR_ENV]
  if (fromEnv != null && fromEnv !== '') {
    return resolve(fromEnv)
  }
  return resolve(homedir(), DEFAULT_DATA_DIR_NAME)
}
