import { toString as toHex } from 'uint8arrays/to-string'
import { fromString as fromHex } from 'uint8arrays/from-string'
import type { ContentHandler } from '../content-handlers.ts'
import type { MessageStore } from '../../storage/types.ts'

/**
 * An end-to-end delivery receipt (for what reached the peer through a mailbox): our messages it
 * names are `delivered`, in the write that keeps the session's new state. Not history.
 */
export function receiptHandler (messages: MessageStore): ContentHandler<'receipt'> {
  return {
    take: async (incoming, options) => {
      const ids = incoming.body.ids.map(id => toHex(id, 'base16'))
      const delivered = await messages.markDelivered(incoming.conversation, ids, { ...options, also: incoming.sessionWrites })
      for (const record of delivered) incoming.emit('status', record)
    },
    fieldsOf: async (record) => ({ delivers: (record.delivers ?? []).map(id => fromHex(id, 'base16')) })
  }
}
