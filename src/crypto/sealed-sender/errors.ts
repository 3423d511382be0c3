import { ParleyError } from '../../errors/index.ts'

/** Thrown when an envelope is malformed, not for us, or does not authenticate */
export class InvalidEnvelopeError extends ParleyError {
  static override name = 'InvalidEnvelopeError'
  override name = 'InvalidEnvelopeError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_ENVELOPE'

  constructor (message = 'The envelope could not be opened') {
    super(message)
  }
}
