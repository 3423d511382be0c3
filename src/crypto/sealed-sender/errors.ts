/** Thrown when an envelope is malformed, not for us, or does not authenticate */
export class InvalidEnvelopeError extends Error {
  static override name = 'InvalidEnvelopeError'
  override name = 'InvalidEnvelopeError'

  constructor (message = 'The envelope could not be opened') {
    super(message)
  }
}
