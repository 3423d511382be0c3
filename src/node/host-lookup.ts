import type { AbortOptions } from '@libp2p/interface'

/**
 * Every IP address, of either family, that a host name resolves to. Rejects when the name does
 * not resolve.
 */
export type LookupHost = (name: string, options: AbortOptions) => Promise<string[]>

/**
 * The operating system's resolver: getaddrinfo through `node:dns` `lookup`, /etc/hosts
 * included. That is what `net.connect` uses, and so the TCP transport and Node's WebSocket, for
 * a name in a `/dns*` address, so the gater sees what they will connect to. It cannot be
 * cancelled; the caller stops waiting instead.
 *
 * Undefined in a browser, where a page has no resolver of its own (the browser resolves the name
 * when it connects). This file is bundled for browsers too, so `node:dns` is loaded through
 * `process.getBuiltinModule` rather than imported: an import would not bundle, and a
 * `host-lookup.browser.ts` would need an entry in package.json's `browser` field.
 */
export function osLookup (): LookupHost | undefined {
  const dns = globalThis.process?.getBuiltinModule?.('node:dns')
  if (dns == null) {
    return undefined
  }
  return async (name) => (await dns.promises.lookup(name, { all: true })).map(answer => answer.address)
}
