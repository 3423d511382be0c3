import { fromString as fromBase64 } from 'uint8arrays/from-string'
import { decodeCallSignal } from './call-signal.ts'
import type { Calls } from './calls.ts'
import type { ContentHandler } from '../messenger/content-handlers.ts'
import type { Logger } from '@libp2p/interface'

/**
 * Call signalling inside end-to-end encrypted messages (the `call` content kind): a signal that
 * does not decode is dropped (logged); a stranger's invite never rings, it is a missed call in
 * the stranger's message request (stored as its messages are, with the session's new state);
 * anything else of a stranger's is dropped, and an accepted peer's goes to `calls` once the
 * session's new state has landed (what `calls` sends back is encrypted in it)
 */
export function callHandler (calls: Calls, log: Logger): ContentHandler<'call'> {
  return {
    take: async (incoming) => {
      let message
      try {
        message = decodeCallSignal(incoming.body.signal)
      } catch (err: any) {
        await incoming.commitSession()
        log('a call signal from %s refused - %s', incoming.peer, err.message)
        return
      }
      if (!incoming.known) {
        if (message.signal.kind !== 'invite') {
          await incoming.commitSession()
          return
        }
        log('a call from %s, not accepted: a missed call in its request, not rung', incoming.peer)
        await incoming.addMessage({ text: '', call: { video: message.signal.video, outcome: 'missed', reason: 'stranger' } })
        return
      }
      await incoming.commitSession()
      await calls.receive(incoming.peer, message, { sentAt: Number(incoming.content.timestamp) })
    },
    fieldsOf: async (record) => {
      if (record.payload == null) throw new Error('a call record without its signal')
      return { call: fromBase64(record.payload, 'base64') }
    }
  }
}
