import { ParleyError } from '../../errors/index.ts'

/** Thrown by `send` when there is no open connection to the peer: signalling goes through the session instead */
export class NotConnectedError extends ParleyError {
  static override name = 'NotConnectedError'
  override name = 'NotConnectedError'
  override readonly kind = 'transient'
  override readonly code = 'NOT_CONNECTED'

  constructor (message = 'No open connection to the peer') {
    super(message)
  }
}

/** Thrown by `send` when the receiver answered that it did not take the frame */
export class SignalRefusedError extends ParleyError {
  static override name = 'SignalRefusedError'
  override name = 'SignalRefusedError'
  override readonly kind = 'refused'
  override readonly code = 'SIGNAL_REFUSED'

  constructor (message = 'The peer did not take the call signal') {
    super(message)
  }
}

/** Thrown by `send` for a frame that breaks the protocol's limits (it never goes out) */
export class InvalidSignalFrameError extends ParleyError {
  static override name = 'InvalidSignalFrameError'
  override name = 'InvalidSignalFrameError'
  override readonly kind = 'bad-input'
  override readonly code = 'INVALID_SIGNAL_FRAME'

  constructor (message = 'Invalid call signal frame') {
    super(message)
  }
}
