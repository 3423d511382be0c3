/** The Parley DHT is its own network, apart from IPFS's */
export const DHT_PROTOCOL = '/parley/kad/1.0.0'

/** Ping streams per connection each way: the main DHT, the mailbox hosts' DHT and a spare */
export const PING_STREAMS = 3

/** User nodes take any free port; a restart gets new addresses, which identify and the DHT spread */
export const USER_LISTEN = ['/ip4/0.0.0.0/tcp/0', '/ip6/::/tcp/0', '/p2p-circuit', '/webrtc']

/** Relays keep well-known ports so their addresses can go in bootstrap-nodes.json */
export const RELAY_TCP_PORT = 4001
export const RELAY_WS_PORT = 4002
/**
 * WebRTC-Direct (UDP) for browsers: its `/certhash/` addresses carry the hash of the relay's own
 * self-signed certificate, so a page can dial it with no domain name or CA certificate.
 */
export const RELAY_WEBRTC_DIRECT_PORT = 4003
export const RELAY_LISTEN = [
  `/ip4/0.0.0.0/tcp/${RELAY_TCP_PORT}`,
  `/ip6/::/tcp/${RELAY_TCP_PORT}`,
  `/ip4/0.0.0.0/tcp/${RELAY_WS_PORT}/ws`,
  `/ip6/::/tcp/${RELAY_WS_PORT}/ws`,
  `/ip4/0.0.0.0/udp/${RELAY_WEBRTC_DIRECT_PORT}/webrtc-direct`,
  `/ip6/::/udp/${RELAY_WEBRTC_DIRECT_PORT}/webrtc-direct`
]

/**
 * A browser node cannot open a listening socket: it is reachable through a relay reservation
 * (`/p2p-circuit`) and accepts WebRTC connections signalled over it (`/webrtc`).
 */
export const BROWSER_LISTEN = ['/p2p-circuit', '/webrtc']

/** Connection budget of a user node: its contacts, a DHT neighbourhood and a few relays */
export const USER_MAX_CONNECTIONS = 100
/** A relay serves many users at once */
export const RELAY_MAX_CONNECTIONS = 1_000

/**
 * New inbound connections per second from one IP before further ones are refused. A user's
 * node opens its own and its mailbox couriers' (COURIER_DIALS_PER_S a storer at most); in LAN
 * mode every local peer shares 127.0.0.1 (or one LAN address), so the limit is raised there.
 */
export const INBOUND_CONNECTIONS_PER_IP_PER_S = 10

/**
 * Inbound connections from one IP still negotiating (encryption, muxer) before further ones are
 * refused (src/node/pending-inbound.ts): a handshake takes a few round trips, so an honest
 * source rarely has more than one under way; outside LAN mode only
 */
export const MAX_PENDING_INBOUND_PER_IP = 2
/**
 * Inbound connections still negotiating, from all sources (libp2p's default is 10): with
 * MAX_PENDING_INBOUND_PER_IP each, a source holds a small share of them. Each costs a socket
 * and a handshake's state, and lasts at most libp2p's inbound upgrade timeout (10 s).
 */
export const USER_MAX_PENDING_INBOUND = 32
export const RELAY_MAX_PENDING_INBOUND = 128
export const LAN_INBOUND_CONNECTIONS_PER_IP_PER_S = 1_000

/**
 * Circuit relay v2 server limits. A relayed connection carries signalling, chat and mailbox
 * traffic only (files wait for a direct connection), so 1 MiB / 2 minutes per relayed connection
 * is plenty; libp2p's own default data limit is 128 KiB, too small for a few long messages.
 */
export const RELAY_MAX_RESERVATIONS = 256
export const RELAY_RESERVATION_TTL_MS = 2 * 60 * 60 * 1_000
export const RELAY_DURATION_LIMIT_MS = 2 * 60 * 1_000
export const RELAY_DATA_LIMIT_BYTES = 1n << 20n

/**
 * A peer reached through a relay is moved to a direct WebRTC connection (src/node/direct-upgrade.ts):
 * at once by the side that dialled, after this delay by the other (if still relayed), so two
 * browsers do not both open one.
 */
export const DIRECT_UPGRADE_INBOUND_DELAY_MS = 2_000
/** How long a WebRTC upgrade (signalling over the relay, ICE on the direct path) may take */
export const DIRECT_UPGRADE_TIMEOUT_MS = 20_000
/**
 * Once direct, how long the streams under way on the relayed connection may take to end before
 * it is closed anyway: a chat send's own limit (SEND_TIMEOUT_MS), so any message sent on it has
 * its ack or its error by then. Streams kept open between messages are closed by their owners
 * when they see the direct connection (chat), or at this limit.
 */
export const DIRECT_UPGRADE_DRAIN_TIMEOUT_MS = 10_000

/**
 * Yamux's largest per-stream receive window (its default is 16 MiB). A stream paused by its reader
 * (a file download ahead of the disk) can still receive up to one window, and yamux aborts a
 * paused stream holding more than 4 MiB, so the window must stay below that. Throughput on
 * loopback was the same at 1, 2, 4 and 16 MiB (docs/BENCHMARKS.md); 3 MiB keeps 30 MiB/s per
 * stream at a 100 ms round trip.
 */
export const YAMUX_MAX_STREAM_WINDOW_BYTES = 3 * 1_024 * 1_024

/**
 * The shortest time between two DHT queries of a random walk for autonat or relay discovery
 * (src/node/polite-random-walk.ts): at most 2 queries in autonat's 10-second walk each minute.
 */
export const RANDOM_WALK_INTERVAL_MS = 5_000

/**
 * How long a registered WebRTC connection may wait for its peer connection to connect before it
 * is closed (src/node/webrtc-guard.ts). ICE connects within a second or two when it can at all,
 * but on a loaded machine a page's connection took longer than 5 s, and closing it then cost a
 * working connection.
 */
export const WEBRTC_CONNECT_TIMEOUT_MS = 10_000

/**
 * How often libp2p's connection monitor pings each connection (its default is 10 s). It measures
 * round trips and closes connections that stopped answering; every 10 s, on a NATted user's link
 * to its relay (its own pings, the relay's, and those of each peer reached through it), made
 * about 900 of the 1,450 packets of an idle minute. NAT mappings of established TCP connections
 * last far longer than 30 s.
 */
export const CONNECTION_PING_INTERVAL_MS = 30_000

/**
 * At most this many autonat-confirmed public addresses are kept across a restart
 * (src/node/remembered-addresses.ts): a node has a few, one per public IP and transport
 */
export const MAX_REMEMBERED_ADDRESSES = 8

/** What identify says a node is: every node the same, couriers too (they would stand out) */
export const USER_AGENT = 'parley/0.1.0'
