import { ParleyError } from '../errors/index.ts'
import type { ErrorKind } from '../errors/index.ts'

/** Thrown by the control client when no daemon listens on the data directory's socket */
export class DaemonNotRunningError extends ParleyError {
  static override name = 'DaemonNotRunningError'
  override name = 'DaemonNotRunningError'
  override readonly kind = 'transient'
  override readonly code = 'DAEMON_NOT_RUNNING'

  constructor (message = 'No Parley daemon is running for this data directory') {
    super(message)
  }
}

/** Thrown when the data directory path is too long to hold a Unix socket */
export class SocketPathTooLongError extends ParleyError {
  static override name = 'SocketPathTooLongError'
  override name = 'SocketPathTooLongError'
  override readonly kind = 'bad-input'
  override readonly code = 'SOCKET_PATH_TOO_LONG'

  constructor (message = 'The data directory path is too long for the control socket') {
    super(message)
  }
}

/** Thrown by the control server when a request is malformed: not JSON, a field of the wrong type */
export class BadRequestError extends ParleyError {
  static override name = 'BadRequestError'
  override name = 'BadRequestError'
  override readonly kind = 'bad-input'
  override readonly code = 'BAD_REQUEST'

  constructor (message = 'The request is malformed') {
    super(message)
  }
}

/** Thrown by the control server for an unknown route, or a route this node does not serve */
export class NotFoundError extends ParleyError {
  static override name = 'NotFoundError'
  override name = 'NotFoundError'
  override readonly kind = 'not-found'
  override readonly code = 'NOT_FOUND'

  constructor (message = 'No such route') {
    super(message)
  }
}

/** What the daemon's error answer says besides its name and message */
export interface ControlErrorAnswer {
  code?: string
  kind?: ErrorKind
}

/**
 * An error the daemon answered with: `name`, `code` and `kind` are the daemon-side error's (for
 * example `InvalidPeerError`, `INVALID_PEER`, `bad-input`), so callers can tell failures apart
 * and the CLI's exit code follows the daemon's classification; `status` is the HTTP status. An
 * answer without a code or kind (from a daemon older than them, still running after an upgrade)
 * gets `UNKNOWN` and the kind its status implies.
 */
export class ControlRequestError extends ParleyError {
  static override name = 'ControlRequestError'
  readonly status: number
  override readonly kind: ErrorKind
  override readonly code: string

  constructor (name: string, message: string, status: number, answer: ControlErrorAnswer = {}) {
    super(message)
    this.name = name
    this.status = status
    this.code = answer.code ?? 'UNKNOWN'
    this.kind = answer.kind ?? (status === 400 ? 'bad-input' : status === 404 ? 'not-found' : 'transient')
  }
}
