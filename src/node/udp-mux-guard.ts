import { createRequire } from 'node:module'

/**
 * Node only, installed by the CLI's node commands (src/cli/commands/node.ts) before anything
 * loads node-datachannel's ES module entry.
 *
 * Why: libdatachannel (v0.24.5 inside node-datachannel 0.33.4, and still on its master) never
 * initialises `mStopped` of its ICE UDP mux listener (`std::atomic<bool> mStopped;` in
 * src/impl/iceudpmuxlistener.hpp, indeterminate under C++17). When the heap hands the listener
 * memory where that byte is set, `stop()` takes itself for a second call: it skips unregistering
 * from libjuice and frees the listener anyway. libjuice's mux thread then calls the freed listener
 * for every STUN request with an unknown ufrag on the port, which is every WebRTC-Direct dial, and
 * the process dies: `terminate called after throwing an instance of 'std::system_error'` /
 * `Invalid argument` (SIGABRT), a failed mutex assertion, or SIGSEGV. A relay's WebRTC-Direct
 * listener stops when libp2p stops, and users that just lost the relay redial it at once, so
 * SIGTERM crashed relays most times. Not yet reported upstream; the fix there is
 * `std::atomic<bool> mStopped = false;`.
 *
 * The guard gives the native binding a subclass of `IceUdpMuxListener` whose `stop()` only stops
 * passing requests on, and keeps the native listener, so libjuice always calls a live object.
 * Its JavaScript callback then keeps the event loop alive: a process holding one
 * (`heldUdpMuxListeners() > 0`) ends with `process.exit()` once its command is done.
 */

const require = createRequire(import.meta.url)
const held = new Set<object>()
let installed = false

export function guardUdpMuxListeners (): void {
  if (installed) return
  installed = true
  // loading the CommonJS entry puts the native binding in require's cache, where the ES module
  // entry (what @libp2p/webrtc imports) reads `IceUdpMuxListener` from when it is first loaded
  require('node-datachannel')
  const binding = Object.values(require.cache)
    .find(m => m?.filename.endsWith('.node') === true && typeof m.exports?.IceUdpMuxListener === 'function')
    ?.exports
  if (binding == null) throw new Error('node-datachannel\'s native binding was not found')
  const Native = binding.IceUdpMuxListener
  binding.IceUdpMuxListener = class GuardedIceUdpMuxListener extends Native {
    #stopped = false

    onUnhandledStunRequest (callback: (request: unknown) => void): void {
      super.onUnhandledStunRequest((request: unknown) => { if (!this.#stopped) callback(request) })
    }

    stop (): void {
      this.#stopped = true
      held.add(this)
    }
  }
}

/** How many mux listeners were stopped and are kept until the process exits */
export function heldUdpMuxListeners (): number {
  return held.size
}
