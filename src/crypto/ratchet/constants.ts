/**
 * Most message keys skipped in one receiving chain (messages that may arrive out of order).
 * A header claiming a larger gap is rejected: it would make us derive that many keys for it.
 */
export const MAX_SKIP = 1_000

/** Most skipped message keys kept across all chains; the oldest go first */
export const MAX_SKIPPED_KEYS = 2_000

/** Remote ratchet keys remembered after they are replaced, to tell replays from garbage */
export const MAX_PREVIOUS_REMOTE_KEYS = 8

/** Header: ratchet public key (32) || previous chain length (u32 BE) || message number (u32 BE) */
export const HEADER_BYTES = 40

/** HKDF info labels: each derivation has its own, so no key is ever used for two purposes */
export const INFO_ROOT = 'Parley_DoubleRatchet_Root'
export const INFO_MESSAGE_KEYS = 'Parley_DoubleRatchet_MessageKeys'

/** Ranges of evicted message numbers remembered (src/crypto/ratchet/evicted.ts); the oldest go first */
export const MAX_EVICTED_RANGES = 64
