import { MAX_TEXT_BYTES } from '../protocols/chat/index.ts'
import { MAX_ANNOUNCED_ADDRESSES, MAX_RECEIPT_IDS } from './constants.ts'
import { InvalidContentError } from './errors.ts'
import { Content } from './pb/content.ts'
import { MAX_GROUP_UPDATE_CHANGES, MAX_GROUP_UPDATE_SECRETS } from '../groups/constants.ts'
import type { Delete, Edit, FileOffer, FileStatus, GroupReceipt, GroupUpdate, Reaction, ReadReceipt, SenderKey, TimerChange, Typing } from './pb/content.ts'

export { Content }

/**
 * What a message carries, by kind: the key of the content handler registry. A body this
 * release cannot read (a kind added later, or none set) is `unsupported`: shown as such, never
 * dropped.
 */
export type Body =
  | { kind: 'text', text: string }
  | { kind: 'file', offer: FileOffer }
  | { kind: 'file-status', status: FileStatus }
  | { kind: 'receipt', ids: Uint8Array[] }
  | { kind: 'reaction', reaction: Reaction }
  | { kind: 'edit', edit: Edit }
  | { kind: 'delete', delete: Delete }
  | { kind: 'timer', timer: TimerChange }
  | { kind: 'typing', typing: Typing }
  | { kind: 'read', read: ReadReceipt }
  | { kind: 'group', update: GroupUpdate }
  | { kind: 'sender-key', key: SenderKey }
  | { kind: 'group-receipt', receipt: GroupReceipt }
  | { kind: 'call', signal: Uint8Array }
  | { kind: 'mailbox' }
  | { kind: 'unsupported' }

export type BodyKind = Body['kind']

/** The encoded content a session encrypts */
export function encodeContent (content: Content): Uint8Array {
  return Content.encode(content)
}

/**
 * Decodes what a session decrypted, with every repeated field capped (the session already
 * capped the size).
 *
 * @throws {InvalidContentError} when the bytes are not a Content
 */
export function decodeContent (bytes: Uint8Array): Content {
  try {
    // a receipt's ids are 16 bytes each: MAX_RECEIPT_IDS of them is far below the size cap
    return Content.decode(bytes, {
      limits: {
        delivers: MAX_RECEIPT_IDS,
        read: { ids: MAX_RECEIPT_IDS },
        group: { changes: MAX_GROUP_UPDATE_CHANGES, secrets: MAX_GROUP_UPDATE_SECRETS },
        groupReceipt: { delivered: MAX_RECEIPT_IDS, read: MAX_RECEIPT_IDS },
        mailbox: { addresses: MAX_ANNOUNCED_ADDRESSES }
      }
    })
  } catch (err: any) {
    throw new InvalidContentError(`the content does not decode: ${err.message}`)
  }
}

/**
 * The one body a content carries. Fields 3 to 6 are the first release's: a file offer came with
 * an empty text beside it, and a delivery receipt is the repeated `delivers` with no body.
 */
export function bodyOf (content: Content): Body {
  if (content.file != null) return { kind: 'file', offer: content.file }
  if (content.fileStatus != null) return { kind: 'file-status', status: content.fileStatus }
  if (content.reaction != null) return { kind: 'reaction', reaction: content.reaction }
  if (content.edit != null) return { kind: 'edit', edit: content.edit }
  if (content.delete != null) return { kind: 'delete', delete: content.delete }
  if (content.timer != null) return { kind: 'timer', timer: content.timer }
  if (content.typing != null) return { kind: 'typing', typing: content.typing }
  if (content.read != null) return { kind: 'read', read: content.read }
  if (content.group != null) return { kind: 'group', update: content.group }
  if (content.senderKey != null) return { kind: 'sender-key', key: content.senderKey }
  if (content.groupReceipt != null) return { kind: 'group-receipt', receipt: content.groupReceipt }
  if (content.call != null) return { kind: 'call', signal: content.call }
  if (content.text != null && (content.text !== '' || content.delivers.length === 0)) return { kind: 'text', text: content.text }
  if (content.delivers.length > 0) return { kind: 'receipt', ids: content.delivers }
  // mailbox addresses alone: an announcement (beside a body they are taken with any content)
  if (content.mailbox != null) return { kind: 'mailbox' }
  return { kind: 'unsupported' }
}

const encoder = new TextEncoder()

/** Whether a text from a peer (a message, an edit) is one a message may carry: not empty, within MAX_TEXT_BYTES */
export function textFits (text: string): boolean {
  return text !== '' && encoder.encode(text).byteLength <= MAX_TEXT_BYTES
}
