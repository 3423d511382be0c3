import { action, clientFor } from '../context.ts'
import { listFiles, sendFile, transferId } from '../files.ts'
import { printJson } from '../output.ts'
import type { Command } from 'commander'

/** `send-file`, `files` (and `files cancel`, `files resume`) */
export function registerFileCommands (program: Command): void {
  program.command('send-file')
    .description('offer the file at PATH to PEER; it moves over a direct connection when they fetch it')
    .argument('<peer>')
    .argument('<path>')
    .option('--json', 'print JSON')
    .option('--no-wait', 'return once the offer is sent, without waiting for the transfer')
    .action(action(async (peer: string, path: string, opts, command: Command) => {
      await sendFile(clientFor(command), peer, path, { json: opts.json === true, wait: opts.wait !== false })
    }))

  const filesCommand = program.command('files')
    .description('file transfers, both ways: id, peer, name, size, state and path')
    .option('--json', 'print JSON')
    .action(action(async (opts, command: Command) => {
      await listFiles(clientFor(command), opts.json === true)
    }))

  for (const [verb, description] of [
    ['cancel', 'stop the transfer ID (or the start of it) at both ends'],
    ['resume', 'start the download ID now: one from a message request, a paused one, or one waiting for its sender']
  ] as const) {
    filesCommand.command(verb)
      .description(description)
      .argument('<id>')
      .option('--json', 'print JSON')
      .action(action(async (prefix: string, opts, command: Command) => {
        const client = clientFor(command)
        const id = await transferId(client, prefix)
        const transfer = verb === 'cancel' ? await client.cancelFile(id) : await client.resumeFile(id)
        if (opts.json === true || command.parent?.opts().json === true) printJson(transfer)
        else console.log(`${transfer.id} ${transfer.name}: ${transfer.state}`)
      }))
  }
}
