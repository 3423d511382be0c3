import { callText } from '../../messenger/shown-text.ts'
import { action, clientFor, wantsJson } from '../context.ts'
import { printJson } from '../output.ts'
import type { CallInfo } from '../../calls/calls.ts'
import type { Command } from 'commander'

/** `calls`, `calls active`, `calls decline`, `calls hang-up`: a node on the command line has no media; calls are answered in the web app */
export function registerCallCommands (program: Command): void {
  const calls = program.command('calls')
    .description('the call history, oldest first (calls are answered in the web app)')
    .option('--json', 'print JSON')
    .action(action(async (opts, command: Command) => {
      const list = await clientFor(command).calls()
      if (opts.json === true) {
        printJson(list)
        return
      }
      for (const c of list) console.log(`${new Date(c.timestamp).toISOString().slice(0, 16).replace('T', ' ')}  ${c.peer}  ${callText(c, c.direction)}`)
    }))

  calls.command('active')
    .description('the calls ringing or under way')
    .option('--json', 'print JSON')
    .action(action(async (opts, command: Command) => {
      const list = await clientFor(command).activeCalls()
      if (wantsJson(opts, command)) printJson(list)
      else for (const c of list) printCall(c, false)
    }))

  calls.command('decline')
    .description('decline the call ID that rings now')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(action(async (id: string, opts, command: Command) => {
      printCall(await clientFor(command).declineCall(id), wantsJson(opts, command))
    }))

  calls.command('hang-up')
    .description('end the call ID (or call it off while it rings)')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(action(async (id: string, opts, command: Command) => {
      printCall(await clientFor(command).hangUp(id), wantsJson(opts, command))
    }))
}

function printCall (call: CallInfo, json: boolean): void {
  if (json) printJson(call)
  else console.log(`${call.id} ${call.peer}: ${call.state}${call.reason != null ? ` (${call.reason})` : ''}`)
}
