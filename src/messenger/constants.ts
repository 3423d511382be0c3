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

/** How often the messenger checks whether a peer is due this node's mailbox identities of a new epoch */
export const ANNOUNCE_CHECK_INTERVAL_MS = 60 * 60 * 1_000

/** A peer's mailbox identities kept (and taken from one announcement) at most: a few epochs' */
export const MAX_ANNOUNCED_ADDRESSES = 4

/** A delivery or read receipt confirms at most this many messages (one mailbox page's worth) */
export const MAX_RECEIPT_IDS = 1_000

/**
 * The disappearing-message timers a conversation may have, in seconds (0 is off): the set both
 * sides agree on, as the apps users know offer (30 s to 4 weeks). A timer outside it is refused.
 */
export const TIMER_SECONDS: readonly number[] = [0, 30, 5 * 60, 60 * 60, 8 * 60 * 60, 24 * 60 * 60, 7 * 24 * 60 * 60, 28 * 24 * 60 * 60]

/** A reaction is one emoji: at most this many bytes of UTF-8 (a flag or a family is long) */
export const MAX_REACTION_BYTES = 64

/** A message keeps at most this many earlier versions; an edit past them is refused */
export const MAX_EDITS = 50

/**
 * A peer's typing notifications are shown at most this often: a flood beyond it is dropped (a
 * change from typing to not typing always goes through)
 */
export const TYPING_MIN_INTERVAL_MS = 2_000

/** Disappearing messages whose time came are erased in batches of this many */
export const EXPIRE_BATCH = 500
