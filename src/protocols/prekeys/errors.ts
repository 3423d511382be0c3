/** Thrown when a prekey record from the DHT is malformed, unsigned, or not its key's owner's */
export class InvalidPrekeyRecordError extends Error {
  static override name = 'InvalidPrekeyRecordError'
  override name = 'InvalidPrekeyRecordError'

  constructor (message = 'Invalid prekey record') {
    super(message)
  }
}

/** Thrown when no bundle for a peer could be had, from the peer or the DHT */
export class NoPrekeyBundleError extends Error {
  static override name = 'NoPrekeyBundleError'
  override name = 'NoPrekeyBundleError'

  constructor (message = 'No prekey bundle found for this peer') {
    super(message)
  }
}
