/**
 * @packageDocumentation
 *
 * `/parley/call-signal/1.0.0`: a call's signalling between two peers while they are connected,
 * one frame after another with no round trip between them, each acknowledged once the receiver
 * took it. What a frame carries is opaque here: src/calls seals it under keys that came over the
 * pairwise session (src/calls/signal-keys.ts). Nothing is dialled: without an open connection,
 * or when a frame is not acked, the caller sends through the session instead.
 */
import { CallSignalChannel as CallSignalChannelClass } from './call-signal-channel.ts'
import type { AbortOptions, ComponentLogger, PeerId } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

export { PROTOCOL, MAX_SEALED_BYTES } from './constants.ts'
export * from './errors.ts'
export type { CallSignalChannel } from './call-signal-channel.ts'

export interface CallSignalChannelInit {
  /** @default '/parley/call-signal/1.0.0' */
  protocol?: string
  /** How long a frame waits for its ack when the caller passes no signal. @default 5_000 */
  sendTimeoutMs?: number
  /** A sender's stream idle this long is closed by the sender. @default 10_000 */
  senderIdleMs?: number
  /** An inbound stream idle this long is closed. @default 30_000 */
  idleTimeoutMs?: number
}

export interface CallSignalChannelComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
  logger: ComponentLogger
}

/** One frame: a sealed signalling message of the call `call`, the sender's `counter`-th of it */
export interface SignalFrame {
  /** 16 bytes */
  call: Uint8Array
  /** From 1, one more for each of the sender's frames of the call */
  counter: bigint
  /** At most MAX_SEALED_BYTES */
  sealed: Uint8Array
}

export interface IncomingSignalFrame extends SignalFrame {
  from: PeerId
}

/** Takes an incoming frame: resolves `true` once it is handed on, `false` to refuse it */
export interface SignalFrameHandler {
  (frame: IncomingSignalFrame, options: AbortOptions): Promise<boolean>
}

export function callSignalChannel (init: CallSignalChannelInit = {}): (components: CallSignalChannelComponents) => CallSignalChannelClass {
  return (components) => new CallSignalChannelClass(components, init)
}
