/**
 * @packageDocumentation
 *
 * `/parley/chat/1.0.0`: direct end-to-end encrypted messages (sealed envelopes, opaque here) with
 * an application-level ack. The ack is sent
 * only after the recipient's handler has stored the message, so "delivered" means "on the
 * recipient's disk". Message ids make retries idempotent: a recipient acks a repeat without
 * storing it twice.
 */
import { Chat as ChatClass } from './chat.ts'
import type { AbortOptions, ComponentLogger, Libp2pEvents, PeerId, TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

export { PROTOCOL, MAX_ENVELOPE_BYTES, MAX_TEXT_BYTES, MESSAGE_ID_BYTES } from './constants.ts'
export * from './errors.ts'
export type { Chat } from './chat.ts'

export interface ChatInit {
  /** @default '/parley/chat/1.0.0' */
  protocol?: string
  /** Time for one send (stream, message, ack) when the caller passes no signal. @default 10_000 */
  sendTimeoutMs?: number
  /** An inbound stream idle this long is closed. @default 30_000 */
  idleTimeoutMs?: number
  /** @default 4 */
  maxInboundStreams?: number
  /** @default 8 */
  maxOutboundStreams?: number
}

export interface ChatComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

export interface OutgoingChatMessage {
  /** `MESSAGE_ID_BYTES` random bytes */
  id: Uint8Array<ArrayBuffer>
  /** The sealed envelope, at most `MAX_ENVELOPE_BYTES` */
  envelope: Uint8Array<ArrayBuffer>
}

export interface IncomingChatMessage extends OutgoingChatMessage {
  from: PeerId
}

/**
 * Stores an incoming message. Resolving means it is durably stored (the ack follows);
 * throwing `MessageRefusedError` refuses it for good; any other error drops the stream unacked.
 */
export interface ChatHandler {
  (message: IncomingChatMessage, options: AbortOptions): Promise<void>
}

export function chat (init: ChatInit = {}): (components: ChatComponents) => ChatClass {
  return (components) => new ChatClass(components, init)
}
