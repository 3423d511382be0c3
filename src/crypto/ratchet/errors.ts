/** Thrown when a message was already decrypted (a replay, or a retry of a delivered message) */
export class DuplicateMessageError extends Error {
  static override name = 'DuplicateMessageError'
  override name = 'DuplicateMessageError'

  constructor (message = 'This message was already received') {
    super(message)
  }
}

/** Thrown when a header asks for more skipped message keys than MAX_SKIP allows */
export class TooManySkippedMessagesError extends Error {
  static override name = 'TooManySkippedMessagesError'
  override name = 'TooManySkippedMessagesError'

  constructor (message = 'Too many messages skipped') {
    super(message)
  }
}

/** Thrown when a message is malformed or fails authentication; the session is left unchanged */
export class InvalidMessageError extends Error {
  static override name = 'InvalidMessageError'
  override name = 'InvalidMessageError'

  constructor (message = 'The message could not be decrypted') {
    super(message)
  }
}

/** Thrown when a stored session record cannot be read */
export class InvalidSessionError extends Error {
  static override name = 'InvalidSessionError'
  override name = 'InvalidSessionError'

  constructor (message = 'The session record is invalid') {
    super(message)
  }
}

/**
 * Thrown when a message arrives whose key was dropped by the cap on skipped keys (it is later
 * than MAX_SKIPPED_KEYS others): not a repeat, and it cannot be decrypted in this session
 */
export class SkippedKeyEvictedError extends Error {
  static override name = 'SkippedKeyEvictedError'
  override name = 'SkippedKeyEvictedError'

  constructor (message = 'The message key was dropped: the message came after too many others') {
    super(message)
  }
}
