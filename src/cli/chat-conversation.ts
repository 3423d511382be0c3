import type { ControlClient, ControlEvent, PublicMessage } from '../control/client.ts'
import type { MessageRef } from '../storage/types.ts'

export const CONVERSATION_HELP = `  /reply REF TEXT         send TEXT quoting message REF
  /react REF EMOJI        react with one emoji (/react REF alone takes it back)
  /edit REF TEXT          change your message REF
  /delete REF             delete your message REF for everyone
  /timer 30s|5m|1h|8h|1d|1w|4w|off
                          disappearing messages in the open conversation
  /read                   mark the open conversation read
  REF is ^1 for the last message here, ^2 the one before, or the start of a message id`

const DURATIONS: Record<string, number> = { off: 0, '30s': 30, '5m': 300, '1h': 3_600, '8h': 28_800, '1d': 86_400, '1w': 604_800, '4w': 2_419_200 }

export interface ConversationCommandContext {
  client: ControlClient
  /** The open conversation's peer, if one is open */
  open: () => string | undefined
  /** This node's PeerId */
  self: () => Promise<string>
  print: (line: string) => void
  showMessage: (m: PublicMessage) => string
  label: (peer: string) => string
}

/**
 * The chat's commands for what happens inside a conversation (replies, reactions, edits,
 * deletions, timers, reading), and the lines it prints for those events
 */
export function conversationCommands (ctx: ConversationCommandContext): Record<string, (args: string[]) => Promise<void>> {
  const { client, print } = ctx
  /** The message REF names in the open conversation */
  const find = async (peer: string, ref: string | undefined): Promise<PublicMessage | undefined> => {
    if (ref == null || ref === '') return undefined
    const history = await client.messages({ peer })
    const back = /^\^(\d+)$/.exec(ref)
    const matches = back != null ? [history.at(-Number(back[1]))].filter(m => m != null) : history.filter(m => m.id.startsWith(ref.toLowerCase()))
    if (matches.length !== 1) print(matches.length === 0 ? `No message ${ref} here` : `${ref} names several messages: give more of the id`)
    return matches.length === 1 ? matches[0] : undefined
  }
  const refOf = async (m: PublicMessage): Promise<MessageRef> => ({ id: m.id, author: m.direction === 'out' ? await ctx.self() : m.peer })
  /** Runs `fn` on the open conversation's peer and the message REF names; prints usage without them */
  const withMessage = (usage: string, fn: (peer: string, m: PublicMessage, rest: string[]) => Promise<void>) => async ([ref, ...rest]: string[]): Promise<void> => {
    const peer = ctx.open()
    if (peer == null) { print('Open a conversation first: /open NAME'); return }
    if (ref == null) { print(`usage: ${usage}`); return }
    const m = await find(peer, ref)
    if (m != null) await fn(peer, m, rest)
  }
  return {
    reply: withMessage('/reply REF TEXT', async (peer, m, words) => {
      if (words.length === 0) { print('usage: /reply REF TEXT'); return }
      await client.send(peer, words.join(' '), { replyTo: await refOf(m) })
    }),
    react: withMessage('/react REF EMOJI', async (peer, m, [emoji]) => {
      print(ctx.showMessage(await client.react(peer, await refOf(m), emoji ?? '')) + reactionsOf(await client.messages({ peer }).then(h => h.find(x => x.id === m.id)), ctx.label))
    }),
    edit: withMessage('/edit REF TEXT', async (peer, m, words) => {
      if (words.length === 0) { print('usage: /edit REF TEXT'); return }
      print(ctx.showMessage(await client.edit(peer, m.id, words.join(' '))))
    }),
    delete: withMessage('/delete REF', async (peer, m) => {
      print(ctx.showMessage(await client.deleteForEveryone(peer, m.id)))
    }),
    timer: async ([duration]) => {
      const peer = ctx.open()
      if (peer == null) { print('Open a conversation first: /open NAME'); return }
      const seconds = duration == null ? undefined : DURATIONS[duration]
      if (seconds == null) { print(`usage: /timer ${Object.keys(DURATIONS).join('|')}`); return }
      print(ctx.showMessage(await client.setTimer(peer, seconds)))
    },
    read: async () => {
      const peer = ctx.open()
      if (peer == null) { print('Open a conversation first: /open NAME'); return }
      print(`${await client.markRead(peer)} marked read`)
    }
  }
}

/** The line the chat prints for a conversation event, if any */
export function conversationEventLine (event: ControlEvent, ctx: Pick<ConversationCommandContext, 'open' | 'showMessage' | 'label'>): string | undefined {
  switch (event.type) {
    case 'changed':
      return `  ✎ ${ctx.showMessage(event.detail)}${reactionsOf(event.detail, ctx.label)}`
    case 'erased':
      return event.detail.conversation === ctx.open() ? '  (a disappearing message is gone)' : undefined
    case 'typing':
      return event.detail.typing && event.detail.peer === ctx.open() ? `  ${ctx.label(event.detail.peer)} is typing…` : undefined
    default:
      return undefined
  }
}

function reactionsOf (m: PublicMessage | undefined, label: (peer: string) => string): string {
  if (m?.reactions == null) return ''
  return '  ' + Object.entries(m.reactions).map(([who, emoji]) => `${emoji} ${label(who)}`).join(', ')
}
