/** The file starts with this, then the format version */
export const MAGIC = 'PARLEY-BACKUP'
export const FORMAT_VERSION = 1

/**
 * scrypt cost: 2^17 x 8 x 128 B = 128 MiB of memory per guess, about a second here; a backup
 * may be copied anywhere, so guessing its passphrase must be slow
 */
export const SCRYPT_N = 2 ** 17
export const SCRYPT_R = 8
export const SCRYPT_P = 1
export const SALT_BYTES = 16

/** Passphrases shorter than this are refused: the backup holds the identity key */
export const MIN_PASSPHRASE_LENGTH = 8

/** Refuse to parse backups beyond this size (history of a few million messages) */
export const MAX_BACKUP_BYTES = 2 * 1024 * 1024 * 1024 - 1
