import { STAMP_BITS } from './stamp.ts'
import { ParleyError } from '../../errors/index.ts'

/** Thrown by a storer when an envelope would exceed a quota (the message names it and its limit) */
export class QuotaExceededError extends ParleyError {
  static override name = 'QuotaExceededError'
  override name = 'QuotaExceededError'
  override readonly kind = 'refused'
  override readonly code = 'QUOTA_EXCEEDED'

  constructor (message = 'The mailbox quota is exceeded') {
    super(message)
  }
}

/** Thrown by a storer when an envelope it delivered and deleted comes again before its expiry */
export class ReplayedEnvelopeError extends ParleyError {
  static override name = 'ReplayedEnvelopeError'
  override name = 'ReplayedEnvelopeError'
  override readonly kind = 'refused'
  override readonly code = 'REPLAYED_ENVELOPE'

  constructor (message = 'This envelope was delivered already') {
    super(message)
  }
}

/**
 * Thrown when a proof-of-work stamp is missing or below the required difficulty: by a storer's
 * store, which holds an envelope only with a valid stamp once its mailbox is partly full or its
 * depositor left many unstamped ones there, and by a deposit told so by a storer
 */
export class InvalidStampError extends ParleyError {
  static override name = 'InvalidStampError'
  override name = 'InvalidStampError'
  override readonly kind = 'refused'
  override readonly code = 'INVALID_STAMP'
  /** The difficulty a stamp needs to be accepted */
  readonly bits: number

  constructor (message = 'The proof-of-work stamp is invalid', bits = STAMP_BITS) {
    super(message)
    this.bits = bits
  }
}

/** Thrown when a store receipt does not verify, or its storer has no Ed25519 key to check it by */
export class InvalidReceiptError extends ParleyError {
  static override name = 'InvalidReceiptError'
  override name = 'InvalidReceiptError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_RECEIPT'

  constructor (message = 'The store receipt does not verify') {
    super(message)
  }
}

/**
 * Thrown when a fetch's ownership proof does not verify, or the recipient has no Ed25519 key to
 * check it with (a storer answers it as a refusal)
 */
export class InvalidFetchProofError extends ParleyError {
  static override name = 'InvalidFetchProofError'
  override name = 'InvalidFetchProofError'
  override readonly kind = 'refused'
  override readonly code = 'INVALID_FETCH_PROOF'

  constructor (message = 'The fetch proof does not verify: only the mailbox owner may fetch') {
    super(message)
  }
}

/** Thrown when a mailbox request or answer is malformed */
export class InvalidMailboxRequestError extends ParleyError {
  static override name = 'InvalidMailboxRequestError'
  override name = 'InvalidMailboxRequestError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_MAILBOX_REQUEST'

  constructor (message = 'The mailbox request is malformed') {
    super(message)
  }
}

/** Thrown by a client when a storer refused a request (its reason is the message) */
export class MailboxRefusedError extends ParleyError {
  static override name = 'MailboxRefusedError'
  override name = 'MailboxRefusedError'
  override readonly kind = 'refused'
  override readonly code = 'MAILBOX_REFUSED'

  constructor (message = 'The storer refused the request') {
    super(message)
  }
}

/** Thrown when a storer-only operation is asked of a node that does not host mailboxes */
export class NotHostingError extends ParleyError {
  static override name = 'NotHostingError'
  override name = 'NotHostingError'
  override readonly kind = 'bad-input'
  override readonly code = 'NOT_HOSTING'

  constructor (message = 'This node does not host mailboxes') {
    super(message)
  }
}

/** Thrown by a mailbox request made while the node stops: its couriers are gone */
export class CouriersStoppedError extends ParleyError {
  static override name = 'CouriersStoppedError'
  override name = 'CouriersStoppedError'
  override readonly kind = 'transient'
  override readonly code = 'COURIERS_STOPPED'

  constructor (message = 'The mailbox couriers have stopped') {
    super(message)
  }
}

/** Thrown by a storer asked for a watch past its limits (in all, per key, per source) */
export class TooManyWatchesError extends ParleyError {
  static override name = 'TooManyWatchesError'
  override name = 'TooManyWatchesError'
  override readonly kind = 'refused'
  override readonly code = 'TOO_MANY_WATCHES'

  constructor (message = 'This storer keeps no more watches') {
    super(message)
  }
}
