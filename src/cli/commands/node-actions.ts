import { formatInvite } from '../../identity/invite.ts'
import { loadIdentity, loadOrCreateIdentity } from '../../identity/index.ts'
import { unlockKeyring } from '../../storage/keyring.ts'
import { onAddressChange } from '../address-events.ts'
import { runChatUi } from '../chat-ui.ts'
import { clientFor, dataDir, passphraseIfNeeded } from '../context.ts'
import { startDaemon } from '../daemon.ts'
import { daemonOptions } from '../daemon-options.ts'
import { exitAfterStop } from '../exit-after-stop.ts'
import { printJson, qrCode } from '../output.ts'
import { untilSignal } from '../until-signal.ts'
import type { NodeInfo } from '../../control/client.ts'
import type { Parley } from '../../parley.ts'
import type { Command } from 'commander'

/*
 * What `init`, `id`, `daemon` and `start` do: loaded only when one of them runs (node.ts
 * registers them), since it brings the node, its identity and its storage, which a client
 * command such as `contacts` never needs
 */

export async function initIdentity (opts: { json?: boolean }, command: Command): Promise<void> {
  const dir = dataDir(command)
  const { peerId, created } = await loadOrCreateIdentity(dir)
  const invite = formatInvite(peerId)
  if (opts.json === true) {
    printJson({ peerId: peerId.toString(), invite, created, dataDir: dir })
    return
  }
  console.log(`${created ? 'Created' : 'Loaded'} identity in ${dir}`)
  console.log(`address: ${peerId.toString()}\ninvite:  ${invite}\n${await qrCode(invite)}`)
}

/** This node's address read from its data directory, when no daemon runs to say it */
export async function idFromDataDir (opts: { passphraseFile?: string }, command: Command): Promise<NodeInfo> {
  const dir = dataDir(command)
  const passphrase = await passphraseIfNeeded(dir, opts.passphraseFile)
  const dataKey = passphrase != null ? await unlockKeyring(dir, passphrase) : undefined
  const { peerId } = await loadIdentity(dir, dataKey != null ? { dataKey } : {})
  return { peerId: peerId.toString(), invite: formatInvite(peerId), addresses: [] }
}

/** Runs the daemon until `signalled` (listened for before this module loaded) */
export async function runDaemon (opts: { json?: boolean, relay?: boolean, logPeers?: boolean }, command: Command, signalled: Promise<NodeJS.Signals>): Promise<void> {
  const daemon = await startDaemon(await daemonOptions(command))
  const { parley } = daemon
  const info = {
    event: 'ready',
    peerId: parley.peerId.toString(),
    invite: formatInvite(parley.peerId),
    addresses: parley.addresses().map(String),
    control: daemon.control.path,
    relay: opts.relay === true,
    lan: daemon.lan,
    mdns: daemon.mdns,
    mode: daemon.mode
  }
  if (opts.json === true) {
    printJson(info)
    if (opts.relay !== true || opts.logPeers === true) logPeers(parley)
    // a relay reservation, an address confirmed by autonat: what peers can now reach
    onAddressChange(parley.node, info.addresses, addresses => { printJson({ event: 'addresses', addresses }) })
  } else {
    console.log(`Parley ${info.relay ? 'relay' : 'node'} ${info.peerId}\n${info.mode}`)
    console.log(`invite:  ${info.invite}\ncontrol: ${info.control}\nlistening on:\n${info.addresses.map(a => `  ${a}`).join('\n')}`)
  }
  const signal = await signalled
  if (opts.json !== true) console.log(`${signal}: shutting down`)
  try {
    await daemon.stop()
  } finally {
    exitAfterStop()
  }
}

export async function startWithChat (command: Command): Promise<void> {
  const client = clientFor(command)
  const attached = await client.id().then(() => true, (err: any) => {
    if (err.name === 'DaemonNotRunningError') return false
    throw err
  })
  const daemon = attached ? undefined : await startDaemon(await daemonOptions(command))
  const id = await client.id()
  console.log(`Parley ${attached ? '(attached to the running daemon) ' : ''}${id.peerId}`)
  if (daemon != null) console.log(daemon.mode)
  console.log(`Share your invite: ${id.invite}\n${await qrCode(id.invite)}`)
  const stop = new AbortController()
  void untilSignal().then(() => { stop.abort() })
  await runChatUi(client, { input: process.stdin, output: process.stdout, signal: stop.signal })
  if (daemon != null) {
    console.log('Shutting down')
    try {
      await daemon.stop()
    } finally {
      exitAfterStop()
    }
  }
}

/**
 * A JSON-lines log of who connects (`peer:identify`), how (`connection:open`: relayed, or direct
 * once hole punching made it so) and who leaves, for scripts that wait for a peer. A relay prints
 * it only when asked (`--log-peers`): it would list every user and every circuit's two ends.
 */
function logPeers (parley: Parley): void {
  parley.node.addEventListener('peer:identify', evt => {
    printJson({ event: 'peer:identify', peerId: evt.detail.peerId.toString(), listenAddrs: evt.detail.listenAddrs.map(String) })
  })
  parley.node.addEventListener('connection:open', evt => {
    const conn = evt.detail
    printJson({ event: 'connection:open', peerId: conn.remotePeer.toString(), address: conn.remoteAddr.toString(), limited: conn.limits != null })
  })
  parley.node.addEventListener('peer:disconnect', evt => {
    printJson({ event: 'peer:disconnect', peerId: evt.detail.toString() })
  })
}
