import { ParleyError } from '../errors/index.ts'

/** The longest list of STUN/TURN servers a node or page may be given */
export const MAX_ICE_SERVERS = 16

/**
 * STUN and TURN servers as WebRTC takes them (`RTCIceServer[]`), checked: at most
 * MAX_ICE_SERVERS, each with `urls` of stun:, turn: or turns: URLs and string credentials.
 * What is wrong is described by the returned reason, for the caller's error (config.json's,
 * the daemon's `--ice-servers` file's).
 */
export function parseIceServers (raw: unknown): { servers: RTCIceServer[] } | { invalid: string } {
  if (!Array.isArray(raw) || raw.length > MAX_ICE_SERVERS) return { invalid: `must be an array of at most ${MAX_ICE_SERVERS} servers` }
  const servers: RTCIceServer[] = []
  for (const [i, server] of raw.entries()) {
    const { urls, username, credential } = (server ?? {}) as Record<string, unknown>
    const list = typeof urls === 'string' ? [urls] : urls
    if (!Array.isArray(list) || list.length === 0 || list.some(u => typeof u !== 'string' || !/^(stun|turns?):/.test(u))) {
      return { invalid: `[${i}]: "urls" must be stun:, turn: or turns: URLs` }
    }
    if ((username != null && typeof username !== 'string') || (credential != null && typeof credential !== 'string')) {
      return { invalid: `[${i}]: "username" and "credential" must be strings` }
    }
    servers.push({ urls: list as string[], ...(username != null ? { username: username as string } : {}), ...(credential != null ? { credential: credential as string } : {}) })
  }
  return { servers }
}

/** Thrown when a file of ICE servers (the daemon's `--ice-servers`) cannot be read or is not valid */
export class InvalidIceServersError extends ParleyError {
  static override name = 'InvalidIceServersError'
  override name = 'InvalidIceServersError'
  override readonly kind = 'bad-input'
  override readonly code = 'INVALID_ICE_SERVERS'

  constructor (message = 'The ICE servers are not valid') {
    super(message)
  }
}
