import { resolve } from 'node:path'
import { InvalidArgumentError } from 'commander'
import { shownText } from '../../messenger/shown-text.ts'
import { shown } from './conversations.ts'
import { action, clientFor, statusText } from '../context.ts'
import { EXIT_FAILURE, formatBytes, formatTime, printJson } from '../output.ts'
import type { ControlClient } from '../../control/client.ts'
import type { MessageRef } from '../../storage/types.ts'
import type { Command } from 'commander'

/** `group send|send-file|messages|read|react|edit|delete`: what members write into a group */
export function registerGroupMessageCommands (group: Command): void {
  group.command('send')
    .description('send TEXT to GROUP: once encrypted, to the members online at once (the others get it later)')
    .argument('<group>')
    .argument('<text>')
    .option('--reply-to <id>', 'quote message ID of the group')
    .option('--json', 'print JSON')
    .action(action(async (name: string, text: string, opts, command: Command) => {
      const client = clientFor(command)
      const replyTo = opts.replyTo != null ? { replyTo: await groupMessageRef(client, name, opts.replyTo) } : {}
      const sent = await client.sendToGroup(name, text, replyTo)
      if (opts.json === true) printJson({ id: sent.id, status: sent.status, delivered: sent.delivered, members: sent.members })
      else console.log(`${sent.id} ${statusText(sent)} (to ${sent.delivered} of ${sent.members} member${sent.members === 1 ? '' : 's'} directly)`)
      if (sent.status === 'failed') process.exitCode = EXIT_FAILURE
    }))

  group.command('send-file')
    .description('offer the file at PATH to GROUP: each member fetches it from your node, directly, when it reads the offer')
    .argument('<group>')
    .argument('<path>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, path: string, opts, command: Command) => {
      const { transfer, message } = await clientFor(command).sendFileToGroup(name, resolve(path))
      if (opts.json === true) printJson({ transfer, message })
      else console.log(`Offered ${transfer.name} (${formatBytes(transfer.size)}) to the group: ${message.id} ${statusText(message)}`)
      if (message.status === 'failed') process.exitCode = EXIT_FAILURE
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
      for (const m of messages) {
        const counts = m.direction === 'out' ? `  (delivered to ${m.deliveredTo?.length ?? 0}, read by ${m.readBy?.length ?? 0})` : ''
        console.log(`[${formatTime(m.timestamp)}] ${m.sender}: ${shownText(m)}${counts}`)
      }
    }))

  group.command('read')
    .description('mark GROUP read (its authors learn which of their messages you read, if both have read receipts on)')
    .argument('<group>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, opts, command: Command) => {
      const read = await clientFor(command).markGroupRead(name)
      if (opts.json === true) printJson({ read })
      else console.log(`${read} marked read`)
    }))

  group.command('react')
    .description('react to message ID of GROUP (any member\'s) with one EMOJI ("" takes it back)')
    .argument('<group>')
    .argument('<id>')
    .argument('<emoji>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, id: string, emoji: string, opts, command: Command) => {
      const client = clientFor(command)
      shown(await client.reactInGroup(name, await groupMessageRef(client, name, id), emoji), opts.json === true)
    }))

  group.command('edit')
    .description('replace the text of your message ID in GROUP, for every member')
    .argument('<group>')
    .argument('<id>')
    .argument('<text>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, id: string, text: string, opts, command: Command) => {
      shown(await clientFor(command).editInGroup(name, id, text), opts.json === true)
    }))

  group.command('delete')
    .description('delete your message ID in GROUP for every member (a tombstone stays)')
    .argument('<group>')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(action(async (name: string, id: string, opts, command: Command) => {
      shown(await clientFor(command).deleteInGroup(name, id), opts.json === true)
    }))
}

/** Message ID of the group, with its author (the sender of that message) */
async function groupMessageRef (client: ControlClient, group: string, id: string): Promise<MessageRef> {
  const found = (await client.groupMessages(group)).find(m => m.id === id)
  if (found == null) throw new InvalidArgumentError(`no message ${id} in group ${group}`)
  return { id, author: found.sender }
}
