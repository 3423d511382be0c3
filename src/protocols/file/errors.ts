/** Thrown on the receiving side when the sender refuses a request (unknown file, unavailable, busy) */
export class FileRefusedError extends Error {
  static override name = 'FileRefusedError'
  override name = 'FileRefusedError'

  /** `unknown`, `unavailable` or `busy` */
  readonly status: 'unknown' | 'unavailable' | 'busy'

  constructor (status: 'unknown' | 'unavailable' | 'busy', message = 'The sender refused the request') {
    super(message)
    this.status = status
  }
}

/** Thrown on either side when a frame breaks the protocol (bad ranges, chunks out of order, ...) */
export class InvalidFileFrameError extends Error {
  static override name = 'InvalidFileFrameError'
  override name = 'InvalidFileFrameError'

  constructor (message = 'The file protocol frame is invalid') {
    super(message)
  }
}

/**
 * Thrown by a `FileResolver` when the asking peer was never offered this file (or no longer is:
 * cancelled, or received already)
 */
export class UnknownFileError extends Error {
  static override name = 'UnknownFileError'
  override name = 'UnknownFileError'

  constructor (message = 'No such file is offered to you') {
    super(message)
  }
}

/** Thrown by a `FileResolver` when the file was offered but cannot be served (gone, or changed) */
export class FileUnavailableError extends Error {
  static override name = 'FileUnavailableError'
  override name = 'FileUnavailableError'

  constructor (message = 'The file cannot be served') {
    super(message)
  }
}

/** Thrown when the only connections to the peer are relayed (limited) and no direct one came */
export class NoDirectConnectionError extends Error {
  static override name = 'NoDirectConnectionError'
  override name = 'NoDirectConnectionError'

  constructor (message = 'There is no direct connection to the peer') {
    super(message)
  }
}
