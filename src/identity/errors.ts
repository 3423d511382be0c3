/** Thrown by `loadIdentity` when the data directory holds no identity key yet */
export class IdentityNotFoundError extends Error {
  static override name = 'IdentityNotFoundError'
  override name = 'IdentityNotFoundError'

  constructor (message = 'No identity found; run "parley init" to create one') {
    super(message)
  }
}

/**
 * Thrown when the identity key file exists but cannot be used (unreadable protobuf, wrong key
 * type, not a regular file). The file is never overwritten: it may be the only copy of the key.
 */
export class IdentityCorruptError extends Error {
  static override name = 'IdentityCorruptError'
  override name = 'IdentityCorruptError'

  constructor (message = 'The identity key file is corrupt; it was NOT overwritten', options?: ErrorOptions) {
    super(message, options)
  }
}

/** Thrown when a string is not a usable Parley address (peer id, invite or /p2p/ multiaddr) */
export class InvalidPeerError extends Error {
  static override name = 'InvalidPeerError'
  override name = 'InvalidPeerError'

  constructor (message = 'Not a valid Parley address', options?: ErrorOptions) {
    super(message, options)
  }
}

/** Thrown when the key file is sealed under a passphrase that was not given (or is wrong) */
export class IdentityLockedError extends Error {
  static override name = 'IdentityLockedError'
  override name = 'IdentityLockedError'

  constructor (message = 'The identity is encrypted: a passphrase is needed') {
    super(message)
  }
}
