import { MAX_TEXT_BYTES, MessageRefusedError } from '../../protocols/chat/index.ts'
import { expiredOnArrival, extrasFields, extrasOf } from './extras.ts'
import type { ContentHandler } from '../content-handlers.ts'

const encoder = new TextEncoder()

/** A text message, perhaps quoting an earlier one: one history entry */
export function textHandler (): ContentHandler<'text'> {
  return {
    take: async (incoming) => {
      const text = incoming.body.text
      if (text === '' || encoder.encode(text).byteLength > MAX_TEXT_BYTES) {
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
