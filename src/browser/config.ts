import { multiaddr } from '@multiformats/multiaddr'
import { ParleyError } from '../errors/index.ts'
import { parseIceServers } from '../node/ice-servers.ts'
import { CONFIG_URL } from './constants.ts'
import type { Multiaddr } from '@multiformats/multiaddr'

/** The IndexedDB databases' name prefix (and the Web Lock's name) */
export const PROFILE_NAME = 'parley'

export interface BrowserConfig {
  /** Relays to dial first: `/ws`, `/wss` or `/webrtc-direct/certhash/...` addresses with `/p2p/` */
  bootstrap: Multiaddr[]
  /**
   * Allow loopback and private addresses (a relay on this machine or LAN). Only the host of the
   * page decides this, never a URL parameter: a link must not be able to point a page at the
   * user's LAN.
   */
  lan: boolean
  /**
   * The disappearing-message timers this page offers and accepts, in seconds (0, off, among
   * them), when config.json names them; otherwise the node's defaults (30 s to 4 weeks). Both
   * sides of a conversation must allow a timer, so this is for test and development networks
   * whose nodes share short timers.
   */
  timers?: number[]
  /**
   * STUN and TURN servers for calls (as RTCPeerConnection takes them), e.g. a relay operator's
   * coturn. None by default: no third party learns of a call, and calls connect where the two
   * browsers reach each other.
   */
  iceServers?: RTCIceServer[]
  /** `relay`: every call through TURN (the contact never learns this browser's addresses) */
  iceTransportPolicy?: RTCIceTransportPolicy
}

/** A timer in config.json is at most this long: four weeks, the longest the node offers */
const MAX_TIMER_SECONDS = 28 * 86_400

/** Thrown when config.json is present but not valid */
export class InvalidConfigError extends ParleyError {
  static override name = 'InvalidConfigError'
  override name = 'InvalidConfigError'
  override readonly kind = 'bad-input'
  override readonly code = 'INVALID_CONFIG'

  constructor (message = 'config.json is not valid', options?: ErrorOptions) {
    super(message, options)
  }
}

/** Reads config.json; without one the page knows no relay and finds nobody until configured */
export async function loadConfig (fetchFn: typeof fetch = fetch): Promise<BrowserConfig> {
  const res = await fetchFn(CONFIG_URL, { cache: 'no-store' })
  if (res.status === 404) {
    return { bootstrap: [], lan: false }
  }
  if (!res.ok) {
    throw new InvalidConfigError(`${CONFIG_URL}: HTTP ${res.status}`)
  }
  return parseConfig(await res.json())
}

export function parseConfig (raw: unknown): BrowserConfig {
  const value = raw as { bootstrap?: unknown, lan?: unknown, timers?: unknown, iceServers?: unknown, iceTransportPolicy?: unknown }
  if (value == null || typeof value !== 'object') {
    throw new InvalidConfigError(`${CONFIG_URL} must hold a JSON object`)
  }
  const list = value.bootstrap ?? []
  if (!Array.isArray(list) || list.some(ma => typeof ma !== 'string')) {
    throw new InvalidConfigError(`${CONFIG_URL}: "bootstrap" must be an array of multiaddr strings`)
  }
  if (value.lan != null && typeof value.lan !== 'boolean') {
    throw new InvalidConfigError(`${CONFIG_URL}: "lan" must be true or false`)
  }
  const bootstrap = list.map((ma: string, i) => {
    try {
      const parsed = multiaddr(ma)
      if (parsed.getComponents().at(-1)?.name !== 'p2p') throw new Error('it does not end in /p2p/<PeerId>')
      return parsed
    } catch (err: any) {
      throw new InvalidConfigError(`${CONFIG_URL}: bootstrap[${i}] ${JSON.stringify(ma)}: ${err.message}`, { cause: err })
    }
  })
  const timers = value.timers != null ? parseTimers(value.timers) : undefined
  const iceServers = value.iceServers != null ? iceServersOf(value.iceServers) : undefined
  if (value.iceTransportPolicy != null && value.iceTransportPolicy !== 'all' && value.iceTransportPolicy !== 'relay') {
    throw new InvalidConfigError(`${CONFIG_URL}: "iceTransportPolicy" must be "all" or "relay"`)
  }
  return {
    bootstrap,
    lan: value.lan === true,
    ...(timers != null ? { timers } : {}),
    ...(iceServers != null ? { iceServers } : {}),
    ...(value.iceTransportPolicy != null ? { iceTransportPolicy: value.iceTransportPolicy } : {})
  }
}

function iceServersOf (raw: unknown): RTCIceServer[] {
  const parsed = parseIceServers(raw)
  if ('invalid' in parsed) throw new InvalidConfigError(`${CONFIG_URL}: "iceServers" ${parsed.invalid}`)
  return parsed.servers
}

function parseTimers (raw: unknown): number[] {
  const valid = Array.isArray(raw) && raw.length > 0 && raw.every(s => Number.isSafeInteger(s) && s >= 0 && s <= MAX_TIMER_SECONDS)
  if (!valid || !raw.includes(0)) {
    throw new InvalidConfigError(`${CONFIG_URL}: "timers" must be an array of whole seconds (0 to ${MAX_TIMER_SECONDS}) that includes 0 (off)`)
  }
  return [...new Set(raw as number[])].sort((a, b) => a - b)
}
