import { MAX_UNFINISHED_FRAME_BYTES, MAX_UNFINISHED_FRAME_BYTES_PER_PEER } from './constants.ts'
import { UnfinishedFramesLimitError } from './errors.ts'

export interface UnfinishedFramesInit {
  /** @default MAX_UNFINISHED_FRAME_BYTES_PER_PEER */
  maxBytesPerPeer?: number
  /** @default MAX_UNFINISHED_FRAME_BYTES */
  maxBytes?: number
}

/**
 * What a node holds of frames that have begun to arrive and not yet ended, per peer and in
 * total. A reader keeps a frame's bytes until its last one comes, so a peer that sends every
 * frame but its last byte, on as many streams as it may open, pinned the frame cap times the
 * streams (a relay grew by about 250 MiB from 16 identities). Each byte of a frame is charged
 * as it arrives and given back when its frame ends or its stream closes; a charge over either
 * budget throws `UnfinishedFramesLimitError`, and the stream it came on is aborted.
 */
export class UnfinishedFrames {
  readonly maxBytesPerPeer: number
  readonly maxBytes: number
  private readonly perPeer = new Map<string, number>()
  private total = 0

  constructor (init: UnfinishedFramesInit = {}) {
    this.maxBytesPerPeer = init.maxBytesPerPeer ?? MAX_UNFINISHED_FRAME_BYTES_PER_PEER
    this.maxBytes = init.maxBytes ?? MAX_UNFINISHED_FRAME_BYTES
  }

  /** Charges `bytes` to `peer`; throws, charging nothing, when that would go over a budget */
  charge (peer: string, bytes: number): void {
    const held = this.perPeer.get(peer) ?? 0
    if (held + bytes > this.maxBytesPerPeer) {
      throw new UnfinishedFramesLimitError(`unfinished frames from one peer over ${this.maxBytesPerPeer} bytes`)
    }
    if (this.total + bytes > this.maxBytes) {
      throw new UnfinishedFramesLimitError(`unfinished frames over ${this.maxBytes} bytes in all`)
    }
    this.perPeer.set(peer, held + bytes)
    this.total += bytes
  }

  /** Gives back what `charge` took */
  release (peer: string, bytes: number): void {
    if (bytes === 0) return
    const left = (this.perPeer.get(peer) ?? 0) - bytes
    if (left > 0) this.perPeer.set(peer, left)
    else this.perPeer.delete(peer)
    this.total -= bytes
  }

  /** Bytes held for `peer`, or for all peers */
  held (peer?: string): number {
    return peer == null ? this.total : this.perPeer.get(peer) ?? 0
  }
}
