import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { concat } from 'uint8arrays/concat'
import { fromString } from 'uint8arrays/from-string'
import { InvalidPrekeyRecordError } from './errors.ts'
import type { RequestsMailbox } from './pb/prekeys.ts'
import type { PrivateKey } from '@libp2p/interface'

const LABEL = fromString('Parley_RequestsMailbox:')
const PUBLIC_KEY_BYTES = 32

/** The requests mailbox's public key, signed by the identity key, as the record and the prekey response carry it */
export async function signRequestsMailbox (identity: PrivateKey, requests: PrivateKey): Promise<RequestsMailbox> {
  const publicKey = new Uint8Array(requests.publicKey.raw)
  return { publicKey, signature: new Uint8Array(await identity.sign(concat([LABEL, publicKey]))) }
}

/**
 * The requests mailbox's public key (raw), once its signature by `identityKey` (raw Ed25519)
 * verifies
 *
 * @throws InvalidPrekeyRecordError when the key is not 32 bytes or the signature does not verify
 */
export async function verifyRequestsMailbox (identityKey: Uint8Array, requests: RequestsMailbox): Promise<Uint8Array> {
  if (requests.publicKey.byteLength !== PUBLIC_KEY_BYTES) throw new InvalidPrekeyRecordError(`a requests mailbox key is ${PUBLIC_KEY_BYTES} bytes, got ${requests.publicKey.byteLength}`)
  let verified: boolean
  try {
    verified = await publicKeyFromRaw(identityKey).verify(concat([LABEL, requests.publicKey]), requests.signature)
  } catch {
    // a signature of the wrong length, a key that does not parse: not verified either
    verified = false
  }
  if (!verified) throw new InvalidPrekeyRecordError('the requests mailbox key\'s signature does not verify')
  return requests.publicKey
}
