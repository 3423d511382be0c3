/**
 * How long each step of a stop may take before it is abandoned (logged, reported in a
 * `ShutdownError`) and the next one runs. A clean stop takes about a second in all; these are
 * ceilings for a step that hangs.
 */

/** The control API: closing its Unix socket and the requests still open on it */
export const CONTROL_STOP_BUDGET_MS = 1_000

/** File transfers: aborting those under way */
export const FILES_STOP_BUDGET_MS = 2_000

/**
 * How long `Parley.stop()` lets deliveries under way (messages, receipts) run before libp2p goes
 * down under them; what is not through stays in the outbox for the next start. The messenger on
 * its own would wait its STOP_GRACE_MS (10 s), as long as Docker waits for a whole stop before
 * SIGKILL, and a delivery over a connection whose WebRTC upgrade never completes does take its
 * full send timeout (10 s).
 */
export const DELIVERY_GRACE_ON_STOP_MS = 2_000

/**
 * The messenger's stop once libp2p is down: its deliveries fail at once, their outcome is
 * written, and a mailbox collection under way ends
 */
export const MESSENGER_STOP_BUDGET_MS = 3_000

/**
 * libp2p: its connection manager gives each connection 500 ms, but the WebRTC-Direct listener
 * waits for its connections to close with no bound of its own (see `releaseNativeTransports`)
 */
export const LIBP2P_STOP_BUDGET_MS = 5_000

/** Each LevelDB database (messages, peer store): pending writes, then the lock */
export const STORE_CLOSE_BUDGET_MS = 2_000

/** The whole of `Parley.stop()`: its steps one after another, and a margin */
export const PARLEY_STOP_BUDGET_MS = FILES_STOP_BUDGET_MS + DELIVERY_GRACE_ON_STOP_MS + LIBP2P_STOP_BUDGET_MS + MESSENGER_STOP_BUDGET_MS + 2 * STORE_CLOSE_BUDGET_MS + 1_000

/**
 * node-datachannel's `cleanup()` blocks until libdatachannel's threads end and gives up (throws)
 * after 10 s; nothing in JavaScript can cut a synchronous call short, so this only names its bound
 */
export const NATIVE_CLEANUP_BUDGET_MS = 10_000

/** Slack for the exit itself after the last step (the CLI exits at once: `exitAfterStop`) */
export const EXIT_LINGER_MS = 2_000

/**
 * From SIGTERM/SIGINT, the longest a daemon process lives: every step at its budget, then the
 * linger. Past it the process exits with code 1, whatever still runs.
 */
export const DAEMON_EXIT_DEADLINE_MS = CONTROL_STOP_BUDGET_MS + PARLEY_STOP_BUDGET_MS + NATIVE_CLEANUP_BUDGET_MS + EXIT_LINGER_MS
