import { shownText } from '../../messenger/shown-text.ts'
import { action, clientFor, statusText } from '../context.ts'
import { messageRef } from './conversations.ts'
import { EXIT_FAILURE, formatTime, printJson } from '../output.ts'
import type { Command } from 'commander'

/** `send` (perhaps quoting), `messages` */
export function registerMessageCommands (program: Command): void {
  program.command('send')
    .description('send TEXT to PEER (an address, parley:// invite or contact name) via the running daemon')
    .argument('<peer>')
    .argument('<text>')
    .option('--reply-to <id>', 'quote message ID of the conversation')
    .option('--json', 'print JSON')
    .action(action(async (peer: string, text: string, opts, command: Command) => {
      const client = clientFor(command)
      const replyTo = opts.replyTo != null ? { replyTo: await messageRef(client, peer, opts.replyTo) } : {}
      const sent = await client.send(peer, text, replyTo)
      if (opts.json === true) printJson({ id: sent.id, status: sent.status, ...(sent.replicas != null ? { replicas: sent.replicas } : {}), ...(sent.error != null ? { error: sent.error } : {}) })
      else console.log(`${sent.id} ${statusText(sent)}`)
      if (sent.status === 'failed') process.exitCode = EXIT_FAILURE
    }))

  program.command('messages')
    .description('message history, oldest first')
    .option('--peer <peer>', 'only the conversation with PEER')
    .option('--group <group>', 'only GROUP\'s history (its id or name), each message with its sender')
    .option('--limit <n>', 'only the last N', (v: string) => Number(v))
    .option('--json', 'print JSON')
    .action(action(async (opts, command: Command) => {
      const client = clientFor(command)
      const messages = opts.group != null ? (await client.groupMessages(opts.group)).slice(opts.limit != null ? -opts.limit : 0) : await client.messages({ peer: opts.peer, limit: opts.limit })
      if (opts.json === true) {
        printJson(messages.map(({ conversation: _conversation, ...m }) => m))
        return
      }
      for (const m of messages) {
        console.log(`[${formatTime(m.timestamp)}] ${m.direction === 'in' ? '<' : '>'} ${m.peer}: ${shownText(m)}${m.direction === 'out' ? `  (${statusText(m)})` : ''}`)
      }
    }))
}
