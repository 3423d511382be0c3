/**
 * How many chunks a download asks for in one request (Node): all it lacks, within
 * MAX_REQUEST_RANGES ranges. A Node receiver is faster than any sender's network, and on yamux the
 * file protocol's read-ahead holds a faster sender back (src/protocols/file). Browsers ask for
 * fewer: see `request-size.browser.ts`.
 */
export const MAX_CHUNKS_PER_REQUEST = Infinity
