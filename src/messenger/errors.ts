/** Thrown when a message text is empty or longer than the chat protocol allows */
export class InvalidMessageTextError extends Error {
  static override name = 'InvalidMessageTextError'
  override name = 'InvalidMessageTextError'

  constructor (message = 'Invalid message text') {
    super(message)
  }
}

/** Thrown when the user addresses a message to their own node */
export class SelfMessageError extends Error {
  static override name = 'SelfMessageError'
  override name = 'SelfMessageError'

  constructor (message = 'Cannot send a message to yourself') {
    super(message)
  }
}
