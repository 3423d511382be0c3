/** Earlier sessions kept per peer, so messages of a simultaneous or reset session still decrypt */
export const MAX_PREVIOUS_SESSIONS = 5

/** Largest ratchet plaintext accepted (padded): a 64 KiB text rounds up to 128 KiB */
export const MAX_PLAINTEXT_BYTES = 128 * 1_024
