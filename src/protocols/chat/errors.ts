import { ParleyError } from '../../errors/index.ts'

export interface RefusalInit {
  /**
   * The recipient has no session that opens the message: a new session may carry it (the
   * recipient answers so when it fails for an unknown prekey or a lost session)
   */
  newSession?: boolean
}

/** Thrown by `send` when the recipient answered that it refuses the message */
export class MessageRejectedError extends ParleyError {
  static override name = 'MessageRejectedError'
  override name = 'MessageRejectedError'
  override readonly kind = 'refused'
  override readonly code = 'MESSAGE_REJECTED'
  readonly newSession: boolean

  constructor (message = 'The recipient rejected the message', init: RefusalInit = {}) {
    super(message)
    this.newSession = init.newSession ?? false
  }
}

/**
 * Thrown by a chat handler to refuse a message for good (the sender must not retry); the reason
 * goes back to the sender. Any other handler error aborts the stream without an ack, so the
 * sender retries later.
 */
export class MessageRefusedError extends ParleyError {
  static override name = 'MessageRefusedError'
  override name = 'MessageRefusedError'
  override readonly kind = 'refused'
  override readonly code = 'MESSAGE_REFUSED'
  readonly newSession: boolean

  constructor (message = 'Message refused', init: RefusalInit = {}) {
    super(message)
    this.newSession = init.newSession ?? false
  }
}

/** Thrown when a message is malformed or exceeds a limit */
export class InvalidChatMessageError extends ParleyError {
  static override name = 'InvalidChatMessageError'
  override name = 'InvalidChatMessageError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_CHAT_MESSAGE'

  constructor (message = 'Invalid chat message') {
    super(message)
  }
}

/** Thrown when the recipient's ack does not match the message sent */
export class UnexpectedAckError extends ParleyError {
  static override name = 'UnexpectedAckError'
  override name = 'UnexpectedAckError'
  // the stream is dropped and the message sent again on a fresh one, as the outbox always did
  override readonly kind = 'transient'
  override readonly code = 'UNEXPECTED_ACK'

  constructor (message = 'The recipient acknowledged a different message') {
    super(message)
  }
}
