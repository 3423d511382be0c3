import { publicAnswers } from './connection-gater.ts'
import type { LookupHost } from './host-lookup.ts'

type LookupCallback = (err: Error | null, address: string | Array<{ address: string, family: number }>, family?: number) => void

/** The `lookup` option of `net.connect`, as Node calls it */
export type NetLookup = (hostname: string, options: { all?: boolean }, callback: LookupCallback) => void

/**
 * A resolver for the TCP transport's connects outside LAN mode, refusing what the connection
 * gater refuses (a name that resolves to nothing or to any local address). The gater has already
 * resolved the name once to let the dial through; without this the OS would resolve it again in
 * `net.connect`, and a DNS server answering a public address to the first query and 127.0.0.1
 * or 10.x to the next (rebinding) would have the node connect into its own network.
 */
export function gatedNetLookup (lookupHost: LookupHost, timeoutMs?: number): NetLookup {
  return (hostname, options, callback) => {
    publicAnswers(hostname, lookupHost, timeoutMs).then(ips => {
      const answers = ips.map(address => ({ address, family: address.includes(':') ? 6 : 4 }))
      if (options.all === true) callback(null, answers)
      else callback(null, answers[0].address, answers[0].family)
    }, (err: Error) => { callback(err, '') })
  }
}
