import { ParleyError } from '../../errors/index.ts'
import type { ErrorKind } from '../../errors/index.ts'

/**
 * Thrown on the receiving side when the sender refuses a request (unknown file, unavailable,
 * busy). `refused`, but `transient` when the sender is busy: a later request may be served.
 */
export class FileRefusedError extends ParleyError {
  static override name = 'FileRefusedError'
  override name = 'FileRefusedError'
  override readonly kind: ErrorKind
  override readonly code = 'FILE_REFUSED'

  /** `unknown`, `unavailable` or `busy` */
  readonly status: 'unknown' | 'unavailable' | 'busy'

  constructor (status: 'unknown' | 'unavailable' | 'busy', message = 'The sender refused the request') {
    super(message)
    this.status = status
    this.kind = status === 'busy' ? 'transient' : 'refused'
  }
}

/** Thrown on either side when a frame breaks the protocol (bad ranges, chunks out of order, ...) */
export class InvalidFileFrameError extends ParleyError {
  static override name = 'InvalidFileFrameError'
  override name = 'InvalidFileFrameError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_FILE_FRAME'

  constructor (message = 'The file protocol frame is invalid') {
    super(message)
  }
}

/**
 * Thrown by a `FileResolver` when the asking peer was never offered this file (or no longer is:
 * cancelled, or received already)
 */
export class UnknownFileError extends ParleyError {
  static override name = 'UnknownFileError'
  override name = 'UnknownFileError'
  override readonly kind = 'not-found'
  override readonly code = 'UNKNOWN_FILE'

  constructor (message = 'No such file is offered to you') {
    super(message)
  }
}

/** Thrown by a `FileResolver` when the file was offered but cannot be served (gone, or changed) */
export class FileUnavailableError extends ParleyError {
  static override name = 'FileUnavailableError'
  override name = 'FileUnavailableError'
  override readonly kind = 'permanent'
  override readonly code = 'FILE_UNAVAILABLE'

  constructor (message = 'The file cannot be served') {
    super(message)
  }
}

/** Thrown when the only connections to the peer are relayed (limited) and no direct one came */
export class NoDirectConnectionError extends ParleyError {
  static override name = 'NoDirectConnectionError'
  override name = 'NoDirectConnectionError'
  override readonly kind = 'transient'
  override readonly code = 'NO_DIRECT_CONNECTION'

  constructor (message = 'There is no direct connection to the peer') {
    super(message)
  }
}
