import { ParleyError } from '../errors/index.ts'

/** Thrown when a chunk index is not an integer from 0 to the chunk count minus one */
export class InvalidChunkIndexError extends ParleyError {
  static override name = 'InvalidChunkIndexError'
  override name = 'InvalidChunkIndexError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_CHUNK_INDEX'

  constructor (message = 'The chunk index is out of range') {
    super(message)
  }
}

/** Thrown when a chunk count is not an integer from 0 to MAX_CHUNKS (or 1 where a chunk is named) */
export class InvalidChunkCountError extends ParleyError {
  static override name = 'InvalidChunkCountError'
  override name = 'InvalidChunkCountError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_CHUNK_COUNT'

  constructor (message = 'The chunk count is out of range') {
    super(message)
  }
}

/** Thrown when a chunk size is not an integer from MIN_CHUNK_BYTES to MAX_CHUNK_BYTES */
export class InvalidChunkSizeError extends ParleyError {
  static override name = 'InvalidChunkSizeError'
  override name = 'InvalidChunkSizeError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_CHUNK_SIZE'

  constructor (message = 'The chunk size is out of range') {
    super(message)
  }
}

/** Thrown when a hash (a root, a chunk hash, a proof entry) is not a Uint8Array of HASH_BYTES */
export class InvalidHashError extends ParleyError {
  static override name = 'InvalidHashError'
  override name = 'InvalidHashError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_HASH'

  constructor (message = 'The hash is not 32 bytes') {
    super(message)
  }
}

/**
 * Thrown when an inclusion proof is not an array of hashes, or does not hold exactly as many as
 * the chunk's index and the chunk count call for
 */
export class InvalidProofError extends ParleyError {
  static override name = 'InvalidProofError'
  override name = 'InvalidProofError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_PROOF'

  constructor (message = 'The inclusion proof is malformed') {
    super(message)
  }
}

/** Thrown when a file has more bytes or chunks than a tree can describe (MAX_FILE_BYTES, MAX_CHUNKS) */
export class FileTooLargeError extends ParleyError {
  static override name = 'FileTooLargeError'
  override name = 'FileTooLargeError'
  override readonly kind = 'bad-input'
  override readonly code = 'FILE_TOO_LARGE'

  constructor (message = 'The file is too large') {
    super(message)
  }
}

/** Thrown when a chunk does not decrypt under the file's key, or does not match the file's tree */
export class CorruptChunkError extends ParleyError {
  static override name = 'CorruptChunkError'
  override name = 'CorruptChunkError'
  override readonly kind = 'permanent'
  override readonly code = 'CORRUPT_CHUNK'

  constructor (message = 'The chunk is corrupt') {
    super(message)
  }
}

/** Thrown when a file offer (from a peer, or about to be sent) breaks a rule: sizes, lengths, name */
export class InvalidFileOfferError extends ParleyError {
  static override name = 'InvalidFileOfferError'
  override name = 'InvalidFileOfferError'
  override readonly kind = 'bad-input'
  override readonly code = 'INVALID_FILE_OFFER'

  constructor (message = 'The file offer is invalid') {
    super(message)
  }
}

/** Thrown when a path given to send is not a regular file (a directory, a device, missing) */
export class NotAFileError extends ParleyError {
  static override name = 'NotAFileError'
  override name = 'NotAFileError'
  override readonly kind = 'bad-input'
  override readonly code = 'NOT_AFILE'

  constructor (message = 'Not a regular file') {
    super(message)
  }
}

/** Thrown when no transfer has the id given */
export class UnknownTransferError extends ParleyError {
  static override name = 'UnknownTransferError'
  override name = 'UnknownTransferError'
  override readonly kind = 'not-found'
  override readonly code = 'UNKNOWN_TRANSFER'

  constructor (message = 'No transfer has this id') {
    super(message)
  }
}

/** Thrown when the download folder's disk lacks the room a download still needs */
export class DiskFullError extends ParleyError {
  static override name = 'DiskFullError'
  override name = 'DiskFullError'
  // room may be made: the download pauses and is tried again
  override readonly kind = 'transient'
  override readonly code = 'DISK_FULL'

  constructor (message = 'The disk is full') {
    super(message)
  }
}

/** Thrown when a downloaded file, read back whole, does not hash to the root it was offered with */
export class FileMismatchError extends ParleyError {
  static override name = 'FileMismatchError'
  override name = 'FileMismatchError'
  override readonly kind = 'permanent'
  override readonly code = 'FILE_MISMATCH'

  constructor (message = 'The downloaded file does not match the offered one') {
    super(message)
  }
}

/** Thrown when a transfer's file is asked for but is not here: not received (yet), or deleted */
export class FileNotHereError extends ParleyError {
  static override name = 'FileNotHereError'
  override name = 'FileNotHereError'
  override readonly kind = 'not-found'
  override readonly code = 'FILE_NOT_HERE'

  constructor (message = 'The file is not here') {
    super(message)
  }
}
