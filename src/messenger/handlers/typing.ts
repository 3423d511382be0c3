import { TYPING_MIN_INTERVAL_MS } from '../constants.ts'
import type { ContentHandler } from '../content-handlers.ts'
import type { SettingsStore } from '../../storage/types.ts'

/**
 * A peer is typing, or stopped: announced, never stored (only the session moves on). Shown only
 * for a known peer, while this user has typing indicators on; a flood is cut to one announcement per peer per
 * TYPING_MIN_INTERVAL_MS, except that a change of state always goes through.
 */
export function typingHandler (settings: SettingsStore, now: () => number = Date.now): ContentHandler<'typing'> {
  const last = new Map<string, { typing: boolean, at: number }>()
  return {
    take: async (incoming, options) => {
      await incoming.commitSession()
      // a stranger's typing is nothing to show: its messages wait as a request
      if (!incoming.known || !(await settings.get(options)).typingIndicators) return
      const typing = incoming.body.typing.typing
      const previous = last.get(incoming.peer)
      const at = now()
      if (previous != null && previous.typing === typing && at - previous.at < TYPING_MIN_INTERVAL_MS) return
      // one entry per peer that wrote: bounded by the peers with sessions here
      last.set(incoming.peer, { typing, at })
      incoming.emit('typing', { peer: incoming.peer, typing })
    },
    fieldsOf: async (record) => ({ typing: { typing: record.typing === true } })
  }
}
