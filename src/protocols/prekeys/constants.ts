export const PROTOCOL = '/parley/prekeys/1.0.0'

/** DHT namespace of prekey records: keys are `/parley-prekeys/<peer id multihash bytes>` */
export const DHT_NAMESPACE = 'parley-prekeys'

/** Domain separation of the record signature */
export const RECORD_SIGNATURE_LABEL = 'Parley_PrekeyRecord:'

/** A new signed X25519 and ML-KEM prekey pair is made this often */
export const ROTATION_INTERVAL_MS = 7 * 24 * 60 * 60 * 1_000

/**
 * Replaced prekeys are kept this long after their replacement (not after they were made), so
 * messages sealed to them (sitting in a mailbox for up to its 14-day TTL) still open
 */
export const RETENTION_MS = 30 * 24 * 60 * 60 * 1_000

/**
 * A prekey record older than this is refused, by the DHT's validator and selector and by a
 * sender: its signed prekeys were current when it was made, are replaced within
 * ROTATION_INTERVAL_MS (7 days) and kept RETENTION_MS (30 days) after that, so they open
 * messages until the record is at least 37 days old; a message sealed to a 21-day-old record may
 * then wait in a mailbox for its 14-day TTL and still open, with 2 days to spare. A live node
 * puts a fresh record every REPUBLISH_INTERVAL_MS.
 */
export const MAX_RECORD_AGE_MS = 21 * 24 * 60 * 60 * 1_000

/** The record is put again this often (DHT records expire on storers after 48 hours) */
export const REPUBLISH_INTERVAL_MS = 6 * 60 * 60 * 1_000

/**
 * Right after start the record goes to the few peers the routing table holds, not the ones
 * closest to its key; as the table fills it is put again after these delays
 */
export const EARLY_REPUBLISH_MS = [20_000, 2 * 60_000, 10 * 60_000]

/**
 * One-time prekeys handed out and not yet used, at most. Past this a bundle goes out without one;
 * none is ever dropped to make room: dropping the oldest let anyone who asked 1,000 times take
 * back the one a real sender had just been given, and lock it out (one-time-budget.ts)
 */
export const MAX_ONE_TIME_PREKEYS = 1_000

/** An unused one-time prekey is dropped this long after it was handed out */
export const ONE_TIME_PREKEY_TTL_MS = 30 * 24 * 60 * 60 * 1_000

/** Unused one-time prekeys one peer may hold; a sender needs one per session it starts */
export const ONE_TIME_PREKEYS_PER_REQUESTER = 2

/** New one-time prekeys per peer and per IP address in each window (one-time-budget.ts) */
export const ONE_TIME_REQUESTS_PER_PEER = 4
export const ONE_TIME_REQUESTS_PER_IP = 32
export const ONE_TIME_REQUESTS_WINDOW_S = 60

/** Peers whose unused one-time prekeys are counted; past this the least recent are forgotten */
export const TRACKED_REQUESTERS = 4_096

/** A record or response is a bundle: ~1.3 KiB with the ML-KEM key */
export const MAX_RECORD_BYTES = 4_096

/** A record dated further ahead than this is refused (clocks differ, but not by days) */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1_000

/** Time for a prekey request to a peer when the caller gave no signal */
export const REQUEST_TIMEOUT_MS = 10_000

export const MAX_INBOUND_STREAMS = 4
export const MAX_OUTBOUND_STREAMS = 4
