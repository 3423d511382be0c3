import { shownText } from '../../messenger/shown-text.ts'
import { action, clientFor, statusText } from '../context.ts'
import { EXIT_FAILURE, formatTime, printJson } from '../output.ts'
import type { GroupInfo } from '../../events/group-info.ts'
import type { Command } from 'commander'

/** `group create|add|remove|promote|rename|leave|send|messages`, `groups` */
export function registerGroupCommands (program: Command): void {
  program.command('groups')
    .description('the groups this node is a member of (or was), with their members and admins')
    .option('--json', 'print JSON')
    .action(action(async (opts, command: Command) => {
      const groups = await clientFor(command).groups()
      if (opts.json === true) {
        printJson(groups.map(({ id, name, members, admins }) => ({ id, name, members, admins })))
        return
      }
      for (const g of groups) console.log(`${g.id} ${g.name} (${g.members.length} member${g.members.length === 1 ? '' : 's'}, ${g.admins.length} admin${g.admins.length === 1 ? '' : 's'})`)
    }))

  const group = program.command('group')
    .description('create a group, change its members, send to it: GROUP is its id or its (locally unique) name')

  group.command('create')
    .description('create group NAME, with this node as its only member and admin')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, opts, command: Command) => {
      const created = await clientFor(command).createGroup(name)
      if (opts.json === true) printJson({ id: created.id, name: created.name })
      else console.log(`${created.id} ${created.name}`)
    }))

  group.command('add')
    .description('add PEERs (addresses, parley:// invites or contact names) to GROUP: admins only')
    .argument('<group>')
    .argument('<peers...>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, peers: string[], opts, command: Command) => {
      printGroup(await clientFor(command).addToGroup(name, peers), opts.json === true)
    }))

  group.command('remove')
    .description('remove PEER from GROUP: admins only; it cannot read what is sent after')
    .argument('<group>')
    .argument('<peer>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, peer: string, opts, command: Command) => {
      printGroup(await clientFor(command).removeFromGroup(name, peer), opts.json === true)
    }))

  group.command('promote')
    .description('make members PEERs admins of GROUP: admins only')
    .argument('<group>')
    .argument('<peers...>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, peers: string[], opts, command: Command) => {
      printGroup(await clientFor(command).promoteInGroup(name, peers), opts.json === true)
    }))

  group.command('rename')
    .description('rename GROUP to NAME: admins only')
    .argument('<group>')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, to: string, opts, command: Command) => {
      printGroup(await clientFor(command).renameGroup(name, to), opts.json === true)
    }))

  group.command('leave')
    .description('leave GROUP: the other members are told')
    .argument('<group>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, opts, command: Command) => {
      printGroup(await clientFor(command).leaveGroup(name), opts.json === true)
    }))

  group.command('send')
    .description('send TEXT to GROUP: once encrypted, to the members online at once (the others get it later)')
    .argument('<group>')
    .argument('<text>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, text: string, opts, command: Command) => {
      const sent = await clientFor(command).sendToGroup(name, text)
      if (opts.json === true) printJson({ id: sent.id, status: sent.status, delivered: sent.delivered, members: sent.members })
      else console.log(`${sent.id} ${statusText(sent)} (to ${sent.delivered} of ${sent.members} member${sent.members === 1 ? '' : 's'} directly)`)
      if (sent.status === 'failed') process.exitCode = EXIT_FAILURE
    }))

  group.command('messages')
    .description('GROUP\'s history, oldest first')
    .argument('<group>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, opts, command: Command) => {
      const messages = await clientFor(command).groupMessages(name)
      if (opts.json === true) {
        printJson(messages.map(({ conversation: _conversation, ...m }) => m))
        return
      }
      for (const m of messages) console.log(`[${formatTime(m.timestamp)}] ${m.sender}: ${shownText(m)}`)
    }))
}

function printGroup (info: GroupInfo, json: boolean): void {
  if (json) printJson(info)
  else console.log(`${info.id} ${info.name}: ${info.members.join(' ')}`)
}
