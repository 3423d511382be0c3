/** A sender key chain's id: random bytes, new at each rotation */
export const KEY_ID_BYTES = 16

/** Chain keys are 32 bytes, as HMAC-SHA256 gives them */
export const CHAIN_KEY_BYTES = 32

/**
 * A message may be this many iterations ahead of the chain a member holds (messages lost or
 * late); one further is refused rather than stepped to (Signal's bound)
 */
export const MAX_FORWARD_ITERATIONS = 25_000

/** Message keys of skipped iterations kept per chain, for messages that come late; the oldest go first */
export const MAX_SKIPPED_KEYS = 2_000

/** One sender-key message at most (a text at the chat limit, padded, with its header) */
export const MAX_SENDER_KEY_MESSAGE_BYTES = 160 * 1_024
