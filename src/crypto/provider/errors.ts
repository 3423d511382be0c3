import { ParleyError } from '../../errors/index.ts'

/**
 * Thrown when an X25519 exchange yields the all-zero shared secret: the peer's public key is a
 * low-order point (or encodes one), so the result would not depend on our private key
 * (RFC 7748 §6.1). Treat it as a malicious or broken peer, never retry with the same key.
 */
export class LowOrderPointError extends ParleyError {
  static override name = 'LowOrderPointError'
  override name = 'LowOrderPointError'
  override readonly kind = 'permanent'
  override readonly code = 'LOW_ORDER_POINT'

  constructor (message = 'X25519 public key is a low-order point', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * Thrown when AES-256-GCM decryption fails authentication: the ciphertext, tag, nonce, associated
 * data or key differ from what was used to encrypt. No plaintext is ever returned in that case.
 */
export class DecryptionError extends ParleyError {
  static override name = 'DecryptionError'
  override name = 'DecryptionError'
  override readonly kind = 'permanent'
  override readonly code = 'DECRYPTION'

  constructor (message = 'Decryption failed: message could not be authenticated', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * Thrown when a key has the right length but is not a valid key: an ML-KEM encapsulation key that
 * fails the FIPS 203 modulus check, or an Ed25519 key that is not a canonical point of prime order
 * (or whose 64-byte form does not match its seed).
 */
export class InvalidKeyError extends ParleyError {
  static override name = 'InvalidKeyError'
  override name = 'InvalidKeyError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_KEY'

  constructor (message = 'Invalid key', options?: ErrorOptions) {
    super(message, options)
  }
}
