import { membersOf } from './commands/groups.ts'
import type { ControlClient, PublicMessage } from '../control/client.ts'

export const GROUP_HELP = `  /groups                 your groups, with their ids
  /group NAME|ID          open a group; then type to send to it
  /members                the open group's members, and whether you verified each`

export interface GroupCommandContext {
  client: ControlClient
  print: (line: string) => void
  showMessage: (m: PublicMessage) => string
  /** Opens the group `id`, shown as `label` */
  openGroup: (id: string, label: string) => void
  /** The open group's id, if a group is open */
  openGroupId: () => string | undefined
}

/**
 * The chat's commands for groups: listing them, opening one (a group's history shows its
 * senders), its members with the safety-number state of each
 */
export function groupCommands (ctx: GroupCommandContext): Record<string, (args: string[]) => Promise<void>> {
  const { client, print } = ctx
  return {
    groups: async () => {
      const groups = await client.groups()
      print(groups.length === 0 ? 'No groups yet: parley group create NAME' : groups.map(g => `  ${g.name}  ${g.id}  (${g.members.length} members)`).join('\n'))
    },
    group: async (args) => {
      if (args.length === 0) { print('usage: /group NAME|ID'); return }
      const group = await client.groupMessages(args.join(' ')).then(async history => ({ history, info: (await client.groups()).find(g => g.id === args[0] || g.name === args.join(' ')) }))
      if (group.info == null) { print(`No group ${args.join(' ')}`); return }
      ctx.openGroup(group.info.id, `#${group.info.name}`)
      const last = group.history.slice(-20)
      print(`Group ${group.info.name} (${group.info.members.length} members)${last.length > 0 ? '\n' + last.map(ctx.showMessage).join('\n') : ' (no messages yet)'}`)
    },
    members: async () => {
      const id = ctx.openGroupId()
      if (id == null) { print('Open a group first: /group NAME'); return }
      const self = (await client.id()).peerId
      const members = membersOf(await client.group(id), await client.contacts())
      print(members.map(m => `  ${m.peer === self ? 'you' : m.name ?? m.peer}${m.admin ? ' (admin)' : ''}${m.peer === self ? '' : m.verified ? '  verified' : '  not verified: /verify ' + (m.name ?? m.peer)}`).join('\n'))
    }
  }
}
