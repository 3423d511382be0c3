import { concat } from 'uint8arrays/concat'
import { equals } from 'uint8arrays/equals'
import { identityX25519Public, identityX25519Secret } from '../identity-keys.ts'
import { ENVELOPE_VERSION, INFO_EPHEMERAL, INFO_STATIC, MAX_ENVELOPE_BYTES, SALT_PREFIX } from './constants.ts'
import { InvalidEnvelopeError } from './errors.ts'
import { SealedEnvelope } from './pb/envelope.ts'
import type { CryptoProvider } from '../provider/types.ts'
import type { PrivateKey } from '@libp2p/interface'

const encoder = new TextEncoder()
const SALT = encoder.encode(SALT_PREFIX)
const EPHEMERAL_INFO = encoder.encode(INFO_EPHEMERAL)
const STATIC_INFO = encoder.encode(INFO_STATIC)
/** Every key below encrypts exactly one thing, so a fixed nonce is never reused under a key */
const NONCE = new Uint8Array(12)

export interface OpenedEnvelope {
  /** The sender's Ed25519 identity public key (raw): authenticated, the PeerId's key */
  senderIdentityKey: Uint8Array
  content: Uint8Array
}

/**
 * Seals `content` for `recipientIdentityKey` (raw Ed25519) so that only the recipient learns the
 * sender, as in Signal's sealed sender: an ephemeral X25519 key encrypts the sender's identity;
 * the static X25519 agreement of both identities, chained to that, encrypts the content, which
 * proves to the recipient who sent it without a signature anyone else could check.
 */
export async function seal (provider: CryptoProvider, sender: PrivateKey, recipientIdentityKey: Uint8Array, content: Uint8Array): Promise<Uint8Array> {
  const recipientX = identityX25519Public(recipientIdentityKey)
  const ephemeral = await provider.x25519GenerateKeyPair()
  const { chainKey, cipherKey } = await ephemeralKeys(provider, await provider.x25519(ephemeral.privateKey, recipientX), recipientX, ephemeral.publicKey)
  const sealedSender = await provider.aes256GcmEncrypt(cipherKey, NONCE, sender.publicKey.raw, ephemeral.publicKey)
  const staticKey = await provider.hkdfSha256(await provider.x25519(identityX25519Secret(sender), recipientX), concat([chainKey, sealedSender]), STATIC_INFO, 32)
  const body = await provider.aes256GcmEncrypt(staticKey, NONCE, content, concat([ephemeral.publicKey, sealedSender]))
  return SealedEnvelope.encode({
    version: ENVELOPE_VERSION,
    ephemeralKey: ephemeral.publicKey as Uint8Array<ArrayBuffer>,
    sealedSender: sealedSender as Uint8Array<ArrayBuffer>,
    body: body as Uint8Array<ArrayBuffer>
  })
}

/** Opens an envelope sealed to `recipient`; throws `InvalidEnvelopeError` for anything else */
export async function open (provider: CryptoProvider, recipient: PrivateKey, envelope: Uint8Array): Promise<OpenedEnvelope> {
  if (!(envelope instanceof Uint8Array) || envelope.byteLength > MAX_ENVELOPE_BYTES) {
    throw new InvalidEnvelopeError(`an envelope is at most ${MAX_ENVELOPE_BYTES} bytes`)
  }
  let decoded: SealedEnvelope
  try {
    decoded = SealedEnvelope.decode(envelope)
  } catch (err: any) {
    throw new InvalidEnvelopeError(`the envelope does not decode: ${err.message}`)
  }
  // One envelope, one encoding. Storers know an envelope by the SHA-256 of its bytes (dedup,
  // receipts, deletion on ack, the replay tombstone), and a protobuf decoder takes many byte
  // strings for one message, so a relay or storer could re-encode an envelope into new bytes,
  // with a new hash, that still open, and have it stored again past the replay check. Only the
  // bytes `SealedEnvelope.encode` writes for what they decode to are taken. That refuses exactly:
  // fields out of field-number order, a field given twice (the decoder keeps the last), unknown
  // fields, a field written with its default value (version 0, empty bytes), varints (tags,
  // lengths, the version) longer than their minimal form, and whatever does not decode. No field
  // here is a repeated number, so packed against unpacked cannot arise. Requests, which nobody
  // hashes, must instead take every valid encoding (the mailbox's request-codec.ts).
  if (!equals(SealedEnvelope.encode(decoded), envelope)) {
    throw new InvalidEnvelopeError('the envelope is not canonically encoded')
  }
  if (decoded.version !== ENVELOPE_VERSION) {
    throw new InvalidEnvelopeError(`unsupported envelope version ${decoded.version}`)
  }
  try {
    const recipientX = identityX25519Secret(recipient)
    const ownX = await provider.x25519PublicKey(recipientX)
    const { chainKey, cipherKey } = await ephemeralKeys(provider, await provider.x25519(recipientX, decoded.ephemeralKey), ownX, decoded.ephemeralKey)
    const senderIdentityKey = await provider.aes256GcmDecrypt(cipherKey, NONCE, decoded.sealedSender, decoded.ephemeralKey)
    const senderX = identityX25519Public(senderIdentityKey)
    const staticKey = await provider.hkdfSha256(await provider.x25519(recipientX, senderX), concat([chainKey, decoded.sealedSender]), STATIC_INFO, 32)
    const content = await provider.aes256GcmDecrypt(staticKey, NONCE, decoded.body, concat([decoded.ephemeralKey, decoded.sealedSender]))
    return { senderIdentityKey, content }
  } catch (err: any) {
    throw new InvalidEnvelopeError(`the envelope does not open: ${err.message}`)
  }
}

async function ephemeralKeys (provider: CryptoProvider, dh: Uint8Array, recipientX: Uint8Array, ephemeralPublic: Uint8Array): Promise<{ chainKey: Uint8Array, cipherKey: Uint8Array }> {
  const out = await provider.hkdfSha256(dh, concat([SALT, recipientX, ephemeralPublic]), EPHEMERAL_INFO, 64)
  return { chainKey: out.slice(0, 32), cipherKey: out.slice(32) }
}
