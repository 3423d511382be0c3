/** Thrown by the control client when no daemon listens on the data directory's socket */
export class DaemonNotRunningError extends Error {
  static override name = 'DaemonNotRunningError'
  override name = 'DaemonNotRunningError'

  constructor (message = 'No Parley daemon is running for this data directory') {
    super(message)
  }
}

/** Thrown when the data directory path is too long to hold a Unix socket */
export class SocketPathTooLongError extends Error {
  static override name = 'SocketPathTooLongError'
  override name = 'SocketPathTooLongError'

  constructor (message = 'The data directory path is too long for the control socket') {
    super(message)
  }
}

/**
 * An error the daemon answered with; `name` is the daemon-side error's name (for example
 * `InvalidPeerError`), so callers can tell failures apart.
 */
export class ControlRequestError extends Error {
  static override name = 'ControlRequestError'
  readonly status: number

  constructor (name: string, message: string, status: number) {
    super(message)
    this.name = name
    this.status = status
  }
}
