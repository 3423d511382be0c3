/** Thrown when a backup file is not a Parley backup, is damaged, or the passphrase is wrong */
export class InvalidBackupError extends Error {
  static override name = 'InvalidBackupError'
  override name = 'InvalidBackupError'

  constructor (message = 'Not a readable Parley backup') {
    super(message)
  }
}

/** Thrown when a passphrase is too short */
export class WeakPassphraseError extends Error {
  static override name = 'WeakPassphraseError'
  override name = 'WeakPassphraseError'

  constructor (message = 'The passphrase is too short') {
    super(message)
  }
}

/** Thrown when a backup would be restored over an existing identity */
export class DataDirNotEmptyError extends Error {
  static override name = 'DataDirNotEmptyError'
  override name = 'DataDirNotEmptyError'

  constructor (message = 'The data directory already holds an identity') {
    super(message)
  }
}
