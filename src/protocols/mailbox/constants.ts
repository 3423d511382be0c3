import { STAMP_BITS } from './stamp.ts'

export const PROTOCOL = '/parley/mailbox/1.0.0'
export const NOTICE_PROTOCOL = '/parley/mailbox-notice/1.0.0'
/** The DHT in which only mailbox hosts are servers (see host-routing.ts) */
export const HOST_DHT_PROTOCOL = '/parley/mailbox/kad/1.0.0'
/** Hosts provide the CID of SHA-256 of this in the main DHT; newcomers find hosts by it */
export const HOST_ADVERT_LABEL = 'parley/mailbox-hosts/v1'
/**
 * A host announces itself at start and again after these delays: the first announcement goes to
 * the few peers the main DHT's routing table holds then, not the ones closest to the CID
 */
export const HOST_ADVERT_DELAYS_MS = [20_000, 2 * 60_000, 10 * 60_000]
/** A node that knows no host connects to this many of those it finds */
export const HOST_DISCOVERY_DIALS = 3
/** A closest-hosts lookup takes the hosts that answered within this long */
export const HOST_LOOKUP_TIMEOUT_MS = 5_000
/** A sender reuses a key's closest hosts this long (each envelope of a backlog needs them) */
export const HOST_LOOKUP_CACHE_MS = 60_000
/** A host that let a store request time out is skipped by deposits this long */
export const UNRESPONSIVE_MS = 60_000

/**
 * How long one courier (a throwaway identity, `Couriers`) serves its mailbox: long enough that a
 * backlog for one recipient shares its connections, short enough that a storer cannot follow one
 * sender's deposits over a day by it
 */
export const COURIER_LIFETIME_MS = 60_000

/**
 * New courier connections to one storer: at once, and per second after a burst of as many
 * (dial-pacer.ts). Under what a storer accepts from one IP (MAX_PENDING_INBOUND_PER_IP in
 * handshake, INBOUND_CONNECTIONS_PER_IP_PER_S), with room for the node's own connection.
 */
export const COURIER_DIALS_AT_ONCE = 1
export const COURIER_DIALS_PER_S = 4

/** A courier's lookup of the hosts closest to a key (courier-lookup.ts): requests at a time */
export const COURIER_LOOKUP_ALPHA = 3
/** ...and how many of the closest hosts it knows must have answered (or failed) for it to end */
export const COURIER_LOOKUP_WIDTH = 10
/** The largest FIND_NODE answer read: kad-dht sends up to 20 peers */
export const MAX_FIND_NODE_BYTES = 64 * 1_024
export const MAX_FIND_NODE_PEERS = 20
export const MAX_FIND_NODE_PEER_ADDRS = 16
/**
 * A collection waits this long after the first storer opens for the others, so their pages
 * merge into one ordered batch; a storer slower than that is read after
 */
export const GATHER_WINDOW_MS = 500
/** How long a node looks for hosts before it says there are none */
export const HOST_DISCOVERY_TIMEOUT_MS = 10_000

/** Mailbox keys and envelope hashes are SHA-256 outputs; a fetch challenge is as long */
export const KEY_BYTES = 32
export const CHALLENGE_BYTES = 32

/** Copies of each envelope a sender wants held, each on a different DHT-closest storer */
export const REPLICAS = 5

/** How long a storer keeps an envelope nobody fetched */
export const TTL_MS = 14 * 24 * 60 * 60 * 1_000

/**
 * Storer limits. Per key: a mailbox key is one recipient for one week, so this is what one
 * recipient can have waiting per week at each storer; per depositor: what one source (an IP
 * address, an IPv6 /64: `SourceTags`; never a PeerId, which a storer does not keep) may leave
 * here in total, whether senders or a storer handing copies on.
 */
export const MAX_ITEMS_PER_KEY = 2_000
export const MAX_BYTES_PER_KEY = 32 * 1_024 * 1_024
export const MAX_BYTES_PER_DEPOSITOR = 64 * 1_024 * 1_024
/**
 * Every item is charged at least this against the byte quotas: besides its envelope (at least
 * `MIN_ENVELOPE_BYTES`, 422) an item costs its storer ~0.65 KiB of LevelDB keys and index (key
 * and hash in hex three times, the depositor's source tag twice), so the budget also bounds the
 * number of items (1 GiB: a million), and with it the index a storer reads on start
 */
export const MIN_ITEM_CHARGE_BYTES = 1_024
/**
 * What one depositor may leave under one key without stamps: well below the key's caps (a
 * twentieth of its items, a thirty-second of its bytes), so a flooder fills little of a
 * mailbox, while a contact's week of messages to an offline friend rarely reaches it (past it,
 * the sender stamps: see `StoreResponse.stamp_bits`)
 */
export const MAX_UNSTAMPED_ITEMS_PER_DEPOSITOR_KEY = 100
export const MAX_UNSTAMPED_BYTES_PER_DEPOSITOR_KEY = 1_024 * 1_024
/**
 * Once a key holds this many items, or bytes (a quarter of its caps), every further envelope
 * needs a valid stamp: depositors with many addresses fill that quarter for free,
 * the other three quarters cost a stamp per envelope
 */
export const STAMP_AFTER_ITEMS_PER_KEY = MAX_ITEMS_PER_KEY / 4
export const STAMP_AFTER_BYTES_PER_KEY = MAX_BYTES_PER_KEY / 4
/**
 * A depositor mints the stamp a storer asks for only up to this difficulty (the protocol's):
 * a storer demanding more could make it spend minutes per envelope
 */
export const MAX_DEMANDED_STAMP_BITS = STAMP_BITS
/** The disk budget of a relay, which stores by default; a user node opts in with its own */
export const RELAY_BUDGET_BYTES = 1_024 * 1_024 * 1_024

/** A store request is one envelope (chat's cap, 160 KiB) with its key, stamp and framing */
export const MAX_REQUEST_BYTES = 160 * 1_024 + 256
/** A fetch page carries envelopes up to this much (the frame cap a little above it) */
export const MAX_PAGE_BYTES = 1_024 * 1_024
export const MAX_FRAME_BYTES = MAX_PAGE_BYTES + MAX_REQUEST_BYTES
/**
 * A page's budget counts each envelope's other fields too (key 34 bytes, stored_at up to 11,
 * tags and lengths up to 19), so a page of small envelopes stays within the frame cap
 */
export const PAGE_ITEM_FRAMING_BYTES = 64
/** An offer lists at most this many hashes, an ack too */
export const MAX_HASHES_PER_MESSAGE = 4_096
/** A fetch names at most this many epochs, each once (14 days of weekly epochs is 3) */
export const MAX_EPOCHS_PER_FETCH = 8
/**
 * A fetch ends after this many pages (32 MiB, about one key's byte quota); the recipient reads the
 * rest, less what it acked, at its next collection. Bounds the work one fetch asks of a storer.
 */
export const MAX_PAGES_PER_FETCH = 32

/** How far back a recipient reads its mailboxes: the storers' TTL */
export const FETCH_WINDOW_MS = TTL_MS

/** The recipient checks its mailboxes this often while running (and at start, and on notices) */
export const FETCH_INTERVAL_MS = 5 * 60 * 1_000
/** Storers hand their envelopes on to the current closest peers this often */
export const REPLICATE_INTERVAL_MS = 30 * 60 * 1_000
/** Expired envelopes and tombstones are swept this often */
export const SWEEP_INTERVAL_MS = 60 * 60 * 1_000
/** A storer notifies a connecting recipient at most once per this long */
export const NOTICE_INTERVAL_MS = 30 * 1_000

/** Time for one request to one storer, when the caller gave no signal */
export const REQUEST_TIMEOUT_MS = 10_000
/** Closest-host candidates tried per deposit before giving up on the rest of the replicas */
export const MAX_CANDIDATES = 20
/**
 * A recipient fetches from this many of the hosts closest to each of its keys, times the
 * replica count: the replicas plus room for hosts that joined since the deposit
 */
export const FETCH_SPREAD = 2

export const MAX_INBOUND_STREAMS = 16
export const MAX_OUTBOUND_STREAMS = 16

/**
 * A recipient renews each watch on its storers this often (a fresh stream, under a fresh courier
 * once the last one's lifetime is over), and refreshes the set of them with each periodic check
 * (FETCH_INTERVAL_MS): a watch lost with its storer is back by the next check at most
 */
export const WATCH_RENEW_MS = 10 * 60 * 1_000
/**
 * A recipient watches each of its mailboxes at this many of the hosts closest to its key: every
 * deposit goes to the closest REPLICAS, so both see it (one, while the other is down). Each
 * watch is a connection a storer holds open, and a relay's connections are its scarce resource.
 */
export const WATCH_SPREAD = 2
/** A storer ends a watch after this long: one left open by a recipient that went away ends too */
export const WATCH_MAX_MS = 15 * 60 * 1_000
/**
 * Watches a storer keeps at once, and per mailbox key. Each is an open stream and a few hundred
 * bytes: a relay's connection cap (RELAY_MAX_CONNECTIONS) times a user's watched mailboxes (3)
 * fits with room; a key has one owner, watching it from a renewal and a second start at most.
 */
export const MAX_WATCHES = 4_096
export const MAX_WATCHES_PER_KEY = 8
