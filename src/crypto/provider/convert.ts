/**
 * Ed25519 → X25519 key conversion, so a libp2p Ed25519 identity key doubles as the X25519
 * identity DH key (as in XEdDSA deployments and libsodium's `crypto_sign_ed25519_*_to_curve25519`).
 * The maps are the birational equivalence of RFC 7748 §4.1: public `u = (1 + y) / (1 - y)`,
 * private = the clamped first half of SHA-512(seed), the same scalar Ed25519 signs with.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { ED25519_EXPANDED_PRIVATE_KEY_LENGTH, ED25519_KEY_LENGTH } from './constants.ts'
import { InvalidKeyError } from './errors.ts'
import { assertBytes } from './validate.ts'

/**
 * The X25519 public key of an Ed25519 public key.
 *
 * The key must be a canonical encoding (RFC 8032 §5.1.3, y < p) of a point in the prime-order
 * subgroup: small-order points would give a predictable DH result, and points with a torsion
 * component are never produced by honest key generation, so both are rejected, as libsodium does.
 *
 * @param publicKey - 32 bytes (a libp2p `Ed25519PublicKey.raw`)
 * @throws InvalidKeyError when the bytes are not such a point
 */
export function ed25519PublicToX25519 (publicKey: Uint8Array): Uint8Array {
  assertBytes(publicKey, 'publicKey', ED25519_KEY_LENGTH)
  let point
  try {
    point = ed25519.Point.fromBytes(publicKey, false)
  } catch (err) {
    throw new InvalidKeyError('Not a valid Ed25519 public key', { cause: err })
  }
  if (point.isSmallOrder()) {
    throw new InvalidKeyError('Ed25519 public key is a low-order point')
  }
  if (!point.isTorsionFree()) {
    throw new InvalidKeyError('Ed25519 public key is not in the prime-order subgroup')
  }
  return ed25519.utils.toMontgomery(publicKey)
}

/**
 * The X25519 private key of an Ed25519 private key: `clamp(SHA-512(seed)[0..32])`. Its X25519
 * public key equals `ed25519PublicToX25519` of the Ed25519 public key.
 *
 * @param privateKey - the 32-byte seed, or libp2p's 64-byte `seed || publicKey` (`Ed25519PrivateKey.raw`)
 * @throws InvalidKeyError when the 64-byte form's public half does not belong to its seed
 */
export function ed25519PrivateToX25519 (privateKey: Uint8Array): Uint8Array {
  assertBytes(privateKey, 'privateKey', ED25519_KEY_LENGTH, ED25519_EXPANDED_PRIVATE_KEY_LENGTH)
  const seed = privateKey.subarray(0, ED25519_KEY_LENGTH)
  if (privateKey.length === ED25519_EXPANDED_PRIVATE_KEY_LENGTH) {
    const expected = ed25519.getPublicKey(seed)
    const given = privateKey.subarray(ED25519_KEY_LENGTH)
    // public data: an ordinary comparison is fine
    if (!expected.every((byte, i) => byte === given[i])) {
      throw new InvalidKeyError('Ed25519 private key: public half does not match the seed')
    }
  }
  return ed25519.utils.toMontgomerySecret(seed)
}
