import { access, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { identityPath, rewriteIdentity } from '../identity/identity.ts'
import { encryptedCodec, plainCodec } from './at-rest.ts'
import { copyDatabase } from './copy-database.ts'
import { storedPathsIn } from './stored-paths.ts'
import { narrowDataDirMode } from './data-dir-mode.ts'
import { MESSAGES_DIR, PEERSTORE_DIR } from './constants.ts'
import { PassphraseRequiredError } from './errors.ts'
import { KEYRING_FILE, hasKeyring, removeKeyring, unlockKeyring, writeKeyring } from './keyring.ts'
import type { AtRestCodec } from './at-rest.ts'

/** Written once a conversion is fully prepared; its presence means "finish the switch" */
const MARKER = 'passphrase-switch.json'
const NEW = '.new'
const OLD = '.old'

export interface OpenedDataDir {
  codec: AtRestCodec
  /** Set when the directory is encrypted under a passphrase */
  dataKey?: Uint8Array
}

/**
 * How to read a data directory: plain, or (when it has a keyring) encrypted under the key the
 * passphrase unwraps. Makes the directory owner-only if its mode was wider, and finishes a
 * passphrase change that was interrupted after it was prepared.
 */
export async function openDataDir (dataDir: string, passphrase?: string): Promise<OpenedDataDir> {
  await narrowDataDirMode(dataDir)
  await finishSwitch(dataDir)
  if (!await hasKeyring(dataDir)) {
    return { codec: plainCodec }
  }
  if (passphrase == null || passphrase === '') {
    throw new PassphraseRequiredError(`${dataDir} is encrypted: give its passphrase (--passphrase-file, $PARLEY_PASSPHRASE, or at the prompt)`)
  }
  const dataKey = await unlockKeyring(dataDir, passphrase)
  return { codec: encryptedCodec(dataKey), dataKey }
}

/**
 * Sets, changes or removes the passphrase of a data directory whose daemon is not running.
 * Changing only rewraps the data key. Setting or removing rewrites the database (and the
 * identity file) into new files first; only then a marker commits the switch, so a crash
 * leaves either the old directory intact or a switch that `openDataDir` completes.
 *
 * @throws UnrecoverableKeyError when removing it meets keys it cannot write in the clear (see
 * copy-database.ts); the directory is left as it was
 */
export async function changePassphrase (dataDir: string, current: string | undefined, next: string | undefined): Promise<'set' | 'changed' | 'removed' | 'unchanged'> {
  const from = await openDataDir(dataDir, current)
  if (from.dataKey != null && next != null) {
    await writeKeyring(dataDir, from.dataKey, next)
    return 'changed'
  }
  if (from.dataKey == null && next == null) {
    return 'unchanged'
  }
  const dataKey = next != null ? crypto.getRandomValues(new Uint8Array(32)) : undefined
  const to: OpenedDataDir = dataKey != null ? { codec: encryptedCodec(dataKey), dataKey } : { codec: plainCodec }
  // everything new is staged beside the old; the marker then commits the switch
  await copyDatabase(join(dataDir, MESSAGES_DIR), from.codec, join(dataDir, MESSAGES_DIR + NEW), to.codec, { paths: storedPathsIn(dataDir) })
  await rewriteIdentity(dataDir, from, to, identityPath(dataDir) + NEW)
  if (next != null && dataKey != null) {
    await writeKeyring(dataDir, dataKey, next, KEYRING_FILE + NEW)
  }
  await writeFile(join(dataDir, MARKER), JSON.stringify({ encrypted: next != null }), { mode: 0o600 })
  await finishSwitch(dataDir)
  return next != null ? 'set' : 'removed'
}

async function finishSwitch (dataDir: string): Promise<void> {
  const marker = join(dataDir, MARKER)
  let plan: { encrypted: boolean }
  try {
    plan = JSON.parse(await readFile(marker, 'utf8'))
  } catch (err: any) {
    if (err.code === 'ENOENT') return
    throw err
  }
  // each step is skipped once done, so a switch interrupted anywhere here completes next time
  const db = join(dataDir, MESSAGES_DIR)
  if (await exists(db + NEW)) {
    if (await exists(db)) await rename(db, db + OLD)
    await rename(db + NEW, db)
  }
  await rm(db + OLD, { recursive: true, force: true })
  const identity = identityPath(dataDir)
  if (await exists(identity + NEW)) await rename(identity + NEW, identity)
  const keyring = join(dataDir, KEYRING_FILE)
  if (await exists(keyring + NEW)) await rename(keyring + NEW, keyring)
  if (plan.encrypted) {
    // the peer store lists everyone this node talked to, in the clear: an encrypted node keeps it in memory
    await rm(join(dataDir, PEERSTORE_DIR), { recursive: true, force: true })
  } else if (await hasKeyring(dataDir)) {
    await removeKeyring(dataDir)
  }
  await rm(marker)
}

async function exists (path: string): Promise<boolean> {
  return access(path).then(() => true, () => false)
}
