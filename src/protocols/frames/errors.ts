/** A frame's length prefix names more bytes than the protocol's frames ever have */
export class FrameTooLongError extends Error {
  static override name = 'FrameTooLongError'
  override name = 'FrameTooLongError'

  constructor (message = 'The frame is longer than the protocol allows') {
    super(message)
  }
}

/**
 * The bytes of frames begun but not yet finished, from one peer or from all, are over their
 * budget: the stream that would go over it is aborted
 */
export class UnfinishedFramesLimitError extends Error {
  static override name = 'UnfinishedFramesLimitError'
  override name = 'UnfinishedFramesLimitError'

  constructor (message = 'Too many bytes of unfinished frames') {
    super(message)
  }
}
