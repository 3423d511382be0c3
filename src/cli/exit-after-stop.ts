import { logger } from '@libp2p/logger'

const log = logger('parley:stop')

/**
 * Ends the process once a daemon's stop has run every step, with `process.exitCode` (0 after a
 * clean stop; 1, set by the command, when a step overran or failed). Its databases are closed
 * and its connections ended by then; what can still hold the event loop is timers libp2p starts
 * during its own stop and never clears: identify push's and the address manager's one-second
 * debounce of the address changes that closing the listeners causes (the first came with
 * js-libp2p #3193), each of which can start the other's again. They kept a stopped daemon alive
 * for 1 to 2 s, and once in CI past the 5 s a service manager is given. Runs after the
 * command's own handling of a failed stop (an immediate, after the rejection's microtasks), and
 * says on the log what was still active, for a leak to stay visible.
 */
export function exitAfterStop (): void {
  setImmediate(() => {
    log('exiting; still active: %s', describeActive())
    process.exit()
  })
}

/** What keeps the event loop alive: each handle (sockets and servers by address), then every resource's kind */
function describeActive (): string {
  // `_getActiveHandles` is undocumented but in every Node release; it is what names a socket's
  // ends, which `getActiveResourcesInfo` (kinds only) does not
  const handles: unknown[] = (process as any)._getActiveHandles?.() ?? []
  return `handles: ${handles.map(describeHandle).join(', ')}; resources: ${process.getActiveResourcesInfo().join(', ')}`
}

function describeHandle (handle: any): string {
  const name: string = handle?.constructor?.name ?? 'handle'
  try {
    if (handle.remoteAddress != null) return `${name} ${handle.localAddress}:${handle.localPort} -> ${handle.remoteAddress}:${handle.remotePort}`
    const address = typeof handle.address === 'function' ? handle.address() : undefined
    if (typeof address === 'string') return `${name} ${address}`
    if (address?.port != null) return `${name} ${address.address}:${address.port}`
  } catch {
    // a handle that is closing may no longer say its address
  }
  // a pipe: which one (stdout and stderr are listed, though they hold nothing)
  const fd = handle?._handle?.fd ?? handle?.fd
  return `${name}${typeof fd === 'number' && fd >= 0 ? ` fd ${fd}` : ''}`
}
