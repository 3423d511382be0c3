/** Thrown when an outgoing message id is stored twice */
export class DuplicateMessageError extends Error {
  static override name = 'DuplicateMessageError'
  override name = 'DuplicateMessageError'

  constructor (message = 'A message with this id already exists') {
    super(message)
  }
}

/** Thrown when a petname is already used by another contact */
export class ContactNameTakenError extends Error {
  static override name = 'ContactNameTakenError'
  override name = 'ContactNameTakenError'

  constructor (message = 'Another contact already has this name') {
    super(message)
  }
}

/** Thrown when the data directory's database is held by another running daemon */
export class DataDirLockedError extends Error {
  static override name = 'DataDirLockedError'
  override name = 'DataDirLockedError'

  constructor (message = 'The data directory is in use by another Parley daemon') {
    super(message)
  }
}

/** Thrown when the database cannot be opened because its files are damaged */
export class StorageCorruptError extends Error {
  static override name = 'StorageCorruptError'
  override name = 'StorageCorruptError'

  constructor (message = 'The message database is damaged') {
    super(message)
  }
}

/** Thrown when a passphrase does not unlock the data directory */
export class WrongPassphraseError extends Error {
  static override name = 'WrongPassphraseError'
  override name = 'WrongPassphraseError'

  constructor (message = 'Wrong passphrase') {
    super(message)
  }
}

/** Thrown when a data directory is encrypted and no passphrase was given */
export class PassphraseRequiredError extends Error {
  static override name = 'PassphraseRequiredError'
  override name = 'PassphraseRequiredError'

  constructor (message = 'This data directory is encrypted: a passphrase is needed') {
    super(message)
  }
}

/**
 * Thrown when removing a passphrase meets database keys whose PeerId or name nothing in the
 * directory records (an earlier release wrote them without keeping a record), so they cannot be
 * written in the clear. Nothing was changed: the directory stays encrypted.
 */
export class UnrecoverableKeyError extends Error {
  static override name = 'UnrecoverableKeyError'
  override name = 'UnrecoverableKeyError'

  constructor (message = 'Some database keys name peers this data directory keeps no record of') {
    super(message)
  }
}
