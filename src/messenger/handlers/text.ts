import { MessageRefusedError } from '../../protocols/chat/index.ts'
import { textFits } from '../content.ts'
import { expiredOnArrival, extrasFields, extrasOf } from './extras.ts'
import type { ContentHandler } from '../content-handlers.ts'

/** A text message, perhaps quoting an earlier one: one history entry */
export function textHandler (): ContentHandler<'text'> {
  return {
    take: async (incoming) => {
      const text = incoming.body.text
      if (!textFits(text)) {
        throw new MessageRefusedError('the message text is empty or too long')
      }
      const extras = extrasOf(incoming.content)
      if (expiredOnArrival(extras)) {
        await incoming.commitSession()
        return
      }
      await incoming.addMessage({ text, ...extras })
    },
    fieldsOf: async (record) => ({ text: record.text, ...extrasFields(record) })
  }
}
