export const PROTOCOL_NAME = 'chat'
export const PROTOCOL_VERSION = '1.0.0'
export const PROTOCOL = `/parley/${PROTOCOL_NAME}/${PROTOCOL_VERSION}`

/** Message ids are this many random bytes */
export const MESSAGE_ID_BYTES = 16

/** The longest text a message may carry, in UTF-8 bytes (WhatsApp's limit is 65,536 characters) */
export const MAX_TEXT_BYTES = 65_536

/**
 * The largest envelope: a 64 KiB text pads to 128 KiB, plus the session set-up data (an ML-KEM
 * ciphertext and keys, ~1.2 KiB) and the seals
 */
export const MAX_ENVELOPE_BYTES = 160 * 1_024

/** Frame size cap: the envelope plus the id and protobuf framing */
export const MAX_FRAME_BYTES = MAX_ENVELOPE_BYTES + 64

/** How long a send may take (stream, message, ack) when the caller gives no signal */
export const SEND_TIMEOUT_MS = 10_000

/** An inbound stream that sends nothing for this long is closed */
export const IDLE_TIMEOUT_MS = 30_000

/** Concurrent chat streams per connection; one is enough for a peer that behaves */
export const MAX_INBOUND_STREAMS = 4
export const MAX_OUTBOUND_STREAMS = 8
