import { ParleyError } from '../errors/index.ts'

/** Thrown when an outgoing message id is stored twice */
export class DuplicateMessageError extends ParleyError {
  static override name = 'DuplicateMessageError'
  override name = 'DuplicateMessageError'
  override readonly kind = 'permanent'
  // the ratchet's DuplicateMessageError, a message received twice, has DUPLICATE_MESSAGE
  override readonly code = 'DUPLICATE_MESSAGE_ID'

  constructor (message = 'A message with this id already exists') {
    super(message)
  }
}

/** Thrown when a petname is already used by another contact */
export class ContactNameTakenError extends ParleyError {
  static override name = 'ContactNameTakenError'
  override name = 'ContactNameTakenError'
  override readonly kind = 'bad-input'
  override readonly code = 'CONTACT_NAME_TAKEN'

  constructor (message = 'Another contact already has this name') {
    super(message)
  }
}

/** Thrown when the data directory's database is held by another running daemon */
export class DataDirLockedError extends ParleyError {
  static override name = 'DataDirLockedError'
  override name = 'DataDirLockedError'
  override readonly kind = 'transient'
  override readonly code = 'DATA_DIR_LOCKED'

  constructor (message = 'The data directory is in use by another Parley daemon') {
    super(message)
  }
}

/** Thrown when the database cannot be opened because its files are damaged */
export class StorageCorruptError extends ParleyError {
  static override name = 'StorageCorruptError'
  override name = 'StorageCorruptError'
  override readonly kind = 'permanent'
  override readonly code = 'STORAGE_CORRUPT'

  constructor (message = 'The message database is damaged') {
    super(message)
  }
}

/** Thrown when a passphrase does not unlock the data directory */
export class WrongPassphraseError extends ParleyError {
  static override name = 'WrongPassphraseError'
  override name = 'WrongPassphraseError'
  override readonly kind = 'bad-input'
  override readonly code = 'WRONG_PASSPHRASE'

  constructor (message = 'Wrong passphrase') {
    super(message)
  }
}

/** Thrown when a data directory is encrypted and no passphrase was given */
export class PassphraseRequiredError extends ParleyError {
  static override name = 'PassphraseRequiredError'
  override name = 'PassphraseRequiredError'
  override readonly kind = 'bad-input'
  override readonly code = 'PASSPHRASE_REQUIRED'

  constructor (message = 'This data directory is encrypted: a passphrase is needed') {
    super(message)
  }
}

/**
 * Thrown when removing a passphrase meets database keys whose PeerId or name nothing in the
 * directory records (an earlier release wrote them without keeping a record), so they cannot be
 * written in the clear. Nothing was changed: the directory stays encrypted.
 */
export class UnrecoverableKeyError extends ParleyError {
  static override name = 'UnrecoverableKeyError'
  override name = 'UnrecoverableKeyError'
  override readonly kind = 'permanent'
  override readonly code = 'UNRECOVERABLE_KEY'

  constructor (message = 'Some database keys name peers this data directory keeps no record of') {
    super(message)
  }
}
