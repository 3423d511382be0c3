import { privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { concat } from 'uint8arrays/concat'
import { equals } from 'uint8arrays/equals'
import { fromString } from 'uint8arrays/from-string'
import { toString } from 'uint8arrays/to-string'
import { FORMAT_VERSION, MAGIC, MIN_PASSPHRASE_LENGTH, SALT_BYTES, SCRYPT_N, SCRYPT_P, SCRYPT_R } from './constants.ts'
import { InvalidBackupError, WeakPassphraseError } from './errors.ts'
import type { CryptoProvider } from '../crypto/provider/types.ts'
import type { Contact, MessageRequest, NewMessage, Standing, Verified } from '../storage/types.ts'
import type { PrivateKey } from '@libp2p/interface'

export interface BackupContents {
  identity: PrivateKey
  contacts: Contact[]
  /** Who is blocked or accepted (absent from backups made before it was kept) */
  standings?: Array<{ peerId: string, standing: Standing }>
  /** Message requests not yet answered (absent from backups made before it was kept) */
  requests?: MessageRequest[]
  /** Whose safety numbers the user compared (absent from backups made before it was kept) */
  verified?: Verified[]
  /** History, oldest first */
  messages: NewMessage[]
  createdAt: number
}

const HEADER = new TextEncoder().encode(`${MAGIC}\n${FORMAT_VERSION}\n`)
const NONCE = new Uint8Array(12)

/**
 * Writes an encrypted backup: the identity key, contacts, standings (who is blocked), whose
 * safety numbers were compared, pending message requests and history, as JSON under AES-256-GCM
 * with a key from scrypt(passphrase, random salt). The key encrypts one file only, so its nonce
 * is fixed. Sessions and one-time prekeys are left out on purpose: restoring an old ratchet
 * state would make this node reuse message keys it already used; after a restore, sessions start
 * afresh.
 */
export async function exportBackup (provider: CryptoProvider, contents: BackupContents, passphrase: string): Promise<Uint8Array> {
  checkPassphrase(passphrase)
  const salt = provider.randomBytes(SALT_BYTES)
  const key = await deriveKey(passphrase, salt)
  const payload = new TextEncoder().encode(JSON.stringify({
    createdAt: contents.createdAt,
    identity: toString(privateKeyToProtobuf(contents.identity), 'base64'),
    contacts: contents.contacts,
    standings: contents.standings ?? [],
    requests: contents.requests ?? [],
    verified: contents.verified ?? [],
    messages: contents.messages
  }))
  const params = new Uint8Array(new Uint32Array([SCRYPT_N, SCRYPT_R, SCRYPT_P]).buffer)
  const aad = concat([HEADER, params, salt])
  return concat([aad, await provider.aes256GcmEncrypt(key, NONCE, payload, aad)])
}

export async function readBackup (provider: CryptoProvider, file: Uint8Array, passphrase: string): Promise<BackupContents> {
  if (file.byteLength < HEADER.byteLength + 12 + SALT_BYTES + 16 || !equals(file.subarray(0, HEADER.byteLength), HEADER)) {
    throw new InvalidBackupError('not a Parley backup (or made by a newer version)')
  }
  const paramsAt = HEADER.byteLength
  const view = new DataView(file.buffer, file.byteOffset + paramsAt, 12)
  const [n, r, p] = [view.getUint32(0, true), view.getUint32(4, true), view.getUint32(8, true)]
  // the parameters come from the file: refuse ones that would make reading it a denial of service
  if (n !== SCRYPT_N || r !== SCRYPT_R || p !== SCRYPT_P) {
    throw new InvalidBackupError('the backup uses unsupported key derivation parameters')
  }
  const saltAt = paramsAt + 12
  const salt = file.subarray(saltAt, saltAt + SALT_BYTES)
  const aad = file.subarray(0, saltAt + SALT_BYTES)
  let payload: Uint8Array
  try {
    payload = await provider.aes256GcmDecrypt(await deriveKey(passphrase, salt), NONCE, file.subarray(aad.byteLength), aad)
  } catch {
    throw new InvalidBackupError('wrong passphrase, or the backup is damaged')
  }
  try {
    const parsed = JSON.parse(new TextDecoder().decode(payload))
    return {
      createdAt: parsed.createdAt,
      identity: privateKeyFromProtobuf(fromString(parsed.identity, 'base64')),
      contacts: parsed.contacts,
      // backups from before these were kept lack them: each reads as empty
      standings: parsed.standings ?? [],
      requests: parsed.requests ?? [],
      verified: parsed.verified ?? [],
      messages: parsed.messages
    }
  } catch (err: any) {
    throw new InvalidBackupError(`the backup's contents do not parse: ${err.message}`)
  }
}

function checkPassphrase (passphrase: string): void {
  if (typeof passphrase !== 'string' || [...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new WeakPassphraseError(`a backup passphrase has at least ${MIN_PASSPHRASE_LENGTH} characters`)
  }
}

async function deriveKey (passphrase: string, salt: Uint8Array): Promise<Uint8Array> {
  return scryptAsync(passphrase.normalize('NFKC'), salt, { N: SCRYPT_N, r: SCRYPT_R, p: SCRYPT_P, dkLen: 32, maxmem: 2 ** 28 })
}
