import { callText } from '../messenger/shown-text.ts'
import { formatTime } from './output.ts'
import type { ControlClient, ControlEvent } from '../control/client.ts'

export const CALL_HELP = `  /calls                  the call history
  /decline [ID]           decline the call ringing now (calls are answered in the web app)`

export interface CallCommandContext {
  client: ControlClient
  print: (line: string) => void
  label: (peer: string) => string
}

/**
 * The chat's commands for calls: the history, and declining a call that rings (a node on the
 * command line has no camera or microphone: a call is answered in the web app)
 */
export function callCommands (ctx: CallCommandContext): Record<string, (args: string[]) => Promise<void>> {
  const { client, print, label } = ctx
  return {
    calls: async () => {
      const calls = await client.calls()
      print(calls.length === 0 ? 'No calls yet' : calls.map(c => `  [${formatTime(c.timestamp)}] ${label(c.peer)}: ${callText(c, c.direction)}`).join('\n'))
    },
    decline: async ([prefix]) => {
      const ringing = (await client.activeCalls()).filter(c => c.direction === 'in' && c.state === 'ringing' && (prefix == null || c.id.startsWith(prefix.toLowerCase())))
      if (ringing.length !== 1) {
        print(ringing.length === 0 ? 'No call rings now' : 'Several calls ring: /decline ID')
        return
      }
      await client.declineCall(ringing[0].id)
      print(`Declined the call from ${label(ringing[0].peer)}`)
    }
  }
}

/** The line the chat prints for a call event: a call ringing here (how it ended is its history entry) */
export function callEventLine (event: ControlEvent, label: (peer: string) => string): string | undefined {
  if (event.type !== 'call') return undefined
  const call = event.detail
  if (call.direction !== 'in' || call.state !== 'ringing') return undefined
  return `Incoming ${call.video ? 'video call' : 'call'} from ${label(call.peer)} (${call.id.slice(0, 8)}): answer it in the web app, or /decline`
}
