import { ParleyError } from '../../errors/index.ts'

/** Thrown when a prekey record from the DHT is malformed, unsigned, or not its key's owner's */
export class InvalidPrekeyRecordError extends ParleyError {
  static override name = 'InvalidPrekeyRecordError'
  override name = 'InvalidPrekeyRecordError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_PREKEY_RECORD'

  constructor (message = 'Invalid prekey record') {
    super(message)
  }
}

/** Thrown when no bundle for a peer could be had, from the peer or the DHT */
export class NoPrekeyBundleError extends ParleyError {
  static override name = 'NoPrekeyBundleError'
  override name = 'NoPrekeyBundleError'
  override readonly kind = 'transient'
  override readonly code = 'NO_PREKEY_BUNDLE'

  constructor (message = 'No prekey bundle found for this peer') {
    super(message)
  }
}
