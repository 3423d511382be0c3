import { ParleyError } from '../../errors/index.ts'

/** Thrown when a peer's prekey bundle is not signed by that peer's own identity key */
export class BundleMismatchError extends ParleyError {
  static override name = 'BundleMismatchError'
  override name = 'BundleMismatchError'
  override readonly kind = 'permanent'
  override readonly code = 'BUNDLE_MISMATCH'

  constructor (message = 'The prekey bundle belongs to another identity') {
    super(message)
  }
}

/** Thrown when a session message or its content is malformed */
export class InvalidSessionMessageError extends ParleyError {
  static override name = 'InvalidSessionMessageError'
  override name = 'InvalidSessionMessageError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_SESSION_MESSAGE'

  constructor (message = 'Invalid session message') {
    super(message)
  }
}

/**
 * Thrown when a message from a peer can be opened by no session this node holds with it and
 * does not start one (the state was lost, say by a restore from an old backup). The sender can
 * recover by starting a new session.
 */
export class NoSessionError extends ParleyError {
  static override name = 'NoSessionError'
  override name = 'NoSessionError'
  override readonly kind = 'permanent'
  override readonly code = 'NO_SESSION'

  constructor (message = 'No session for this message') {
    super(message)
  }
}
