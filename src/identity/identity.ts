import { randomBytes } from 'node:crypto'
import { chmod, link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { logger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { decodeIdentityKey } from './decode-key.ts'
import { IdentityCorruptError, IdentityLockedError, IdentityNotFoundError } from './errors.ts'
import { isSealed, openKey, sealKey } from './sealed.ts'
import type { Ed25519PeerId, Ed25519PrivateKey, PrivateKey } from '@libp2p/interface'

export { DATA_DIR_ENV, DEFAULT_DATA_DIR_NAME, resolveDataDir } from './data-dir-path.ts'

const log = logger('parley:identity')

/** Name of the identity key file inside the data directory */
export const IDENTITY_FILE = 'identity.key'
/** Mode of a newly created identity key file: owner read/write only */
export const KEY_FILE_MODE = 0o600
/** Mode of a newly created data directory: owner only */
export const DATA_DIR_MODE = 0o700

/** Errors from link(2) on filesystems without hard links (FAT, some network filesystems) */
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'])

export interface IdentityOptions {
  /** The data key when a passphrase is set: the key file is sealed under it */
  dataKey?: Uint8Array
}

export interface Identity {
  /** The node's long-term key; its public half is the user's address */
  privateKey: Ed25519PrivateKey
  peerId: Ed25519PeerId
  /** True when this call generated the key, false when it was loaded from disk */
  created: boolean
}

/** Path of the identity key file in `dataDir` */
export function identityPath (dataDir: string): string {
  return join(dataDir, IDENTITY_FILE)
}

/**
 * Loads the identity key from `<dataDir>/identity.key`. If the file is readable by group or
 * others its mode is tightened to owner-only first.
 *
 * @throws IdentityNotFoundError when there is no key file
 * @throws IdentityCorruptError when the file is not a usable Ed25519 key (it is left untouched)
 */
export async function loadIdentity (dataDir: string, options: IdentityOptions = {}): Promise<Identity> {
  const file = identityPath(dataDir)
  let mode: number
  try {
    const info = await stat(file)
    if (!info.isFile()) {
      throw new IdentityCorruptError(`${file} is not a regular file; it was NOT overwritten`)
    }
    mode = info.mode
  } catch (err) {
    if (errorCode(err) === 'ENOENT') {
      throw new IdentityNotFoundError(`No identity in ${dataDir} (${file} does not exist); run "parley init" to create one`)
    }
    throw err
  }
  await tightenMode(file, mode)
  let bytes: Uint8Array = await readFile(file)
  if (isSealed(bytes)) {
    if (options.dataKey == null) {
      throw new IdentityLockedError(`${file} is encrypted: a passphrase is needed`)
    }
    try {
      bytes = openKey(bytes, options.dataKey)
    } catch {
      throw new IdentityLockedError(`${file} does not open with this passphrase`)
    }
  }
  const { privateKey, peerId } = await decodeKey(file, bytes)
  return { privateKey, peerId, created: false }
}

/**
 * Loads the identity from `dataDir`, or creates one if there is none: a new Ed25519 key written
 * atomically to `<dataDir>/identity.key` with mode 0600, creating `dataDir` (mode 0700) if
 * needed. An existing key file is never overwritten, even by a concurrent call: the loser of a
 * race loads the winner's key.
 *
 * @throws IdentityCorruptError when a key file exists but is not a usable Ed25519 key
 */
export async function loadOrCreateIdentity (dataDir: string, options: IdentityOptions = {}): Promise<Identity> {
  try {
    return await loadIdentity(dataDir, options)
  } catch (err) {
    if (!(err instanceof Error) || err.name !== IdentityNotFoundError.name) {
      throw err
    }
  }
  const privateKey = await generateKeyPair('Ed25519')
  if (!await saveNewIdentity(dataDir, privateKey, options)) {
    return loadIdentity(dataDir, options)
  }
  const peerId = peerIdFromPrivateKey(privateKey)
  log('created identity %p in %s', peerId, dataDir)
  return { privateKey, peerId, created: true }
}

/**
 * Stores `privateKey` as the identity of `dataDir` (creating the directory, 0700) unless it has
 * one already: then nothing is written and it returns false. Used to restore a backup.
 */
export async function saveNewIdentity (dataDir: string, privateKey: PrivateKey, options: IdentityOptions = {}): Promise<boolean> {
  await mkdir(dataDir, { recursive: true, mode: DATA_DIR_MODE })
  return writeNewFile(identityPath(dataDir), encodeForDisk(privateKey, options))
}

/**
 * Writes the key again, sealed under `to.dataKey` or in the clear without one (setting or
 * removing a passphrase), to `file`: by default replacing the key file in one rename; a
 * passphrase switch stages it under another name first.
 */
export async function rewriteIdentity (dataDir: string, from: IdentityOptions, to: IdentityOptions, file = identityPath(dataDir)): Promise<void> {
  const { privateKey } = await loadIdentity(dataDir, from)
  const temp = `${file}.${randomBytes(8).toString('hex')}.tmp`
  const handle = await open(temp, 'wx', KEY_FILE_MODE)
  try {
    await handle.writeFile(encodeForDisk(privateKey, to))
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temp, file)
  await syncDir(dataDir)
}

function encodeForDisk (privateKey: PrivateKey, options: IdentityOptions): Uint8Array {
  const encoded = privateKeyToProtobuf(privateKey)
  return options.dataKey == null ? encoded : sealKey(encoded, options.dataKey)
}

async function decodeKey (file: string, bytes: Uint8Array): Promise<Omit<Identity, 'created'>> {
  return decodeIdentityKey(bytes, file, '. Restore it from a backup, or move it away to create a new identity (a new address)')
}

/** Drops group/other permission bits; the key must not be readable by other users */
async function tightenMode (file: string, mode: number): Promise<void> {
  if (process.platform === 'win32' || (mode & 0o077) === 0) {
    return
  }
  await chmod(file, mode & 0o700)
  log('tightened the mode of %s from %s to %s', file, (mode & 0o777).toString(8), (mode & 0o700).toString(8))
}

/**
 * Writes `bytes` to `file` only if it does not exist, never leaving a partial file behind:
 * write a temp file (0600) and fsync it, then publish it with link(2), which fails instead of
 * replacing an existing file as rename(2) would. Returns false if `file` already existed.
 */
async function writeNewFile (file: string, bytes: Uint8Array): Promise<boolean> {
  const temp = `${file}.${randomBytes(8).toString('hex')}.tmp`
  try {
    const handle = await open(temp, 'wx', KEY_FILE_MODE)
    try {
      await handle.writeFile(bytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    if (!await publish(temp, file)) {
      return false
    }
  } finally {
    // after link() the temp name is a second name for the key; after rename() it is gone
    await unlink(temp).catch(() => {})
  }
  await syncDir(dirname(file))
  return true
}

async function publish (temp: string, file: string): Promise<boolean> {
  try {
    await link(temp, file)
    return true
  } catch (err) {
    const code = errorCode(err)
    if (code === 'EEXIST') {
      return false
    }
    if (code === undefined || !LINK_UNSUPPORTED.has(code)) {
      throw err
    }
  }
  // no hard links here: rename, checking first (a small race window remains on such filesystems)
  try {
    await stat(file)
    return false
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') {
      throw err
    }
  }
  await rename(temp, file)
  return true
}

/** Makes the new directory entry durable; best effort, as not every platform can fsync a directory */
async function syncDir (dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch (err) {
    log('could not fsync %s: %s', dir, errorCode(err) ?? String(err))
  }
}

/** The `code` of a Node.js system error (ENOENT, EEXIST...), if `err` is one */
function errorCode (err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' ? code : undefined
}
