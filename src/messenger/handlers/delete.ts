import { fromString as fromHex } from 'uint8arrays/from-string'
import { decodeId } from '../message-ref.ts'
import { senderOwns } from './own-message.ts'
import type { ContentHandler } from '../content-handlers.ts'
import type { MessageRecord, MessageStore } from '../../storage/types.ts'

/** What stays of a message deleted for everyone: who, when and where, none of what it said */
export function tombstone (record: MessageRecord): MessageRecord {
  const { id, conversation, peer, direction, timestamp, status, seq, expiresAt } = record
  return { id, conversation, peer, direction, text: '', timestamp, status, seq, deleted: true, ...(expiresAt != null ? { expiresAt } : {}) }
}

/**
 * A peer's deletion of its own earlier message, for everyone: its content is erased here too, a
 * tombstone stays. One naming a message the peer did not write is refused.
 */
export function deleteHandler (messages: MessageStore): ContentHandler<'delete'> {
  return {
    take: async (incoming, options) => {
      const id = decodeId(incoming.body.delete.messageId)
      if (!await senderOwns(messages, incoming.conversation, incoming.peer, id, options)) {
        await incoming.commitSession()
        return
      }
      let before: MessageRecord | undefined
      const changed = await messages.update(incoming.conversation, 'in', id, record => {
        if (record.deleted === true) return undefined
        before = record
        return tombstone(record)
      }, { ...options, also: incoming.sessionWrites })
      if (changed == null || before == null) return
      incoming.emit('deleted', before)
      incoming.emit('changed', changed)
    },
    fieldsOf: async (record) => ({ delete: { messageId: fromHex(record.target!.id, 'base16') } })
  }
}
