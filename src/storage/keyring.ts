import { open as openFile, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { gcm } from '@noble/ciphers/aes.js'
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { concat } from 'uint8arrays/concat'
import { fromString } from 'uint8arrays/from-string'
import { toString } from 'uint8arrays/to-string'
import { WrongPassphraseError } from './errors.ts'

/** The data key, wrapped under the passphrase, lives here in the data directory */
export const KEYRING_FILE = 'keyring.json'

/** scrypt cost, as for backups: 128 MiB and about a second per guess */
const KDF = { N: 2 ** 17, r: 8, p: 1 }
const MIN_PASSPHRASE_LENGTH = 8

interface KeyringFile {
  version: 1
  kdf: { N: number, r: number, p: number, salt: string }
  wrappedKey: string
}

export async function hasKeyring (dataDir: string): Promise<boolean> {
  return readFile(join(dataDir, KEYRING_FILE)).then(() => true, (err: any) => {
    if (err.code === 'ENOENT') return false
    throw err
  })
}

/** The data key; throws `WrongPassphraseError` if the passphrase does not unwrap it */
export async function unlockKeyring (dataDir: string, passphrase: string): Promise<Uint8Array> {
  const file: KeyringFile = JSON.parse(await readFile(join(dataDir, KEYRING_FILE), 'utf8'))
  if (file.version !== 1 || file.kdf.N !== KDF.N || file.kdf.r !== KDF.r || file.kdf.p !== KDF.p) {
    throw new WrongPassphraseError(`${KEYRING_FILE} has a format or cost this version does not use`)
  }
  const kek = await derive(passphrase, fromString(file.kdf.salt, 'base64'))
  const wrapped = fromString(file.wrappedKey, 'base64')
  try {
    return gcm(kek, wrapped.subarray(0, 12)).decrypt(wrapped.subarray(12))
  } catch {
    throw new WrongPassphraseError()
  }
}

/** Wraps `dataKey` under `passphrase` into `file` (by default the keyring itself) */
export async function writeKeyring (dataDir: string, dataKey: Uint8Array, passphrase: string, file = KEYRING_FILE): Promise<void> {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new RangeError(`a passphrase has at least ${MIN_PASSPHRASE_LENGTH} characters`)
  }
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const nonce = crypto.getRandomValues(new Uint8Array(12))
  const kek = await derive(passphrase, salt)
  const contents: KeyringFile = {
    version: 1,
    kdf: { ...KDF, salt: toString(salt, 'base64') },
    wrappedKey: toString(concat([nonce, gcm(kek, nonce).encrypt(dataKey)]), 'base64')
  }
  const target = join(dataDir, file)
  const temp = `${target}.tmp`
  const handle = await openFile(temp, 'w', 0o600)
  try {
    await handle.writeFile(JSON.stringify(contents))
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temp, target)
}

export async function removeKeyring (dataDir: string): Promise<void> {
  await unlink(join(dataDir, KEYRING_FILE))
}

async function derive (passphrase: string, salt: Uint8Array): Promise<Uint8Array> {
  return scryptAsync(passphrase.normalize('NFKC'), salt, { ...KDF, dkLen: 32, maxmem: 2 ** 28 })
}
