import { fileURLToPath } from 'node:url'
import { defaultLogger, logger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import { startControlServer } from '../control/server.ts'
import { createParley } from '../parley.ts'
import { loadBootstrapList } from '../node/bootstrap-list.ts'
import { chooseNetworkMode } from '../node/network-mode.ts'
import { releaseNativeTransports } from '../node/transports.ts'
import { CONTROL_STOP_BUDGET_MS, NATIVE_CLEANUP_BUDGET_MS, PARLEY_STOP_BUDGET_MS } from '../shutdown/constants.ts'
import { stopInSteps } from '../shutdown/steps.ts'
import { ParleyError } from '../errors/index.ts'
import type { ControlServer } from '../control/server.ts'
import type { Parley } from '../parley.ts'
import type { Multiaddr } from '@multiformats/multiaddr'

export const DEFAULT_BOOTSTRAP_FILE = fileURLToPath(new URL('../../bootstrap-nodes.json', import.meta.url))

export interface DaemonOptions {
  dataDir: string
  listen?: string[]
  announce?: string[]
  bootstrap?: string[]
  bootstrapList?: string
  relay?: boolean
  /** LAN mode by request; otherwise chosen from the bootstrap list (see `chooseNetworkMode`) */
  lan?: boolean
  /** mDNS on (true) or off (false); otherwise chosen with the mode (see `chooseNetworkMode`) */
  mdns?: boolean
  /** Relays: answer STUN binding requests on this UDP port (3478 unless set; 0: never) */
  stunPort?: number
  /** STUN/TURN servers for the node's WebRTC connections, besides its relays' STUN servers */
  iceServers?: RTCIceServer[]
  /** Hold mailbox envelopes for others up to this many MiB (relays: 1024 unless set; 0: never) */
  mailboxBudgetMiB?: number
  /** For an encrypted data directory */
  passphrase?: string
  /** Where received files go. @default DATA/downloads */
  downloadDir?: string
  /** A contact's file downloads at once up to this many MiB (2048 unless set) */
  autoDownloadMiB?: number
}

export interface RunningDaemon {
  parley: Parley
  control: ControlServer
  lan: boolean
  mdns: boolean
  /** Which mode the node is in and why, for the line printed at start */
  mode: string
  /**
   * Closes the control API, stops the node (see `Parley.stop`) and then releases the process's
   * WebRTC stack (`releaseNativeTransports`), so call it once per process, as the CLI does. Every
   * step runs within its budget (src/shutdown/constants.ts); if one overruns or fails, the rest
   * still run and this rejects with a `ShutdownError` naming it (the CLI exits 1).
   */
  stop(): Promise<void>
}

const log = logger('parley:stop')

/** Starts a node and its control API, the way `parley daemon` and `parley start` run them */
export async function startDaemon (options: DaemonOptions): Promise<RunningDaemon> {
  const bootstrap: Multiaddr[] = [
    ...await loadBootstrapList(options.bootstrapList ?? DEFAULT_BOOTSTRAP_FILE),
    ...(options.bootstrap ?? []).map(parseMultiaddr)
  ]
  const mode = chooseNetworkMode({ bootstrap, relay: options.relay === true, ...pick(options, 'lan', 'mdns') })
  const parley = await createParley({
    dataDir: options.dataDir,
    ...(options.listen != null && options.listen.length > 0 ? { listen: options.listen.map(a => parseMultiaddr(a).toString()) } : {}),
    ...(options.announce != null && options.announce.length > 0 ? { announce: options.announce.map(a => parseMultiaddr(a).toString()) } : {}),
    bootstrap,
    relay: options.relay === true,
    lan: mode.lan,
    mdns: mode.mdns,
    ...(options.mailboxBudgetMiB != null
      ? { mailboxHost: options.mailboxBudgetMiB === 0 ? false as const : { budgetBytes: options.mailboxBudgetMiB * 1024 * 1024 } }
      : {}),
    ...(options.stunPort != null ? { stun: options.stunPort === 0 ? false as const : { port: options.stunPort } } : {}),
    ...(options.iceServers != null ? { iceServers: options.iceServers } : {}),
    ...(options.passphrase != null ? { passphrase: options.passphrase } : {}),
    ...(options.downloadDir != null ? { downloadDir: options.downloadDir } : {}),
    ...(options.autoDownloadMiB != null ? { autoDownloadBytes: options.autoDownloadMiB * 1024 * 1024 } : {})
  })
  let control: ControlServer
  try {
    control = await startControlServer(parley, defaultLogger().forComponent('parley:control'))
  } catch (err) {
    await parley.stop()
    throw err
  }
  return {
    parley,
    control,
    lan: mode.lan,
    mdns: mode.mdns,
    mode: mode.reason,
    stop: async () => {
      await stopInSteps([
        { name: 'control API', budgetMs: CONTROL_STOP_BUDGET_MS, run: async () => control.close() },
        // its own steps are bounded; this budget is their sum
        { name: 'node', budgetMs: PARLEY_STOP_BUDGET_MS, run: async () => parley.stop() },
        // after libp2p, whether or not it stopped in time: this also ends the WebRTC-Direct
        // connections a hung listener close is waiting for
        { name: 'node-datachannel', budgetMs: NATIVE_CLEANUP_BUDGET_MS, run: releaseNativeTransports }
      ], log)
    }
  }
}

/** The options among `keys` that were given, so an absent flag stays absent */
function pick<T extends object, K extends keyof T> (options: T, ...keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter(k => options[k] != null).map(k => [k, options[k]])) as Partial<Pick<T, K>>
}

/** Thrown when a --listen, --announce or --bootstrap value is not a multiaddr */
export class InvalidMultiaddrError extends ParleyError {
  static override name = 'InvalidMultiaddrError'
  override name = 'InvalidMultiaddrError'
  override readonly kind = 'bad-input'
  override readonly code = 'INVALID_MULTIADDR'
}

function parseMultiaddr (input: string): Multiaddr {
  try {
    return multiaddr(input)
  } catch (err: any) {
    throw new InvalidMultiaddrError(`"${input}" is not a valid multiaddr: ${err.message}`)
  }
}

