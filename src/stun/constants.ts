/** The STUN port of RFC 8489 (UDP): relays answer binding requests on it */
export const STUN_PORT = 3478

/**
 * Tells users that a relay answers STUN, and on which port (`StunInfo`). Identify lists it among
 * the relay's protocols, so a user asks only relays that run it.
 */
export const STUN_INFO_PROTOCOL = '/parley/stun/1.0.0'

/** A `StunInfo` message is one small varint; anything longer is not one */
export const MAX_STUN_INFO_BYTES = 16

/** How long a user waits for a relay's `StunInfo` when the caller gave no signal */
export const STUN_INFO_TIMEOUT_MS = 10_000

/**
 * The largest datagram looked at; larger ones are dropped unread. A binding request is 20 bytes
 * of header plus a few optional attributes (SOFTWARE, FINGERPRINT); RFC 8489 keeps messages
 * under 548 bytes when the path MTU is unknown.
 */
export const MAX_STUN_REQUEST_BYTES = 548

/**
 * Binding requests answered per second for one source IP (a token bucket refilled at this rate).
 * ICE asks a STUN server once per peer connection, retransmitting a few times on loss, and
 * libjuice sends keepalives about every 15 s, so a user with a few dozen peer connections stays
 * well below it.
 */
export const STUN_REQUESTS_PER_SOURCE_PER_S = 20
/** Requests one source may send at once before the per-second rate applies */
export const STUN_BURST_PER_SOURCE = 40
/**
 * Responses per second for all sources together: a flood from many (spoofed) sources still
 * reflects at most this much
 */
export const STUN_REQUESTS_PER_S = 2_000
/**
 * Sources whose buckets are remembered; past this the least recently seen is forgotten, so memory
 * stays bounded under a flood of spoofed sources (which the global rate limits)
 */
export const STUN_MAX_TRACKED_SOURCES = 4_096

/** How many relays' STUN servers a user gives WebRTC (libjuice uses one of them) */
export const MAX_RELAY_STUN_SERVERS = 3
