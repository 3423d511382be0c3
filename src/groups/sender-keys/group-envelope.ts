import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { peerOf } from '../change.ts'
import { MAX_SENDER_KEY_MESSAGE_BYTES } from './constants.ts'
import { InvalidSenderKeyMessageError } from './errors.ts'
import { GroupEnvelope } from './pb/sender-key.ts'
import type { CryptoProvider } from '../../crypto/provider/index.ts'
import type { GroupSecret } from '../group-secret.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'

const NONCE_BYTES = 12

/**
 * Wraps a sender-key message for the group: its author sealed under the epoch's author key and
 * bound to the message (an author moved onto another message does not open)
 */
export async function sealEnvelope (provider: CryptoProvider, secret: GroupSecret, author: PrivateKey, message: Uint8Array): Promise<Uint8Array> {
  const nonce = provider.randomBytes(NONCE_BYTES)
  const sealedAuthor = await provider.aes256GcmEncrypt(await secret.authorKey(), nonce, peerIdFromPrivateKey(author).toMultihash().bytes, provider.sha256(message))
  return GroupEnvelope.encode({ nonce: nonce as Uint8Array<ArrayBuffer>, sealedAuthor: sealedAuthor as Uint8Array<ArrayBuffer>, message: message as Uint8Array<ArrayBuffer> })
}

/**
 * Opens a group envelope with the epoch's secret: who says they wrote it, and the sender-key
 * message (whose chain's signature then proves the author)
 *
 * @throws {InvalidSenderKeyMessageError} when it is malformed or sealed under another secret
 */
export async function openEnvelope (provider: CryptoProvider, secret: GroupSecret, bytes: Uint8Array): Promise<{ author: PeerId, message: Uint8Array }> {
  if (bytes.byteLength > MAX_SENDER_KEY_MESSAGE_BYTES + 256) throw new InvalidSenderKeyMessageError('the group envelope is too large')
  let envelope: GroupEnvelope
  try {
    envelope = GroupEnvelope.decode(bytes)
  } catch (err: any) {
    throw new InvalidSenderKeyMessageError(`the group envelope does not decode: ${err.message}`)
  }
  if (envelope.nonce.byteLength !== NONCE_BYTES) throw new InvalidSenderKeyMessageError('the group envelope is malformed')
  let author: Uint8Array
  try {
    author = await provider.aes256GcmDecrypt(await secret.authorKey(), envelope.nonce, envelope.sealedAuthor, provider.sha256(envelope.message))
  } catch {
    throw new InvalidSenderKeyMessageError('the group envelope is not of this group and epoch')
  }
  try {
    return { author: peerOf(author), message: envelope.message }
  } catch {
    throw new InvalidSenderKeyMessageError('the group envelope names no author')
  }
}
