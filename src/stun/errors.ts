import { ParleyError } from '../errors/index.ts'

/**
 * Thrown when a datagram is not a well-formed STUN binding request (RFC 8489): too short or too
 * long, a bad header, attributes that overrun the message, or a FINGERPRINT that does not match.
 * The STUN server drops such datagrams without answering.
 */
export class InvalidStunMessageError extends ParleyError {
  static override name = 'InvalidStunMessageError'
  override name = 'InvalidStunMessageError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_STUN_MESSAGE'

  constructor (message = 'Not a well-formed STUN binding request', options?: ErrorOptions) {
    super(message, options)
  }
}

/** Thrown when the STUN server could bind none of its UDP sockets (the message says why) */
export class StunListenError extends ParleyError {
  static override name = 'StunListenError'
  override name = 'StunListenError'
  override readonly kind = 'transient'
  override readonly code = 'STUN_LISTEN'

  constructor (message = 'The STUN server could not listen on any address', options?: ErrorOptions) {
    super(message, options)
  }
}

/** Thrown when a relay's `StunInfo` answer is malformed or names no usable port */
export class InvalidStunInfoError extends ParleyError {
  static override name = 'InvalidStunInfoError'
  override name = 'InvalidStunInfoError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_STUN_INFO'

  constructor (message = 'The relay\'s STUN info is invalid', options?: ErrorOptions) {
    super(message, options)
  }
}
