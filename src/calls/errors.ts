import { ParleyError } from '../errors/index.ts'

/** Thrown when a peer's call signalling does not decode, or breaks a limit */
export class InvalidCallSignalError extends ParleyError {
  static override name = 'InvalidCallSignalError'
  override name = 'InvalidCallSignalError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_CALL_SIGNAL'

  constructor (message = 'Invalid call signal') {
    super(message)
  }
}

/** Thrown when no call has the id given */
export class UnknownCallError extends ParleyError {
  static override name = 'UnknownCallError'
  override name = 'UnknownCallError'
  override readonly kind = 'not-found'
  override readonly code = 'UNKNOWN_CALL'

  constructor (message = 'No such call') {
    super(message)
  }
}

/** Thrown when a call cannot do what is asked in the state it is in (accepting a call that no longer rings) */
export class CallStateError extends ParleyError {
  static override name = 'CallStateError'
  override name = 'CallStateError'
  override readonly kind = 'bad-input'
  override readonly code = 'CALL_STATE'

  constructor (message = 'The call cannot do that now') {
    super(message)
  }
}

/** Thrown when a call's media frame does not open (sealed under another key, changed, or too short): it is dropped */
export class FrameOpenError extends ParleyError {
  static override name = 'FrameOpenError'
  override name = 'FrameOpenError'
  override readonly kind = 'permanent'
  override readonly code = 'FRAME_OPEN_FAILED'

  constructor (message = 'The frame does not open') {
    super(message)
  }
}
