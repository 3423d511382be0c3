import { MIN_BUCKET_BYTES } from '../../crypto/padding.ts'
import { AES_GCM_TAG_LENGTH, ED25519_KEY_LENGTH, X25519_KEY_LENGTH } from '../../crypto/provider/constants.ts'
import { HEADER_BYTES } from '../../crypto/ratchet/constants.ts'
import { ENVELOPE_VERSION } from '../../crypto/sealed-sender/constants.ts'
import { SealedEnvelope } from '../../crypto/sealed-sender/pb/envelope.ts'
import { SessionMessage } from '../../crypto/session/pb/session.ts'

/**
 * The smallest envelope a Parley sender can leave in a mailbox, 422 bytes: a sealed-sender
 * envelope (version, a 32-byte X25519 ephemeral key, the 32-byte Ed25519 sender key under
 * AES-GCM) whose body is, under AES-GCM, the smallest session message: no PQXDH set-up, the
 * 40-byte ratchet header, and the ratchet's AES-GCM of content padded to the smallest bucket
 * (`MIN_BUCKET_BYTES`, 256). Measured by encoding one, so protobuf's tags and length prefixes
 * count exactly. Storers refuse anything shorter: it could never open.
 */
export const MIN_ENVELOPE_BYTES = SealedEnvelope.encode({
  version: ENVELOPE_VERSION,
  ephemeralKey: new Uint8Array(X25519_KEY_LENGTH),
  sealedSender: new Uint8Array(ED25519_KEY_LENGTH + AES_GCM_TAG_LENGTH),
  body: new Uint8Array(SessionMessage.encode({
    header: new Uint8Array(HEADER_BYTES),
    ciphertext: new Uint8Array(MIN_BUCKET_BYTES + AES_GCM_TAG_LENGTH)
  }).byteLength + AES_GCM_TAG_LENGTH)
}).byteLength
