/**
 * Unfinished frame bytes one peer may have a node hold (src/protocols/frames): a chat envelope
 * (160 KiB) on each of a few streams, a mailbox deposit (160 KiB) for each of several recipients
 * at once, and the DHTs' small messages fit many times over
 */
export const MAX_UNFINISHED_FRAME_BYTES_PER_PEER = 4 * 1_024 * 1_024
/** Unfinished frame bytes a node holds from all peers together */
export const MAX_UNFINISHED_FRAME_BYTES = 32 * 1_024 * 1_024
/**
 * The longest message either DHT sends or takes: a record (a prekey record is at most 4 KiB) or
 * 20 closer peers with their addresses. kad-dht reads frames of any length (4 MiB buffered)
 */
export const MAX_DHT_FRAME_BYTES = 128 * 1_024
