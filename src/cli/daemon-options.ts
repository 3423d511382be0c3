import { InvalidArgumentError } from 'commander'
import { collect, dataDir, passphraseIfNeeded } from './context.ts'
import { readIceServersFile } from './ice-servers-file.ts'
import type { DaemonOptions } from './daemon.ts'
import type { Command } from 'commander'

/** The options of the commands that run a node (`daemon`, `start`), as `startDaemon` takes them */
export async function daemonOptions (command: Command): Promise<DaemonOptions> {
  const o = command.opts()
  const dir = dataDir(command)
  const passphrase = await passphraseIfNeeded(dir, o.passphraseFile)
  return {
    ...(passphrase != null ? { passphrase } : {}),
    dataDir: dataDir(command),
    listen: o.listen,
    announce: o.announce,
    bootstrap: o.bootstrap,
    bootstrapList: o.bootstrapList,
    relay: o.relay,
    lan: o.lan,
    mdns: o.mdns,
    ...(o.mailboxBudget != null ? { mailboxBudgetMiB: o.mailboxBudget } : {}),
    ...(o.stunPort != null ? { stunPort: o.stunPort } : {}),
    ...(o.iceServers != null ? { iceServers: await readIceServersFile(o.iceServers) } : {}),
    ...(o.downloads != null ? { downloadDir: o.downloads } : {}),
    ...(o.autoDownload != null ? { autoDownloadMiB: o.autoDownload } : {})
  }
}

function udpPort (value: string): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('a UDP port, 1 to 65535, or 0')
  return n
}

function budget (value: string): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('a whole number of MiB, 0 or more')
  return n
}

export function withDaemonOptions (command: Command): Command {
  return command
    .option('--listen <multiaddr>', 'listen on this address (repeatable)', collect)
    .option('--announce <multiaddr>', 'announce this address instead of the listening ones (repeatable)', collect)
    .option('--bootstrap <multiaddr>', 'bootstrap node to add to bootstrap-nodes.json (repeatable)', collect)
    .option('--bootstrap-list <file>', 'read the bootstrap list from this file instead of bootstrap-nodes.json')
    .option('--relay', 'run as a bootstrap/relay node: DHT server, circuit relay, WebSockets')
    .option('--lan', 'allow private and loopback addresses (on by default when every bootstrap node is local, or a user node has none)')
    .option('--mdns', 'announce this node to the local network and find peers there by multicast DNS (default: in LAN mode only)')
    .option('--no-mdns', 'never use multicast DNS')
    .option('--stun-port <port>', 'relays: answer STUN on this UDP port, so users behind NATs can connect directly (default: 3478; 0: never)', udpPort)
    .option('--ice-servers <file>', 'STUN/TURN servers for WebRTC connections: a JSON array, as a page\'s config.json "iceServers" (default: none but your relays\' STUN)')
    .option('--mailbox-budget <MiB>', 'hold offline peers\' mail up to this many MiB (relays: 1024 by default; 0: never)', budget)
    .option('--passphrase-file <file>', 'the passphrase of an encrypted data directory (else $PARLEY_PASSPHRASE, else a prompt)')
    .option('--downloads <dir>', 'save received files here (default: DATA/downloads)')
    .option('--auto-download <MiB>', 'download a contact\'s file at once up to this many MiB; larger ones wait for "files resume" (default: 2048)', budget)
}

