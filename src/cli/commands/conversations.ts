import { timerText, shownText } from '../../messenger/shown-text.ts'
import { action, clientFor } from '../context.ts'
import { formatTime, printJson } from '../output.ts'
import { InvalidArgumentError } from 'commander'
import type { ControlClient, PublicMessage } from '../../control/client.ts'
import type { MessageRef } from '../../storage/types.ts'
import type { Command } from 'commander'

/** `conversations`, `read`, `react`, `edit`, `delete`, `timer`, `settings` */
export function registerConversationCommands (program: Command): void {
  program.command('conversations')
    .description('conversations, the latest first, with their last message, unread count and disappearing timer')
    .option('--json', 'print JSON')
    .action(action(async (opts, command: Command) => {
      const conversations = await clientFor(command).conversations()
      if (opts.json === true) {
        printJson(conversations.map(({ id, peer, unread, timer, last }) => ({ id, peer, unread, timer: timer ?? 0, ...(last != null ? { last: { id: last.id, direction: last.direction, text: last.text, timestamp: last.timestamp, status: last.status } } : {}) })))
        return
      }
      for (const c of conversations) {
        const last = c.last == null ? '' : ` [${formatTime(c.last.timestamp)}] ${c.last.direction === 'in' ? '<' : '>'} ${shownText(c.last)}`
        console.log(`${c.peer}${c.unread > 0 ? ` (${c.unread} unread)` : ''}${c.timer != null ? ` (disappearing: ${timerText(c.timer)})` : ''}${last}`)
      }
    }))

  program.command('read')
    .description('mark the conversation with PEER read (the peer sees read receipts if both have them on)')
    .argument('<peer>')
    .option('--json', 'print JSON')
    .action(action(async (peer: string, opts, command: Command) => {
      const read = await clientFor(command).markRead(peer)
      if (opts.json === true) printJson({ read })
      else console.log(`${read} marked read`)
    }))

  program.command('react')
    .description('react to message ID of the conversation with PEER with one EMOJI ("" takes it back)')
    .argument('<peer>')
    .argument('<id>')
    .argument('<emoji>')
    .option('--json', 'print JSON')
    .action(action(async (peer: string, id: string, emoji: string, opts, command: Command) => {
      const client = clientFor(command)
      shown(await client.react(peer, await messageRef(client, peer, id), emoji), opts.json === true)
    }))

  program.command('edit')
    .description('replace the text of your message ID to PEER (the earlier text is kept as its history)')
    .argument('<peer>')
    .argument('<id>')
    .argument('<text>')
    .option('--json', 'print JSON')
    .action(action(async (peer: string, id: string, text: string, opts, command: Command) => {
      shown(await clientFor(command).edit(peer, id, text), opts.json === true)
    }))

  program.command('delete')
    .description('delete your message ID to PEER for everyone (a tombstone stays)')
    .argument('<peer>')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(action(async (peer: string, id: string, opts, command: Command) => {
      shown(await clientFor(command).deleteForEveryone(peer, id), opts.json === true)
    }))

  program.command('timer')
    .description('set the disappearing-message timer of the conversation with PEER: 30s, 5m, 1h, 8h, 1d, 1w, 4w or off')
    .argument('<peer>')
    .argument('<duration>', 'how long messages stay', parseDuration)
    .option('--json', 'print JSON')
    .action(action(async (peer: string, seconds: number, opts, command: Command) => {
      shown(await clientFor(command).setTimer(peer, seconds), opts.json === true)
    }))

  program.command('settings')
    .description('show or change what your node tells others: read receipts (on by default), typing indicators (off)')
    .option('--read-receipts <on|off>', 'send and show read receipts', parseSwitch)
    .option('--typing <on|off>', 'send and show typing indicators', parseSwitch)
    .option('--json', 'print JSON')
    .action(action(async (opts, command: Command) => {
      const client = clientFor(command)
      const change = { ...(opts.readReceipts != null ? { readReceipts: opts.readReceipts } : {}), ...(opts.typing != null ? { typingIndicators: opts.typing } : {}) }
      const settings = Object.keys(change).length > 0 ? await client.changeSettings(change) : await client.settings()
      if (opts.json === true) printJson(settings)
      else console.log(`read receipts: ${settings.readReceipts ? 'on' : 'off'}\ntyping indicators: ${settings.typingIndicators ? 'on' : 'off'}`)
    }))
}

/**
 * The reference to message `id` of the conversation with `peer`: its author is this node for
 * a message it sent, the peer for one it received
 */
export async function messageRef (client: ControlClient, peer: string, id: string): Promise<MessageRef> {
  const found = (await client.messages({ peer })).find(m => m.id === id)
  if (found == null) throw new InvalidArgumentError(`no message ${id} in the conversation with ${peer}`)
  return { id, author: found.direction === 'out' ? (await client.id()).peerId : found.peer }
}

const DURATIONS: Record<string, number> = { off: 0, '0': 0, '30s': 30, '5m': 300, '1h': 3_600, '8h': 28_800, '1d': 86_400, '1w': 604_800, '4w': 2_419_200 }

function parseDuration (value: string): number {
  const seconds = DURATIONS[value]
  if (seconds == null) throw new InvalidArgumentError(`one of ${Object.keys(DURATIONS).join(', ')}`)
  return seconds
}

function parseSwitch (value: string): boolean {
  if (value !== 'on' && value !== 'off') throw new InvalidArgumentError('on or off')
  return value === 'on'
}

/** A message as a command that changed it prints it: JSON, or its id, text and reactions */
export function shown (message: PublicMessage, json: boolean): void {
  if (json) printJson(message)
  else console.log(`${message.id} ${shownText(message)}${message.reactions != null ? `  ${Object.values(message.reactions).join(' ')}` : ''}`)
}
