/** Thrown when a chunk index is not an integer from 0 to the chunk count minus one */
export class InvalidChunkIndexError extends Error {
  static override name = 'InvalidChunkIndexError'
  override name = 'InvalidChunkIndexError'

  constructor (message = 'The chunk index is out of range') {
    super(message)
  }
}

/** Thrown when a chunk count is not an integer from 0 to MAX_CHUNKS (or 1 where a chunk is named) */
export class InvalidChunkCountError extends Error {
  static override name = 'InvalidChunkCountError'
  override name = 'InvalidChunkCountError'

  constructor (message = 'The chunk count is out of range') {
    super(message)
  }
}

/** Thrown when a chunk size is not an integer from MIN_CHUNK_BYTES to MAX_CHUNK_BYTES */
export class InvalidChunkSizeError extends Error {
  static override name = 'InvalidChunkSizeError'
  override name = 'InvalidChunkSizeError'

  constructor (message = 'The chunk size is out of range') {
    super(message)
  }
}

/** Thrown when a hash (a root, a chunk hash, a proof entry) is not a Uint8Array of HASH_BYTES */
export class InvalidHashError extends Error {
  static override name = 'InvalidHashError'
  override name = 'InvalidHashError'

  constructor (message = 'The hash is not 32 bytes') {
    super(message)
  }
}

/**
 * Thrown when an inclusion proof is not an array of hashes, or does not hold exactly as many as
 * the chunk's index and the chunk count call for
 */
export class InvalidProofError extends Error {
  static override name = 'InvalidProofError'
  override name = 'InvalidProofError'

  constructor (message = 'The inclusion proof is malformed') {
    super(message)
  }
}

/** Thrown when a file has more bytes or chunks than a tree can describe (MAX_FILE_BYTES, MAX_CHUNKS) */
export class FileTooLargeError extends Error {
  static override name = 'FileTooLargeError'
  override name = 'FileTooLargeError'

  constructor (message = 'The file is too large') {
    super(message)
  }
}

/** Thrown when a chunk does not decrypt under the file's key, or does not match the file's tree */
export class CorruptChunkError extends Error {
  static override name = 'CorruptChunkError'
  override name = 'CorruptChunkError'

  constructor (message = 'The chunk is corrupt') {
    super(message)
  }
}

/** Thrown when a file offer (from a peer, or about to be sent) breaks a rule: sizes, lengths, name */
export class InvalidFileOfferError extends Error {
  static override name = 'InvalidFileOfferError'
  override name = 'InvalidFileOfferError'

  constructor (message = 'The file offer is invalid') {
    super(message)
  }
}

/** Thrown when a path given to send is not a regular file (a directory, a device, missing) */
export class NotAFileError extends Error {
  static override name = 'NotAFileError'
  override name = 'NotAFileError'

  constructor (message = 'Not a regular file') {
    super(message)
  }
}

/** Thrown when no transfer has the id given */
export class UnknownTransferError extends Error {
  static override name = 'UnknownTransferError'
  override name = 'UnknownTransferError'

  constructor (message = 'No transfer has this id') {
    super(message)
  }
}

/** Thrown when the download folder's disk lacks the room a download still needs */
export class DiskFullError extends Error {
  static override name = 'DiskFullError'
  override name = 'DiskFullError'

  constructor (message = 'The disk is full') {
    super(message)
  }
}

/** Thrown when a downloaded file, read back whole, does not hash to the root it was offered with */
export class FileMismatchError extends Error {
  static override name = 'FileMismatchError'
  override name = 'FileMismatchError'

  constructor (message = 'The downloaded file does not match the offered one') {
    super(message)
  }
}

/** Thrown when a transfer's file is asked for but is not here: not received (yet), or deleted */
export class FileNotHereError extends Error {
  static override name = 'FileNotHereError'
  override name = 'FileNotHereError'

  constructor (message = 'The file is not here') {
    super(message)
  }
}
