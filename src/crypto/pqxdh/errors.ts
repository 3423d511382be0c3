import { ParleyError } from '../../errors/index.ts'

/** Thrown when a prekey bundle is malformed or a signature in it does not verify */
export class InvalidBundleError extends ParleyError {
  static override name = 'InvalidBundleError'
  override name = 'InvalidBundleError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_BUNDLE'

  constructor (message = 'The prekey bundle is invalid') {
    super(message)
  }
}

/** Thrown when an initial message names a prekey this node does not have (any more) */
export class UnknownPrekeyError extends ParleyError {
  static override name = 'UnknownPrekeyError'
  override name = 'UnknownPrekeyError'
  override readonly kind = 'permanent'
  override readonly code = 'UNKNOWN_PREKEY'

  constructor (message = 'The message uses an unknown prekey') {
    super(message)
  }
}

/** Thrown when an initial message is malformed */
export class InvalidInitialMessageError extends ParleyError {
  static override name = 'InvalidInitialMessageError'
  override name = 'InvalidInitialMessageError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_INITIAL_MESSAGE'

  constructor (message = 'The initial message is invalid') {
    super(message)
  }
}
