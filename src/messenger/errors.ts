import { ParleyError } from '../errors/index.ts'

/** Thrown when a message text is empty or longer than the chat protocol allows */
export class InvalidMessageTextError extends ParleyError {
  static override name = 'InvalidMessageTextError'
  override name = 'InvalidMessageTextError'
  override readonly kind = 'bad-input'
  override readonly code = 'INVALID_MESSAGE_TEXT'

  constructor (message = 'Invalid message text') {
    super(message)
  }
}

/** Thrown when the user addresses a message to their own node */
export class SelfMessageError extends ParleyError {
  static override name = 'SelfMessageError'
  override name = 'SelfMessageError'
  override readonly kind = 'bad-input'
  override readonly code = 'SELF_MESSAGE'

  constructor (message = 'Cannot send a message to yourself') {
    super(message)
  }
}

/** Thrown when decrypted content is not a Content message */
export class InvalidContentError extends ParleyError {
  static override name = 'InvalidContentError'
  override name = 'InvalidContentError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_CONTENT'

  constructor (message = 'Invalid content') {
    super(message)
  }
}

/** Thrown when a second handler registers for a kind of content */
export class ContentKindTakenError extends ParleyError {
  static override name = 'ContentKindTakenError'
  override name = 'ContentKindTakenError'
  override readonly kind = 'bad-input'
  override readonly code = 'CONTENT_KIND_TAKEN'

  constructor (message = 'This kind of content has a handler already') {
    super(message)
  }
}

/** Thrown when an outgoing record is of a kind no handler sends */
export class NoContentHandlerError extends ParleyError {
  static override name = 'NoContentHandlerError'
  override name = 'NoContentHandlerError'
  override readonly kind = 'permanent'
  override readonly code = 'NO_CONTENT_HANDLER'

  constructor (message = 'No handler sends this kind of content') {
    super(message)
  }
}
