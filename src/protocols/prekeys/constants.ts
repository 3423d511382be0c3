export const PROTOCOL = '/parley/prekeys/1.0.0'

/** DHT namespace of prekey records: keys are `/parley-prekeys/<peer id multihash bytes>` */
export const DHT_NAMESPACE = 'parley-prekeys'

/** Domain separation of the record signature */
export const RECORD_SIGNATURE_LABEL = 'Parley_PrekeyRecord:'

/** A new signed X25519 and ML-KEM prekey pair is made this often */
export const ROTATION_INTERVAL_MS = 7 * 24 * 60 * 60 * 1_000

/**
 * Replaced prekeys are kept this long, so messages sealed to them (sitting in a mailbox for
 * up to its 14-day TTL) still open
 */
export const RETENTION_MS = 30 * 24 * 60 * 60 * 1_000

/** The record is put again this often (DHT records expire on storers after 48 hours) */
export const REPUBLISH_INTERVAL_MS = 6 * 60 * 60 * 1_000

/**
 * Right after start the record goes to the few peers the routing table holds, not the ones
 * closest to its key; as the table fills it is put again after these delays
 */
export const EARLY_REPUBLISH_MS = [20_000, 2 * 60_000, 10 * 60_000]

/** One-time prekeys handed out and not yet used; past this the oldest are dropped */
export const MAX_ONE_TIME_PREKEYS = 1_000

/** A record or response is a bundle: ~1.3 KiB with the ML-KEM key */
export const MAX_RECORD_BYTES = 4_096

/** A record dated further ahead than this is refused (clocks differ, but not by days) */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1_000

/** Time for a prekey request to a peer when the caller gave no signal */
export const REQUEST_TIMEOUT_MS = 10_000

export const MAX_INBOUND_STREAMS = 4
export const MAX_OUTBOUND_STREAMS = 4
