/** First retry of an undelivered message comes this long after the failed attempt */
export const RETRY_BASE_MS = 2_000

/** Retries back off (doubling, with jitter) up to this interval */
export const RETRY_MAX_MS = 60_000

/** How many conversation partners a starting node reaches out to, so their outboxes flush */
export const MAX_PEERS_GREETED_ON_START = 50

/** A DHT lookup of a peer with no known address gives up after this long */
export const LOOKUP_TIMEOUT_MS = 10_000

/**
 * A peer whose every known address failed is looked up in the DHT again (a contact back on a
 * new port) at most this often
 */
export const RELOCATE_INTERVAL_MS = 60_000

/** A running node checks its mailboxes this often (also at start and when a storer says so) */
export const FETCH_INTERVAL_MS = 5 * 60 * 1_000

/** On stop, deliveries under way get this long to finish before they are cut off */
export const STOP_GRACE_MS = 10_000

/**
 * A stranger's pending request keeps at most its newest this many messages (src/messenger/
 * request-quota.ts); older ones are dropped, with a log line
 */
export const MAX_REQUEST_MESSAGES_PER_STRANGER = 50
/** ... and at most this many bytes (eight messages at the 64 KiB text limit) */
export const MAX_REQUEST_BYTES_PER_STRANGER = 512 * 1_024
/** All pending requests together: past either, the requests quiet longest are dropped whole */
export const MAX_REQUEST_MESSAGES = 2_000
export const MAX_REQUEST_BYTES = 32 * 1_024 * 1_024

/** Leaving one message with a peer's mailbox storers (finding them included) gives up after this long */
export const DEPOSIT_TIMEOUT_MS = 3 * LOOKUP_TIMEOUT_MS

/** One collection from this node's mailbox storers (finding them, every page) gives up after this long */
export const COLLECT_TIMEOUT_MS = 6 * LOOKUP_TIMEOUT_MS

/** A delivery or read receipt confirms at most this many messages (one mailbox page's worth) */
export const MAX_RECEIPT_IDS = 1_000
