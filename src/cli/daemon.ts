import { fileURLToPath } from 'node:url'
import { defaultLogger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import { startControlServer } from '../control/server.ts'
import { createParley } from '../parley.ts'
import { loadBootstrapList } from '../node/bootstrap-list.ts'
import { chooseNetworkMode } from '../node/network-mode.ts'
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
  /** Hold mailbox envelopes for others up to this many MiB (relays: 1024 unless set; 0: never) */
  mailboxBudgetMiB?: number
  /** For an encrypted data directory */
  passphrase?: string
  /** Where received files go. @default DATA/downloads */
  downloadDir?: string
}

export interface RunningDaemon {
  parley: Parley
  control: ControlServer
  lan: boolean
  mdns: boolean
  /** Which mode the node is in and why, for the line printed at start */
  mode: string
  stop(): Promise<void>
}

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
    ...(options.passphrase != null ? { passphrase: options.passphrase } : {}),
    ...(options.downloadDir != null ? { downloadDir: options.downloadDir } : {})
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
      await control.close()
      await parley.stop()
    }
  }
}

/** The options among `keys` that were given, so an absent flag stays absent */
function pick<T extends object, K extends keyof T> (options: T, ...keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter(k => options[k] != null).map(k => [k, options[k]])) as Partial<Pick<T, K>>
}

/** Thrown when a --listen, --announce or --bootstrap value is not a multiaddr */
export class InvalidMultiaddrError extends Error {
  static override name = 'InvalidMultiaddrError'
  override name = 'InvalidMultiaddrError'
}

function parseMultiaddr (input: string): Multiaddr {
  try {
    return multiaddr(input)
  } catch (err: any) {
    throw new InvalidMultiaddrError(`"${input}" is not a valid multiaddr: ${err.message}`)
  }
}

/**
 * Resolves once SIGINT or SIGTERM arrives; a second one while shutting down exits at once.
 */
export async function untilSignal (): Promise<string> {
  return new Promise(resolve => {
    let received = false
    const onSignal = (signal: string): void => {
      if (received) process.exit(130)
      received = true
      resolve(signal)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}
