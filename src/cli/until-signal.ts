import { constants } from 'node:os'
import { EXIT_FAILURE } from './output.ts'
import { DAEMON_EXIT_DEADLINE_MS } from '../shutdown/constants.ts'

/**
 * Resolves once SIGINT or SIGTERM arrives, for the caller to stop and return. Exit codes: 0
 * after a clean stop; 1 when a stop step overran or failed (the caller's `ShutdownError`) or
 * when the process is still running `deadlineMs` after the signal (the stop hung, or something
 * keeps the event loop alive after it: this says what, on stderr); 128 + the signal's number
 * (130, 143) when a second signal arrives during the stop.
 */
export async function untilSignal (deadlineMs = DAEMON_EXIT_DEADLINE_MS): Promise<NodeJS.Signals> {
  return new Promise(resolve => {
    let received = false
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) process.exit(128 + constants.signals[signal])
      received = true
      // unref'd: a process that stops cleanly exits without waiting for it
      setTimeout(() => {
        // native handles (node-datachannel's callbacks) do not show in this list
        console.error(`parley: still running ${deadlineMs} ms after ${signal}; exiting (active: ${process.getActiveResourcesInfo().join(', ')})`)
        process.exit(EXIT_FAILURE)
      }, deadlineMs).unref()
      resolve(signal)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}
