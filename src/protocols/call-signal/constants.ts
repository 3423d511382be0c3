import { MAX_SDP_BYTES } from '../../calls/constants.ts'

export const PROTOCOL_NAME = 'call-signal'
export const PROTOCOL_VERSION = '1.0.0'
export const PROTOCOL = `/parley/${PROTOCOL_NAME}/${PROTOCOL_VERSION}`

/**
 * The largest sealed signalling message: a description (an SDP of at most MAX_SDP_BYTES, its
 * fingerprint and media key) with protobuf's framing and the seal's tag
 */
export const MAX_SEALED_BYTES = MAX_SDP_BYTES + 2 * 1_024

/** Frame size cap: the sealed message, the call id and the counter, with protobuf's framing */
export const MAX_FRAME_BYTES = MAX_SEALED_BYTES + 64

/** How long a frame may wait for its ack when the caller gives no signal: then it goes another way */
export const SEND_TIMEOUT_MS = 5_000

/**
 * A sender's stream with nothing under way for this long is closed by the sender (a call's
 * signalling comes in bursts: its set-up, an ICE restart), well before the receiver's
 * IDLE_TIMEOUT_MS, so that a frame never goes out on a stream the receiver is closing
 */
export const SENDER_IDLE_MS = 10_000

/** An inbound stream that sends nothing for this long is closed */
export const IDLE_TIMEOUT_MS = 30_000

/** Frames written and not yet acked on one stream; more wait for acks (a peer that reads nothing) */
export const MAX_UNACKED_FRAMES = 64

/** Concurrent streams per connection; one each way is enough for a peer that behaves */
export const MAX_INBOUND_STREAMS = 2
export const MAX_OUTBOUND_STREAMS = 2
