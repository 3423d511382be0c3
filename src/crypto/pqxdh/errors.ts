/** Thrown when a prekey bundle is malformed or a signature in it does not verify */
export class InvalidBundleError extends Error {
  static override name = 'InvalidBundleError'
  override name = 'InvalidBundleError'

  constructor (message = 'The prekey bundle is invalid') {
    super(message)
  }
}

/** Thrown when an initial message names a prekey this node does not have (any more) */
export class UnknownPrekeyError extends Error {
  static override name = 'UnknownPrekeyError'
  override name = 'UnknownPrekeyError'

  constructor (message = 'The message uses an unknown prekey') {
    super(message)
  }
}

/** Thrown when an initial message is malformed */
export class InvalidInitialMessageError extends Error {
  static override name = 'InvalidInitialMessageError'
  override name = 'InvalidInitialMessageError'

  constructor (message = 'The initial message is invalid') {
    super(message)
  }
}
