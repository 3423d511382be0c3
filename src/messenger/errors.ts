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

/** Thrown when a reply, reaction, edit or deletion names a message this conversation does not have */
export class UnknownMessageError extends ParleyError {
  static override name = 'UnknownMessageError'
  override name = 'UnknownMessageError'
  override readonly kind = 'not-found'
  override readonly code = 'UNKNOWN_MESSAGE'

  constructor (message = 'No such message in this conversation') {
    super(message)
  }
}

/** Thrown when the user edits or deletes a message that is not theirs, or edits a deleted one */
export class MessageNotEditableError extends ParleyError {
  static override name = 'MessageNotEditableError'
  override name = 'MessageNotEditableError'
  override readonly kind = 'bad-input'
  override readonly code = 'MESSAGE_NOT_EDITABLE'

  constructor (message = 'This message cannot be changed') {
    super(message)
  }
}

/** Thrown when a reaction is not a single short emoji (or empty, to take it back) */
export class InvalidReactionError extends ParleyError {
  static override name = 'InvalidReactionError'
  override name = 'InvalidReactionError'
  override readonly kind = 'bad-input'
  override readonly code = 'INVALID_REACTION'

  constructor (message = 'Invalid reaction') {
    super(message)
  }
}

/** Thrown when a disappearing-message timer is not one of `TIMER_SECONDS` */
export class InvalidTimerError extends ParleyError {
  static override name = 'InvalidTimerError'
  override name = 'InvalidTimerError'
  override readonly kind = 'bad-input'
  override readonly code = 'INVALID_TIMER'

  constructor (message = 'Invalid disappearing-message timer') {
    super(message)
  }
}
