/**
 * Timings of the web app's own behaviour (the node's are in src/messenger/constants.ts). Kept
 * here so the views and their tests agree on them.
 */

/** While the user keeps typing, "typing" is sent again at most this often (peers drop repeats closer than 2 s) */
export const TYPING_REFRESH_MS = 4_000

/** The user counts as stopped typing after this long without a keystroke */
export const TYPING_IDLE_MS = 4_000

/**
 * A peer is shown as typing at most this long after its last "typing" (it may have gone away
 * without saying it stopped): longer than TYPING_REFRESH_MS, so a steady typist stays shown
 */
export const TYPING_SHOWN_MS = 10_000

/** A notification's text shows at most this many characters of the message */
export const NOTIFICATION_PREVIEW_CHARS = 120

/** The conversation list shows at most this many characters of the last message */
export const LIST_PREVIEW_CHARS = 80

/** Below this width (CSS pixels) the app shows either the list or the open conversation */
export const NARROW_MAX_WIDTH_PX = 720

/** Where the page's settings come from: `config.json` next to index.html, set by whoever hosts it */
export const CONFIG_URL = 'config.json'

/** The service worker's script, next to index.html (its folder is the scope it controls) */
export const SERVICE_WORKER_SCRIPT = 'sw.js'

/** The worker that seals and opens a call's media frames (src/browser/calls/frame-worker.ts), next to app.js */
export const CALL_WORKER_SCRIPT = 'call-worker.js'

/** What the page posts to a waiting service worker to make it take over now */
export const SKIP_WAITING = 'skip-waiting'
