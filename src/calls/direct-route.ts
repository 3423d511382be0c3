import { openSignal, sealSignal } from './signal-keys.ts'
import type { SignalKeys } from './signal-keys.ts'
import type { SignalFrame } from '../protocols/call-signal/index.ts'

/**
 * One call's direct signalling (`/parley/call-signal/1.0.0`): seals what this side sends, each
 * under the next counter, and opens what the other side sends, each counter once and in order.
 *
 * This side uses it until a frame of its own is not acked (the connection went, the peer runs a
 * release without it, or did not know the call yet); from then on everything it sends in the
 * call goes through the session, so that the two ways never overtake each other. The other
 * side's frames are taken as long as the call lasts.
 */
export class DirectRoute {
  /** Whether this side still sends the call's signalling this way */
  usable = true
  private readonly keys: SignalKeys
  private readonly call: Uint8Array
  private sent = 0n
  private received = 0n

  constructor (keys: SignalKeys, call: Uint8Array) {
    this.keys = keys
    this.call = call
  }

  /** The frame that carries `message` (an encoded CallSignal), under the next counter */
  seal (message: Uint8Array): SignalFrame {
    const counter = ++this.sent
    return { call: this.call, counter, sealed: sealSignal(this.keys.send, this.call, counter, message) }
  }

  /**
   * The message a frame of the other side's carries
   *
   * @throws {InvalidCallSignalError} when it does not open
   * @returns undefined for a counter this side has seen, or passed (a replay)
   */
  open (frame: Pick<SignalFrame, 'counter' | 'sealed'>): Uint8Array | undefined {
    if (frame.counter <= this.received) return undefined
    const message = openSignal(this.keys.receive, this.call, frame.counter, frame.sealed)
    this.received = frame.counter
    return message
  }
}
