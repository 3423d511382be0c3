import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import type { ContentHandler } from '../content-handlers.ts'
import type { MessageStore, SettingsStore } from '../../storage/types.ts'

/**
 * A read receipt: our messages it names are `read`. Taken only while this user has read
 * receipts on (off means neither sent nor shown, both ways); ids of messages not here are
 * skipped. Not history.
 */
export function readHandler (messages: MessageStore, settings: SettingsStore): ContentHandler<'read'> {
  return {
    take: async (incoming, options) => {
      if (!(await settings.get(options)).readReceipts) {
        await incoming.commitSession()
        return
      }
      const ids = incoming.body.read.ids.map(id => toHex(id, 'base16'))
      const read = await messages.markDelivered(incoming.conversation, ids, { ...options, status: 'read', also: incoming.sessionWrites })
      for (const record of read) incoming.emit('status', record)
    },
    fieldsOf: async (record) => ({ read: { ids: (record.reads ?? []).map(id => fromHex(id, 'base16')) } })
  }
}
