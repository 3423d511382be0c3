import { formatInvite } from '../../identity/invite.ts'
import { loadIdentity, loadOrCreateIdentity } from '../../identity/index.ts'
import { unlockKeyring } from '../../storage/keyring.ts'
import { onAddressChange } from '../address-events.ts'
import { runChatUi } from '../chat-ui.ts'
import { action, clientFor, dataDir, passphraseIfNeeded } from '../context.ts'
import { startDaemon, untilSignal } from '../daemon.ts'
import { exitAfterStop } from '../exit-after-stop.ts'
import { daemonOptions, withDaemonOptions } from '../daemon-options.ts'
import { printJson, qrCode } from '../output.ts'
import type { Parley } from '../../parley.ts'
import type { Command } from 'commander'

/** `init`, `id`, `daemon`, `start`, `chat`: the identity, and running the node */
export function registerNodeCommands (program: Command): void {
  program.command('init')
    .description('create the identity if missing and print it')
    .option('--json', 'print JSON')
    .action(action(async (opts, command: Command) => {
      const dir = dataDir(command)
      const { peerId, created } = await loadOrCreateIdentity(dir)
      const invite = formatInvite(peerId)
      if (opts.json === true) {
        printJson({ peerId: peerId.toString(), invite, created, dataDir: dir })
        return
      }
      console.log(`${created ? 'Created' : 'Loaded'} identity in ${dir}`)
      console.log(`address: ${peerId.toString()}\ninvite:  ${invite}\n${await qrCode(invite)}`)
    }))

  program.command('id')
    .description("print this node's address, and the running daemon's multiaddrs")
    .option('--json', 'print JSON')
    .option('--passphrase-file <file>', 'for an encrypted data directory when no daemon runs')
    .action(action(async (opts, command: Command) => {
      const dir = dataDir(command)
      let peerId: string
      let addresses: string[] = []
      try {
        const running = await clientFor(command).id()
        peerId = running.peerId
        addresses = running.addresses
      } catch (err: any) {
        if (err.name !== 'DaemonNotRunningError') throw err
        const passphrase = await passphraseIfNeeded(dir, opts.passphraseFile)
        const dataKey = passphrase != null ? await unlockKeyring(dir, passphrase) : undefined
        peerId = (await loadIdentity(dir, dataKey != null ? { dataKey } : {})).peerId.toString()
      }
      if (opts.json === true) {
        printJson({ peerId, addresses })
        return
      }
      console.log(`${peerId}\n${formatInvite(peerId)}`)
      console.log(addresses.length === 0 ? '(no daemon running)' : addresses.join('\n'))
    }))

  withDaemonOptions(program.command('daemon'))
    .description('run the node in the foreground until SIGINT/SIGTERM')
    .option('--json', 'print the ready line as JSON')
    .option('--log-peers', 'relays, with --json: also print who connects and disconnects (a relay prints none of its users\' PeerIds unless asked)')
    .action(action(async (opts, command: Command) => {
      // listening before anything else: until a SIGTERM listener exists, Node's own handler ends
      // the process at once (killed by the signal, no clean stop), and a service manager may stop
      // a daemon right after its ready line; one stopped while it starts stops once it is up
      const signalled = untilSignal()
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
    }))

  withDaemonOptions(program.command('start'))
    .description('run the node with the interactive chat (what `npm start` runs)')
    .action(action(async (_opts, command: Command) => {
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
    }))

  program.command('chat')
    .description('open the interactive chat on the running daemon')
    .action(action(async (_opts, command: Command) => {
      const client = clientFor(command)
      await client.id()
      const stop = new AbortController()
      void untilSignal().then(() => { stop.abort() })
      await runChatUi(client, { input: process.stdin, output: process.stdout, signal: stop.signal })
    }))
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
