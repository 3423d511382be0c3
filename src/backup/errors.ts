import { ParleyError } from '../errors/index.ts'

/** Thrown when a backup file is not a Parley backup, is damaged, or the passphrase is wrong */
export class InvalidBackupError extends ParleyError {
  static override name = 'InvalidBackupError'
  override name = 'InvalidBackupError'
  override readonly kind = 'bad-input'
  override readonly code = 'INVALID_BACKUP'

  constructor (message = 'Not a readable Parley backup') {
    super(message)
  }
}

/** Thrown when a passphrase is too short */
export class WeakPassphraseError extends ParleyError {
  static override name = 'WeakPassphraseError'
  override name = 'WeakPassphraseError'
  override readonly kind = 'bad-input'
  override readonly code = 'WEAK_PASSPHRASE'

  constructor (message = 'The passphrase is too short') {
    super(message)
  }
}

/** Thrown when a backup would be restored over an existing identity */
export class DataDirNotEmptyError extends ParleyError {
  static override name = 'DataDirNotEmptyError'
  override name = 'DataDirNotEmptyError'
  override readonly kind = 'bad-input'
  override readonly code = 'DATA_DIR_NOT_EMPTY'

  constructor (message = 'The data directory already holds an identity') {
    super(message)
  }
}
