import { ParleyError } from '../../errors/index.ts'

/** Thrown when a message was already decrypted (a replay, or a retry of a delivered message) */
export class DuplicateMessageError extends ParleyError {
  static override name = 'DuplicateMessageError'
  override name = 'DuplicateMessageError'
  override readonly kind = 'permanent'
  override readonly code = 'DUPLICATE_MESSAGE'

  constructor (message = 'This message was already received') {
    super(message)
  }
}

/** Thrown when a header asks for more skipped message keys than MAX_SKIP allows */
export class TooManySkippedMessagesError extends ParleyError {
  static override name = 'TooManySkippedMessagesError'
  override name = 'TooManySkippedMessagesError'
  override readonly kind = 'permanent'
  override readonly code = 'TOO_MANY_SKIPPED_MESSAGES'

  constructor (message = 'Too many messages skipped') {
    super(message)
  }
}

/** Thrown when a message is malformed or fails authentication; the session is left unchanged */
export class InvalidMessageError extends ParleyError {
  static override name = 'InvalidMessageError'
  override name = 'InvalidMessageError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_MESSAGE'

  constructor (message = 'The message could not be decrypted') {
    super(message)
  }
}

/** Thrown when a stored session record cannot be read */
export class InvalidSessionError extends ParleyError {
  static override name = 'InvalidSessionError'
  override name = 'InvalidSessionError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_SESSION'

  constructor (message = 'The session record is invalid') {
    super(message)
  }
}

/**
 * Thrown when a message arrives whose key was dropped by the cap on skipped keys (it is later
 * than MAX_SKIPPED_KEYS others): not a repeat, and it cannot be decrypted in this session
 */
export class SkippedKeyEvictedError extends ParleyError {
  static override name = 'SkippedKeyEvictedError'
  override name = 'SkippedKeyEvictedError'
  override readonly kind = 'permanent'
  override readonly code = 'SKIPPED_KEY_EVICTED'

  constructor (message = 'The message key was dropped: the message came after too many others') {
    super(message)
  }
}
