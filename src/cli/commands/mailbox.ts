import { action, clientFor, wantsJson } from '../context.ts'
import { printJson } from '../output.ts'
import type { Command } from 'commander'

/** `mailbox`, `mailbox check` */
export function registerMailboxCommands (program: Command): void {
  const mailboxCommand = program.command('mailbox')
    .description('offline mail: what this node holds for others')
    .option('--json', 'print JSON')
    .action(action(async (opts, command: Command) => {
      const info = await clientFor(command).mailbox()
      if (opts.json === true) printJson(info)
      else console.log(info.hosting ? `Holding ${info.items} envelopes (${info.bytes} bytes) for offline peers.` : 'Not holding mail for others (see --mailbox-budget).')
    }))

  mailboxCommand.command('check')
    .description('fetch your mail from the mailbox storers now')
    .option('--json', 'print JSON')
    .action(action(async (opts, command: Command) => {
      const result = await clientFor(command).checkMailbox()
      if (wantsJson(opts, command)) printJson(result)
      else console.log(`Asked ${result.storers} storers: ${result.fetched} new envelopes.`)
    }))
}
