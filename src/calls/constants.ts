/** A call's id: random bytes chosen by the caller */
export const CALL_ID_BYTES = 16

/**
 * An invite rings this long; then the caller gives up and the callee shows a missed call. An
 * invite written longer ago than this is not rung (it waited in a mailbox, or the clocks are
 * far apart): it is a missed call at once.
 */
export const RING_TIMEOUT_MS = 45_000

/** The longest SDP a description may carry (a browser's audio and video offer is 5 to 10 KiB) */
export const MAX_SDP_BYTES = 32_768

/** The longest ICE candidate line, and media id, a candidate may carry */
export const MAX_CANDIDATE_BYTES = 1_024

/** The longest certificate fingerprint ("sha-256" and 32 bytes in colon hex is 103 characters) */
export const MAX_FINGERPRINT_LENGTH = 256

/** Invites taken from one peer in INVITE_INTERVAL_MS; more are not rung (a flood of calls) */
export const MAX_INVITES_PER_INTERVAL = 5

/** See MAX_INVITES_PER_INTERVAL */
export const INVITE_INTERVAL_MS = 60_000

/** Calls this node remembers (ended ones go first): bounds what a flood of invites can hold */
export const MAX_TRACKED_CALLS = 256

/** The key each side seals its media frames with (AES-256-GCM), sent in its descriptions */
export const MEDIA_KEY_BYTES = 32

/** A group call is a mesh, each pair of participants a call of its own: at most this many take part */
export const MAX_GROUP_CALL_PARTICIPANTS = 4

/**
 * The secret a caller sends in its invite, from which both sides derive the keys of the call's
 * direct signalling (src/calls/signal-keys.ts)
 */
export const SIGNAL_SECRET_BYTES = 32
