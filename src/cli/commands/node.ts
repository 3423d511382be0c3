import { runChatUi } from '../chat-ui.ts'
import { action, clientFor } from '../context.ts'
import { withDaemonOptions } from '../daemon-options.ts'
import { printJson } from '../output.ts'
import { untilSignal } from '../until-signal.ts'
import { guardUdpMuxListeners } from '../../node/udp-mux-guard.ts'
import type * as NodeActions from './node-actions.ts'
import type { Command } from 'commander'

/**
 * The commands' bodies, which bring the node: loaded when one of them runs, after the guard that
 * must be in place before anything loads node-datachannel (src/node/udp-mux-guard.ts)
 */
async function actions (): Promise<typeof NodeActions> {
  guardUdpMuxListeners()
  return import('./node-actions.ts')
}

/** `init`, `id`, `daemon`, `start`, `chat`: the identity, and running the node */
export function registerNodeCommands (program: Command): void {
  program.command('init')
    .description('create the identity if missing and print it')
    .option('--json', 'print JSON')
    .action(action(async (opts, command: Command) => {
      await (await actions()).initIdentity(opts, command)
    }))

  program.command('id')
    .description("print this node's address, and the running daemon's multiaddrs")
    .option('--json', 'print JSON')
    .option('--passphrase-file <file>', 'for an encrypted data directory when no daemon runs')
    .action(action(async (opts, command: Command) => {
      // the daemon says it, else the data directory (which takes the identity's code)
      const info = await clientFor(command).id().catch(async (err: any) => {
        if (err.name !== 'DaemonNotRunningError') throw err
        return (await actions()).idFromDataDir(opts, command)
      })
      if (opts.json === true) {
        printJson({ peerId: info.peerId, addresses: info.addresses })
        return
      }
      console.log(`${info.peerId}\n${info.invite}`)
      console.log(info.addresses.length === 0 ? '(no daemon running)' : info.addresses.join('\n'))
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
      await (await actions()).runDaemon(opts, command, signalled)
    }))

  withDaemonOptions(program.command('start'))
    .description('run the node with the interactive chat (what `npm start` runs)')
    .action(action(async (_opts, command: Command) => {
      await (await actions()).startWithChat(command)
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
