import { ParleyError } from '../errors/index.ts'

/** Thrown by `loadIdentity` when the data directory holds no identity key yet */
export class IdentityNotFoundError extends ParleyError {
  static override name = 'IdentityNotFoundError'
  override name = 'IdentityNotFoundError'
  override readonly kind = 'not-found'
  override readonly code = 'IDENTITY_NOT_FOUND'

  constructor (message = 'No identity found; run "parley init" to create one') {
    super(message)
  }
}

/**
 * Thrown when the identity key file exists but cannot be used (unreadable protobuf, wrong key
 * type, not a regular file). The file is never overwritten: it may be the only copy of the key.
 */
export class IdentityCorruptError extends ParleyError {
  static override name = 'IdentityCorruptError'
  override name = 'IdentityCorruptError'
  override readonly kind = 'permanent'
  override readonly code = 'IDENTITY_CORRUPT'

  constructor (message = 'The identity key file is corrupt; it was NOT overwritten', options?: ErrorOptions) {
    super(message, options)
  }
}

/** Thrown when a string is not a usable Parley address (peer id, invite or /p2p/ multiaddr) */
export class InvalidPeerError extends ParleyError {
  static override name = 'InvalidPeerError'
  override name = 'InvalidPeerError'
  override readonly kind = 'bad-input'
  override readonly code = 'INVALID_PEER'

  constructor (message = 'Not a valid Parley address', options?: ErrorOptions) {
    super(message, options)
  }
}

/** Thrown when the key file is sealed under a passphrase that was not given (or is wrong) */
export class IdentityLockedError extends ParleyError {
  static override name = 'IdentityLockedError'
  override name = 'IdentityLockedError'
  override readonly kind = 'bad-input'
  override readonly code = 'IDENTITY_LOCKED'

  constructor (message = 'The identity is encrypted: a passphrase is needed') {
    super(message)
  }
}
