import { ParleyError } from '../../errors/index.ts'

/** A frame's length prefix names more bytes than the protocol's frames ever have */
export class FrameTooLongError extends ParleyError {
  static override name = 'FrameTooLongError'
  override name = 'FrameTooLongError'
  override readonly kind = 'permanent'
  override readonly code = 'FRAME_TOO_LONG'

  constructor (message = 'The frame is longer than the protocol allows') {
    super(message)
  }
}

/**
 * The bytes of frames begun but not yet finished, from one peer or from all, are over their
 * budget: the stream that would go over it is aborted
 */
export class UnfinishedFramesLimitError extends ParleyError {
  static override name = 'UnfinishedFramesLimitError'
  override name = 'UnfinishedFramesLimitError'
  override readonly kind = 'transient'
  override readonly code = 'UNFINISHED_FRAMES_LIMIT'

  constructor (message = 'Too many bytes of unfinished frames') {
    super(message)
  }
}
