import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { IdentityCorruptError } from './errors.ts'
import type { Identity } from './identity.ts'

/**
 * Reads a stored identity key (libp2p's protobuf form), refusing anything but a whole, working
 * Ed25519 key. `subject` names where it came from and `advice` what the user can do, for the
 * error; the stored bytes are never overwritten by the caller on failure.
 */
export async function decodeIdentityKey (bytes: Uint8Array, subject: string, advice = ''): Promise<Omit<Identity, 'created'>> {
  const corrupt = (why: string, cause?: unknown): IdentityCorruptError => new IdentityCorruptError(
    `${subject} ${why}; it was NOT overwritten${advice}`,
    cause === undefined ? undefined : { cause }
  )
  let privateKey
  try {
    privateKey = privateKeyFromProtobuf(bytes)
  } catch (err) {
    throw corrupt(`is not a valid private key (${bytes.byteLength} bytes)`, err)
  }
  if (privateKey.type !== 'Ed25519') {
    throw corrupt(`holds a ${privateKey.type} key, but Parley identities are Ed25519`)
  }
  // both halves of the key are stored: a flipped bit in the public half would otherwise give an
  // address whose signatures nobody can verify
  const probe = new TextEncoder().encode('parley identity self-test')
  if (!await privateKey.publicKey.verify(probe, await privateKey.sign(probe))) {
    throw corrupt('holds a private key that does not match its public key')
  }
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey) }
}
