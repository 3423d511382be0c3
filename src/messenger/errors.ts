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
