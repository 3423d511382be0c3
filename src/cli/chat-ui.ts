import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { formatBytes, formatTime, qrCode, verificationLine } from './output.ts'
import { isGroupId } from '../groups/group-id.ts'
import { shownText } from '../messenger/shown-text.ts'
import { CALL_HELP, callCommands, callEventLine } from './chat-calls.ts'
import { CONVERSATION_HELP, conversationCommands, conversationEventLine } from './chat-conversation.ts'
import { GROUP_HELP, groupCommands } from './chat-groups.ts'
import type { ControlClient, ControlEvent } from '../control/client.ts'
import type { PublicMessage, TransferInfo } from '../events/public.ts'
import type { Readable, Writable } from 'node:stream'

const HELP = `Commands:
  /contacts               list contacts
  /add PEER NAME          save PEER (an address or parley:// invite) as NAME
  /remove NAME            forget a contact
  /open NAME|PEER         open a conversation; then type to send
  /history [N]            the last N messages here (default 20)
  /send-file PATH         offer a file to the open conversation
  /files                  file transfers, with their ids
  /cancel ID              stop a transfer (both sides)
  /resume ID              start a download now (one from a message request, or paused)
${CONVERSATION_HELP}
${GROUP_HELP}
${CALL_HELP}
  /verify [PEER] [mark|clear]
                          the safety number with PEER (or the open conversation's peer),
                          and whether you verified it; mark it once it matches theirs
  /peers                  current connections
  /id                     your address, invite and QR code
  /help                   this text
  /quit                   leave (Ctrl-D too)`

export interface ChatUiOptions {
  input: Readable
  output: Writable
  /** Ends the UI from outside (the daemon is shutting down) */
  signal?: AbortSignal
}

/**
 * The interactive chat: a prompt that sends to the open conversation and prints what arrives and
 * how sent messages fare, live. It only talks to the daemon's control API.
 */
export async function runChatUi (client: ControlClient, options: ChatUiOptions): Promise<void> {
  const out = options.output
  const rl = createInterface({ input: options.input, output: out, terminal: (out as any).isTTY === true })
  const names = new Map<string, string>()
  /** The open conversation: a peer's, or a group's (`peer` is then the group's id) */
  let open: { peer: string, label: string, group?: true } | undefined
  const events = new AbortController()
  const inFlight = new Set<Promise<void>>()

  const refreshNames = async (): Promise<void> => {
    names.clear()
    for (const c of await client.contacts()) names.set(c.peerId, c.name)
  }
  const label = (peer: string): string => names.get(peer) ?? `${peer.slice(0, 8)}…${peer.slice(-4)}`
  const tty = (out as any).isTTY === true
  let closed = false
  const print = (line: string): void => {
    // on a terminal, clear the half-typed prompt line, print, then redraw the prompt below
    out.write(tty ? `\r\x1b[K${line}\n` : `${line}\n`)
    if (tty && !closed) rl.prompt(true)
  }
  const setPrompt = (): void => { rl.setPrompt(open == null ? '> ' : `[${open.label}]> `) }
  const textOf = (m: PublicMessage): string => m.file != null ? `[file] ${m.file.name} (${formatBytes(m.file.size)}, id ${m.file.id.slice(0, 8)})` : shownText(m)
  const showMessage = (m: PublicMessage): string => {
    const who = m.direction === 'in' ? label(m.peer) : 'you'
    const status = m.direction === 'out' ? `  (${m.status}${m.error != null ? `: ${m.error}` : ''})` : ''
    return `[${formatTime(m.timestamp)}] ${who}: ${textOf(m)}${status}`
  }
  const showTransfer = (t: TransferInfo): string => {
    const percent = t.size > 0 ? ` ${Math.floor(t.bytes * 100 / t.size)}%` : ''
    const where = t.state === 'done' && t.direction === 'in' ? ` -> ${t.path}` : ''
    return `  ${t.id.slice(0, 8)} ${t.direction === 'in' ? 'from' : 'to'} ${label(t.peer)}: ${t.name} (${formatBytes(t.size)}) ${t.state}${percent}${where}${t.error != null ? ` (${t.error})` : ''}`
  }
  let selfId: string | undefined
  const conversation = {
    client,
    open: () => open?.peer,
    self: async () => { selfId ??= (await client.id()).peerId; return selfId },
    print,
    showMessage,
    label
  }
  /** The last state and quarter of progress printed per transfer: progress events come often */
  const shown = new Map<string, string>()
  const onEvent = (event: ControlEvent): void => {
    if (event.type === 'transfer') {
      const t = event.detail
      const step = `${t.state}:${t.size > 0 ? Math.floor(t.bytes * 4 / t.size) : 0}`
      if (shown.get(t.id) === step) return
      shown.set(t.id, step)
      print(showTransfer(t) + (t.state === 'offered' && t.direction === 'in' ? `; /resume ${t.id.slice(0, 8)} to download it` : ''))
      return
    }
    if (event.type === 'call') {
      const line = callEventLine(event, label)
      if (line != null) print(line)
      return
    }
    if (event.type !== 'message' && event.type !== 'status') {
      const line = conversationEventLine(event, conversation)
      if (line != null) print(line)
      return
    }
    const { type, detail: record } = event
    if (type === 'message' && isGroupId(record.conversation)) {
      print(showMessage(record) + (open?.peer === record.conversation ? '' : ` (in a group; /group ${record.conversation} to reply)`))
      return
    }
    if (type === 'message') {
      const where = open?.peer === record.peer ? '' : ` (from ${label(record.peer)}; /open ${names.get(record.peer) ?? record.peer} to reply)`
      print(showMessage(record) + where)
      // seen as it arrives in the open conversation: read (a read receipt, if they are on)
      if (open?.peer === record.peer) client.markRead(record.peer).catch((err: any) => { print(`Could not mark it read: ${err.message}`) })
    } else if (record.status !== 'sending' && record.call == null) {
      const text = textOf(record)
      print(`  → ${text.slice(0, 24)}${text.length > 24 ? '…' : ''} to ${label(record.peer)}: ${record.status}${record.error != null ? ` (${record.error})` : ''}`)
    }
  }
  /** A transfer named by its id or the start of it, as /files shows them */
  const transferId = async (prefix: string | undefined): Promise<string | undefined> => {
    if (prefix == null || prefix === '') return undefined
    const matches = (await client.files()).filter(t => t.id.startsWith(prefix.toLowerCase()))
    if (matches.length !== 1) print(matches.length === 0 ? `No transfer starts with ${prefix}` : `${prefix} names several transfers: give more of the id`)
    return matches.length === 1 ? matches[0].id : undefined
  }

  const commands: Record<string, (args: string[]) => Promise<void>> = {
    ...conversationCommands(conversation),
    ...callCommands({ client, print, label }),
    ...groupCommands({ client, print, showMessage, openGroup: (id, groupLabel) => { open = { peer: id, label: groupLabel, group: true }; setPrompt() }, openGroupId: () => open?.group === true ? open.peer : undefined }),
    help: async () => { print(HELP) },
    id: async () => {
      const id = await client.id()
      print(`${id.peerId}\n${id.invite}\n${await qrCode(id.invite)}`)
    },
    contacts: async () => {
      await refreshNames()
      const list = await client.contacts()
      print(list.length === 0 ? 'No contacts yet: /add PEER NAME' : list.map(c => `  ${c.name}  ${c.peerId}`).join('\n'))
    },
    add: async ([peer, ...name]) => {
      if (peer == null || name.length === 0) { print('usage: /add PEER NAME'); return }
      const contact = await client.addContact(peer, name.join(' '))
      names.set(contact.peerId, contact.name)
      print(`Saved ${contact.name} (${contact.peerId})`)
    },
    remove: async ([name]) => {
      if (name == null) { print('usage: /remove NAME'); return }
      await client.removeContact(name)
      await refreshNames()
      print(`Removed ${name}`)
    },
    open: async ([target]) => {
      if (target == null) { print('usage: /open NAME|PEER'); return }
      const history = await client.messages({ peer: target, limit: 20 })
      const contact = (await client.contacts()).find(c => c.name === target)
      const peer = contact?.peerId ?? history[0]?.peer ?? target.replace(/^parley:\/\//, '')
      open = { peer, label: label(peer) }
      setPrompt()
      print(`Conversation with ${open.label}${history.length > 0 ? '\n' + history.map(showMessage).join('\n') : ' (no messages yet)'}`)
      if (history.length > 0) await client.markRead(peer)
    },
    history: async ([n]) => {
      if (open == null) { print('Open a conversation first: /open NAME'); return }
      const history = await client.messages({ peer: open.peer, limit: Number(n ?? 20) || 20 })
      print(history.length === 0 ? '(no messages yet)' : history.map(showMessage).join('\n'))
    },
    verify: async (args) => {
      const change = args.at(-1) === 'mark' || args.at(-1) === 'clear' ? args.pop() : undefined
      const peer = args.length > 0 ? args.join(' ') : open?.group === true ? undefined : open?.peer
      if (peer == null) { print('usage: /verify [PEER] [mark|clear] (in a group: /members, then /verify NAME)'); return }
      const result = change == null ? await client.safetyNumber(peer) : await client.setVerified(peer, change === 'mark')
      print(`Safety number with ${label(result.peer)} (compare it with theirs):\n  ${result.safetyNumber}\n${verificationLine(result, `/verify ${args.length > 0 ? args.join(' ') + ' ' : ''}mark`)}`)
    },
    'send-file': async (args) => {
      if (open == null) { print('Open a conversation first: /open NAME'); return }
      if (args.length === 0) { print('usage: /send-file PATH'); return }
      const path = resolve(args.join(' '))
      const { transfer } = open.group === true ? await client.sendFileToGroup(open.peer, path) : await client.sendFile(open.peer, path)
      print(`Offered ${transfer.name} (${formatBytes(transfer.size)}) to ${open.label}; it is sent when they fetch it (id ${transfer.id.slice(0, 8)})`)
    },
    files: async () => {
      const list = await client.files()
      print(list.length === 0 ? 'No file transfers yet: /send-file PATH' : list.map(showTransfer).join('\n'))
    },
    cancel: async ([prefix]) => {
      const id = await transferId(prefix)
      if (id != null) print(showTransfer(await client.cancelFile(id)))
      else if (prefix == null) print('usage: /cancel ID')
    },
    resume: async ([prefix]) => {
      const id = await transferId(prefix)
      if (id != null) print(showTransfer(await client.resumeFile(id)))
      else if (prefix == null) print('usage: /resume ID')
    },
    peers: async () => {
      const peers = await client.peers()
      print(peers.length === 0 ? 'Not connected to anyone' : peers.map(p => `  ${label(p.peerId)}  ${p.address}${p.limited ? '  (relayed)' : ''}`).join('\n'))
    }
  }

  const handle = async (line: string): Promise<boolean> => {
    const trimmed = line.trim()
    if (trimmed === '') return true
    if (trimmed === '/quit' || trimmed === '/exit') return false
    try {
      if (trimmed.startsWith('/')) {
        const [name, ...args] = trimmed.slice(1).split(/\s+/)
        const command = commands[name]
        if (command == null) print(`Unknown command /${name}: /help lists them`)
        else await command(args)
      } else if (open == null) {
        print('Open a conversation first: /open NAME (or /add PEER NAME to save a contact)')
      } else {
        // the outcome arrives as a status event, so the prompt stays free meanwhile
        const sent = open.group === true ? client.sendToGroup(open.peer, line) : client.send(open.peer, line)
        const sending = sent.then(() => {}, (err: any) => { print(`Not sent: ${err.message}`) })
        inFlight.add(sending)
        void sending.finally(() => inFlight.delete(sending))
      }
    } catch (err: any) {
      print(`Error: ${err.message}`)
    }
    return true
  }

  let listening: Promise<void> = Promise.resolve()
  const setup = async (): Promise<boolean> => {
    await refreshNames()
    let subscribed!: () => void
    const ready = new Promise<void>(resolve => { subscribed = resolve })
    listening = client.events(onEvent, { signal: events.signal, ready: subscribed }).catch((err: any) => {
      print(`Lost the daemon's events: ${err.message}`)
      subscribed()
    })
    await ready
    print('Type /help for commands.')
    setPrompt()
    if (!closed) rl.prompt()
    return true
  }

  try {
    await new Promise<void>((resolve, reject) => {
      // lines are handled one at a time, in order, after set-up, even when piped in faster
      let queue = setup()
      queue.catch(reject)
      options.signal?.addEventListener('abort', () => { resolve() }, { once: true })
      rl.on('close', () => {
        closed = true
        void queue.then(() => { resolve() }, reject)
      })
      rl.on('line', line => {
        queue = queue.then(async (go) => go && await handle(line)).then(go => {
          if (!go) resolve()
          else if (!closed) rl.prompt()
          return go
        })
      })
    })
  } finally {
    // a message typed just before leaving still gets its first delivery attempt
    await Promise.allSettled(inFlight)
    events.abort()
    rl.close()
    await listening
  }
}
