import { registerGroupMessageCommands } from './group-messages.ts'
import { action, clientFor } from '../context.ts'
import { printJson } from '../output.ts'
import type { GroupInfo } from '../../events/group-info.ts'
import type { Contact } from '../../storage/types.ts'
import type { Command } from 'commander'

/** `group create|add|remove|promote|rename|leave|members`, `groups`, and the group message commands */
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

  group.command('members')
    .description('the members of GROUP: name, admin or not, and whether you verified the safety number with each')
    .argument('<group>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, opts, command: Command) => {
      const client = clientFor(command)
      const members = membersOf(await client.group(name), await client.contacts())
      if (opts.json === true) printJson(members)
      else for (const m of members) console.log(`${m.peer}  ${m.name ?? ''}${m.admin ? '  admin' : ''}  ${m.verified ? 'verified' : 'not verified'}`)
    }))

  registerGroupMessageCommands(group)
}

/** A group's member as `group members` shows it */
export interface MemberView {
  peer: string
  /** The user's name for it, if it is a contact */
  name?: string
  admin: boolean
  /** Whether the user marked the safety number with it as compared (`parley verify PEER --mark`) */
  verified: boolean
}

/** The members of a group, with their contact names, roles and safety-number states */
export function membersOf (info: GroupInfo & { verified: string[] }, contacts: Contact[]): MemberView[] {
  const names = new Map(contacts.map(c => [c.peerId, c.name]))
  return info.members.map(peer => {
    const name = names.get(peer)
    return { peer, ...(name != null ? { name } : {}), admin: info.admins.includes(peer), verified: info.verified.includes(peer) }
  })
}

function printGroup (info: GroupInfo, json: boolean): void {
  if (json) printJson(info)
  else console.log(`${info.id} ${info.name}: ${info.members.join(' ')}`)
}
