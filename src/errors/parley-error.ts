/**
 * What a failure means to whoever meets it. One answer serves every reader: the control API's
 * status (`httpStatusFor`), the CLI's exit code (`exitCodeFor` in src/cli/output.ts), and the
 * retry decisions of the outbox and of downloads (`errorKind`).
 */
export type ErrorKind =
  /**
   * The local caller's request or arguments are wrong (the user's, an API client's, an
   * embedder's options): never retried, the input must change. What a peer sends wrong is
   * `permanent`, not this.
   */
  | 'bad-input'
  /** The thing named does not exist: a transfer id, a route, an identity not created yet */
  | 'not-found'
  /**
   * A peer or a policy said no: a recipient rejected a message, a storer refused a deposit, a
   * quota is full. Not retried: asking again gets the same answer.
   */
  | 'refused'
  /** May work later: the network, a timeout, a lock another process holds, a busy peer. Retried */
  | 'transient'
  /**
   * Will never work: corrupt or invalid data, a message that does not decrypt, a peer that
   * breaks the protocol. Not retried.
   */
  | 'permanent'

/** Every kind, to check one that came from outside (the daemon's answer to the control client) */
export const ERROR_KINDS: readonly ErrorKind[] = ['bad-input', 'not-found', 'refused', 'transient', 'permanent']

export function isErrorKind (value: unknown): value is ErrorKind {
  return ERROR_KINDS.includes(value as ErrorKind)
}

/**
 * The base of every error Parley throws. A subclass keeps `name` (callers and tests match on it)
 * and declares its `kind` and `code`; both are abstract so that the compiler refuses an error
 * class without them (TypeScript has no abstract statics).
 *
 * ```ts
 * export class InvalidPeerError extends ParleyError {
 *   static override name = 'InvalidPeerError'
 *   override name = 'InvalidPeerError'
 *   override readonly kind = 'bad-input'
 *   override readonly code = 'INVALID_PEER'
 * }
 * ```
 */
export abstract class ParleyError extends Error {
  /** What the failure means for the caller (see `ErrorKind`) */
  abstract readonly kind: ErrorKind
  /**
   * A stable machine-readable code, shown by the control API and `parley --json`: the class's
   * name in UPPER_SNAKE without `Error` (`INVALID_PEER`), unique among Parley's errors
   */
  abstract readonly code: string
}

export function isParleyError (err: unknown): err is ParleyError {
  return err instanceof ParleyError
}

/** Aborts and timeouts, and libp2p's errors (@libp2p/interface, libp2p, @libp2p/utils) that say a way to a peer failed */
const TRANSIENT_NAMES = new Set([
  'AbortError', 'TimeoutError', 'DialError', 'NoValidAddressesError', 'TransportUnavailableError',
  'EncryptionFailedError', 'ConnectionFailedError', 'ConnectionClosingError', 'ConnectionClosedError',
  'LimitedConnectionError', 'MuxerClosedError', 'StreamResetError', 'StreamAbortedError',
  'StreamStateError', 'StreamClosedError', 'UnexpectedEOFError', 'TooManyInboundProtocolStreamsError',
  'TooManyOutboundProtocolStreamsError', 'QueueFullError', 'RateLimitError'
])

/** Node's system errors of a network, or of a resource busy for now */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN',
  'ENETUNREACH', 'ENETDOWN', 'ENETRESET', 'EADDRNOTAVAIL', 'EAI_AGAIN', 'EAGAIN', 'EBUSY'
])

/**
 * The kind of a failure Parley can classify: a `ParleyError`'s own; `transient` for an abort or
 * a timeout, a libp2p dial, connection or stream failure, a network system error (ECONNREFUSED,
 * ECONNRESET, EPIPE, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH...) and an `AggregateError` of only
 * those (libp2p's "all multiaddr dials failed"); undefined for anything else, such as a
 * `TypeError` from a bug. Answers to a caller read this, so that an unclassified failure is
 * told apart (500, not 503); retry decisions read `errorKind`.
 */
export function knownErrorKind (err: unknown): ErrorKind | undefined {
  if (err instanceof ParleyError) return err.kind
  if (err == null || typeof err !== 'object') return undefined
  const { name, code, errors } = err as { name?: unknown, code?: unknown, errors?: unknown }
  if (TRANSIENT_NAMES.has(String(name)) || TRANSIENT_CODES.has(String(code))) return 'transient'
  if (name === 'AggregateError' && Array.isArray(errors) && errors.length > 0 && errors.every(e => knownErrorKind(e) === 'transient')) return 'transient'
  return undefined
}

/**
 * The kind to act on, for any thrown value: `knownErrorKind`, and `transient` for a failure
 * nothing classifies. A retry loop that meets an error it does not understand (a bug, a failure
 * of a dependency) keeps its work and tries again rather than drop it: an outgoing message is
 * never lost to such an error, at worst retried in vain. What is answered to a caller keeps
 * that case apart instead (`httpStatusFor`: 500).
 */
export function errorKind (err: unknown): ErrorKind {
  return knownErrorKind(err) ?? 'transient'
}

const HTTP_STATUS: Record<ErrorKind, number> = {
  'bad-input': 400,
  'not-found': 404,
  refused: 403,
  transient: 503,
  permanent: 500
}

/**
 * The control API's status for a failure: 400 bad-input, 404 not-found, 403 refused, 503
 * transient, 500 permanent, and 500 for a failure no kind is known for (`knownErrorKind`)
 */
export function httpStatusFor (err: unknown): number {
  const kind = knownErrorKind(err)
  return kind == null ? 500 : HTTP_STATUS[kind]
}

/** A failure as the control API answers it and `parley --json` prints it */
export interface ErrorInfo {
  /** The error's class name, as before codes existed (`InvalidPeerError`) */
  name: string
  /**
   * A `ParleyError`'s code; for any other error `UNAVAILABLE` when it is a known transient one
   * (a network failure, an abort, a timeout) and `INTERNAL` when nothing classifies it
   */
  code: string
  /** `errorKind`: `transient` for a failure nothing classifies (then `code` is `INTERNAL`) */
  kind: ErrorKind
  message: string
}

export function errorInfo (err: unknown): ErrorInfo {
  const { name, message } = (err ?? {}) as { name?: unknown, message?: unknown }
  const known = knownErrorKind(err)
  return {
    name: String(name ?? 'Error'),
    code: err instanceof ParleyError ? err.code : known != null ? 'UNAVAILABLE' : 'INTERNAL',
    kind: known ?? 'transient',
    message: String(message ?? err)
  }
}
