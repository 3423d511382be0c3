/** The most members a group has (creator included): a change that would pass it is refused */
export const MAX_GROUP_MEMBERS = 1_000

/** A group's id: random bytes chosen by its creator */
export const GROUP_ID_BYTES = 16

/** A group name is 1 to this many characters */
export const MAX_GROUP_NAME_LENGTH = 64

/**
 * A change names at most this many parents (the heads its author had): concurrent changes by
 * many admins at once merge in the next change
 */
export const MAX_PARENTS = 16

/** One encoded change at most: a creation or addition naming MAX_GROUP_MEMBERS PeerIds fits */
export const MAX_CHANGE_BYTES = 64 * 1_024

/**
 * Changes whose parents have not arrived yet (out of order) wait at most this many per group;
 * past it the oldest waiting is dropped (it comes again with whatever names it)
 */
export const MAX_PENDING_CHANGES = 256

/**
 * An epoch's secret is chosen by one member; after a leave each admin chooses one, so an epoch
 * has at most this many (more are refused)
 */
export const MAX_SECRETS_PER_EPOCH = 16

/**
 * A group update carries changes up to about this many bytes (a session message holds 128 KiB
 * of plaintext); a longer history goes in several
 */
export const GROUP_UPDATE_BUDGET_BYTES = 96 * 1_024

/** A group update from a peer holds at most this many changes (the smallest change is about 150 bytes) */
export const MAX_GROUP_UPDATE_CHANGES = 1_000

/** A group update from a peer holds at most this many epoch secrets */
export const MAX_GROUP_UPDATE_SECRETS = 1_000

/**
 * This node asks for a key it misses at most once in this interval (until the key comes), and
 * answers a member's requests for its key at most MAX_KEY_ANSWERS_PER_INTERVAL times in it (each
 * answer travels through the outbox: a flood of requests must not become a flood of answers)
 */
export const KEY_ANSWER_INTERVAL_MS = 60_000

/** See KEY_ANSWER_INTERVAL_MS */
export const MAX_KEY_ANSWERS_PER_INTERVAL = 5

/** Group messages kept waiting for their author's sender key: per author */
export const MAX_WAITING_PER_AUTHOR = 100

/** Group messages kept waiting for their author's sender key: in all */
export const MAX_WAITING_MESSAGES = 1_000

/**
 * A message to a group waits at most this long for the members this node is connected to to
 * subscribe to its topic (just after joining, or a new epoch): see
 * GroupMessaging.connectedMembersListen
 */
export const GROUP_PUBLISH_WAIT_MS = 5_000

/**
 * A member's messages to a group are taken at most this many in a burst, then
 * MEMBER_MESSAGES_PER_MINUTE a minute (MemberRate): faster than anyone types, slower than a flood
 */
export const MEMBER_BURST = 60

/** See MEMBER_BURST */
export const MEMBER_MESSAGES_PER_MINUTE = 120

/** The members whose rate is kept, across groups (the least recently heard go first) */
export const MAX_RATED_MEMBERS = 10_000
/**
 * One round of reading a group's mailboxes (the lookups of their storers, and the fetches) takes
 * at most this long; what is left comes at the next round, from where this one stopped
 */
export const GROUP_COLLECT_TIMEOUT_MS = 60_000
/**
 * A round of reading a group's mailbox that was cut short (a failure, the time limit, no storer
 * reached) goes again after half to all of this, doubling up to the fetch interval: a member
 * back online should not wait five minutes for the rest of what it missed
 */
export const GROUP_COLLECT_RETRY_BASE_MS = 5_000
/**
 * A member's own sender key is replaced (and the new one handed to every member) at its first
 * message once the key is this old, removals and leaves aside: whoever takes a member's key
 * reads at most a week of what it sends
 */
export const SENDER_KEY_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1_000
/**
 * A member's delivery receipts to an author are gathered this long, then sent as one (a burst of
 * messages, or a backlog from the mailbox, costs the author one receipt, not one per message)
 */
export const GROUP_RECEIPT_DELAY_MS = 1_000
/** Authors with delivery receipts gathering at once; past it the oldest are sent at once */
export const MAX_GATHERING_RECEIPTS = 1_000
/**
 * After a start, gossip for a group is held until its mailbox has been read (so that what was
 * missed comes first, in order), at most this long, and at most MAX_HELD_GOSSIP messages a group
 * (past it, gossip is taken as it comes)
 */
export const GROUP_HOLD_GOSSIP_MS = 2 * 60 * 1_000
/** See GROUP_HOLD_GOSSIP_MS */
export const MAX_HELD_GOSSIP = 1_000
