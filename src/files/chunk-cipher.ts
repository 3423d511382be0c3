/**
 * The end-to-end encryption of a file's chunks: AES-256-GCM under the file's own key (which
 * travels only inside the end-to-end encrypted offer), a random nonce per encryption, and as
 * associated data the label, the file's root and the chunk's index, so a chunk cannot be
 * replayed under another index or into another file sent with the same key.
 */
import { CHUNK_AD_LABEL, CHUNK_NONCE_BYTES, CHUNK_TAG_BYTES, HASH_BYTES } from './constants.ts'
import { CorruptChunkError } from './errors.ts'
import type { CryptoProvider } from '../crypto/provider/types.ts'

const label = new TextEncoder().encode(CHUNK_AD_LABEL)

export interface SealedChunk {
  nonce: Uint8Array
  /** The encrypted chunk followed by GCM's 16-byte tag */
  ciphertext: Uint8Array
}

/** Encrypts chunk `index` of the file whose tree has `root` */
export async function sealChunk (provider: CryptoProvider, key: Uint8Array, root: Uint8Array, index: number, chunk: Uint8Array): Promise<SealedChunk> {
  const nonce = provider.randomBytes(CHUNK_NONCE_BYTES)
  const ciphertext = await provider.aes256GcmEncrypt(key, nonce, chunk, associatedData(root, index))
  return { nonce, ciphertext }
}

/**
 * Decrypts chunk `index`. The tree check still follows: the key only proves the chunk came from
 * someone holding it, and the sender does.
 *
 * @throws {CorruptChunkError} when the nonce or ciphertext is malformed or does not authenticate
 */
export async function openChunk (provider: CryptoProvider, key: Uint8Array, root: Uint8Array, index: number, sealed: SealedChunk): Promise<Uint8Array> {
  if (sealed.nonce.byteLength !== CHUNK_NONCE_BYTES || sealed.ciphertext.byteLength < CHUNK_TAG_BYTES) {
    throw new CorruptChunkError(`chunk ${index} has a malformed nonce or ciphertext`)
  }
  try {
    return await provider.aes256GcmDecrypt(key, sealed.nonce, sealed.ciphertext, associatedData(root, index))
  } catch {
    throw new CorruptChunkError(`chunk ${index} does not decrypt under the file's key`)
  }
}

function associatedData (root: Uint8Array, index: number): Uint8Array {
  const ad = new Uint8Array(label.byteLength + HASH_BYTES + 4)
  ad.set(label, 0)
  ad.set(root, label.byteLength)
  new DataView(ad.buffer).setUint32(label.byteLength + HASH_BYTES, index)
  return ad
}
