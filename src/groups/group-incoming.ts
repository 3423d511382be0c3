import { toString as toHex } from 'uint8arrays/to-string'
import { unpad } from '../crypto/padding.ts'
import { bodyOf, decodeContent } from '../messenger/content.ts'
import { MESSAGE_ID_BYTES, MessageRefusedError } from '../protocols/chat/index.ts'
import type { GroupRecord } from './group-record.ts'
import type { BodyKind } from '../messenger/content.ts'
import type { ContentHandlers } from '../messenger/content-handlers.ts'
import type { MessengerEvents } from '../messenger/events.ts'
import type { MessageRecord, MessageStore } from '../storage/types.ts'
import type { AbortOptions } from '@libp2p/interface'

/**
 * What a member may send to the whole group (a file's offer; members fetch the file from its
 * author). Receipts go to a message's author alone, over the pairwise session; the group's
 * timer and membership are changes (src/groups/change.ts).
 */
export const GROUP_CONTENT_KINDS: ReadonlySet<BodyKind> = new Set(['text', 'file', 'reaction', 'edit', 'delete'])

export interface GroupIncomingComponents {
  content: ContentHandlers
  messages: MessageStore
  self: string
}

/** What a group message did here: the history entry it added, and the events to announce after */
export interface GroupIncomingResult {
  added?: MessageRecord
  announced: Array<{ type: keyof MessengerEvents, detail: any }>
}

/**
 * Takes a group message a member wrote, decrypted: through the same content handlers as a
 * direct message's, with the group as the conversation and every one-time member as a possible
 * author of what it names (a reaction, a quote). Kinds not sent to groups are dropped.
 *
 * @throws {MessageRefusedError} (or the content's decoding errors) for what a handler refuses
 */
export async function takeGroupContent (components: GroupIncomingComponents, record: GroupRecord, author: string, plaintext: Uint8Array, options: AbortOptions = {}): Promise<GroupIncomingResult> {
  const content = decodeContent(unpad(plaintext))
  if (content.id.byteLength !== MESSAGE_ID_BYTES) throw new MessageRefusedError('the message id is malformed')
  const body = bodyOf(content)
  const result: GroupIncomingResult = { announced: [] }
  if (!GROUP_CONTENT_KINDS.has(body.kind)) return result
  const handler = components.content.forIncoming(body.kind)
  if (handler == null) return result
  await handler.take({
    peer: author,
    conversation: record.id,
    self: components.self,
    content,
    body,
    // a member is in the group the user joined
    known: true,
    members: record.everMembers(),
    // the sender chain's new state is stored by its decrypt
    sessionWrites: [],
    addMessage: async (message, extra = {}) => {
      const { record: stored, added } = await components.messages.addIncoming({
        ...message,
        id: toHex(content.id, 'base16'),
        conversation: record.id,
        peer: author,
        direction: 'in',
        timestamp: Number(content.timestamp),
        status: 'delivered'
      }, { ...options, ...(extra.ifNew != null ? { ifNew: extra.ifNew } : {}) })
      if (!added) return undefined
      result.added = stored
      return stored
    },
    commitSession: async () => {},
    emit: (type, detail) => { result.announced.push({ type, detail }) }
  }, options)
  return result
}
