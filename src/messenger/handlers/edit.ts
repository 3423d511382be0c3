import { fromString as fromHex } from 'uint8arrays/from-string'
import { MessageRefusedError } from '../../protocols/chat/index.ts'
import { textFits } from '../content.ts'
import { MAX_EDITS } from '../constants.ts'
import { decodeId } from '../message-ref.ts'
import { senderOwns } from './own-message.ts'
import type { ContentHandler } from '../content-handlers.ts'
import type { MessageRecord, MessageStore } from '../../storage/types.ts'

/** `record` with its text replaced, the one it had kept in its edit history */
export function edited (record: MessageRecord, text: string, at: number): MessageRecord {
  return { ...record, text, edits: [...record.edits ?? [], { text: record.text, editedAt: at }] }
}

/**
 * A peer's edit of its own earlier text: the text changes, the earlier one is kept in the
 * message's edit history. Refused: an edit of a message it did not write, of a deleted message,
 * of a file, or past MAX_EDITS.
 */
export function editHandler (messages: MessageStore): ContentHandler<'edit'> {
  return {
    take: async (incoming, options) => {
      const { edit } = incoming.body
      const id = decodeId(edit.messageId)
      if (!textFits(edit.text)) throw new MessageRefusedError('the edited text is empty or too long')
      if (!await senderOwns(messages, incoming.conversation, incoming.peer, id, options)) {
        await incoming.commitSession()
        return
      }
      const changed = await messages.update(incoming.conversation, 'in', id, record => {
        if (record.deleted === true) throw new MessageRefusedError('the message was deleted')
        if (record.file != null || record.timer != null) throw new MessageRefusedError('only a text can be edited')
        if ((record.edits?.length ?? 0) >= MAX_EDITS) throw new MessageRefusedError(`a message keeps at most ${MAX_EDITS} edits`)
        return edited(record, edit.text, Number(incoming.content.timestamp))
      }, { ...options, also: incoming.sessionWrites })
      if (changed != null) incoming.emit('changed', changed)
    },
    fieldsOf: async (record) => ({ edit: { messageId: fromHex(record.target!.id, 'base16'), text: record.text } })
  }
}
