import { ParleyError } from '../../errors/index.ts'

/** Thrown when a group message does not decode, is not signed by its chain's key, or does not decrypt */
export class InvalidSenderKeyMessageError extends ParleyError {
  static override name = 'InvalidSenderKeyMessageError'
  override name = 'InvalidSenderKeyMessageError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_SENDER_KEY_MESSAGE'

  constructor (message = 'Invalid group message') {
    super(message)
  }
}

/**
 * Thrown when a group message comes from a chain this node holds no key for (never received,
 * or lost): the member is asked for it again
 */
export class MissingSenderKeyError extends ParleyError {
  static override name = 'MissingSenderKeyError'
  override name = 'MissingSenderKeyError'
  override readonly kind = 'transient'
  override readonly code = 'MISSING_SENDER_KEY'

  constructor (message = 'No sender key for this group message') {
    super(message)
  }
}

/** Thrown when a group message's key is used up already (a repeat) or too far back to keep */
export class OldSenderKeyMessageError extends ParleyError {
  static override name = 'OldSenderKeyMessageError'
  override name = 'OldSenderKeyMessageError'
  override readonly kind = 'permanent'
  override readonly code = 'OLD_SENDER_KEY_MESSAGE'

  constructor (message = 'The group message was read already, or its key is gone') {
    super(message)
  }
}

/** Thrown when a sender key comes for a chain this node holds under another key */
export class SenderKeyConflictError extends ParleyError {
  static override name = 'SenderKeyConflictError'
  override name = 'SenderKeyConflictError'
  override readonly kind = 'permanent'
  override readonly code = 'SENDER_KEY_CONFLICT'

  constructor (message = 'A sender key for this chain is held already, with another key') {
    super(message)
  }
}
