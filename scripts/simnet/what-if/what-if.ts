/** The libp2p settings `--what-if` can change, none of which Parley exposes yet */
export interface WhatIf {
  /** libp2p's connection monitor (pings every connection every 10 s by default) */
  connectionMonitor?: { enabled?: boolean, pingInterval?: number, abortConnectionOnPingFailure?: boolean }
  /** USER_MAX_CONNECTIONS (100) of user nodes */
  userMaxConnections?: number
  /** gossipsub's IP colocation penalty (P6, default -5): 0 stops graylisting peers that share an IP */
  gossipIpColocationWeight?: number
  /**
   * New inbound connections per second from one IP (INBOUND_CONNECTIONS_PER_IP_PER_S, 5; 1,000
   * in LAN mode). Under --netns a worker's nodes share one IP, and a NATted node counts every
   * connection relayed to it against the relay's IP.
   */
  inboundConnectionsPerIpPerS?: number
}

const KEYS = new Set(['connectionMonitor', 'userMaxConnections', 'gossipIpColocationWeight', 'inboundConnectionsPerIpPerS'])

/** Parses --what-if's JSON, refusing unknown keys (a typo would silently measure nothing) */
export function parseWhatIf (json: string): WhatIf {
  const value: unknown = JSON.parse(json)
  if (value == null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError('--what-if takes a JSON object')
  for (const key of Object.keys(value)) {
    if (!KEYS.has(key)) throw new RangeError(`--what-if: unknown setting ${key}; known: ${[...KEYS].join(', ')}`)
  }
  return value as WhatIf
}
