import { decodeRef, encodeRef } from '../message-ref.ts'
import type { Content } from '../content.ts'
import type { MessageRecord } from '../../storage/types.ts'

/** What a message (text, file, timer change) may carry beside its body: a quote and an expiry */
export type MessageExtras = Pick<MessageRecord, 'replyTo' | 'expiresAt'>

/** A peer's quote and expiry, checked (a malformed quote refuses the message) */
export function extrasOf (content: Content): MessageExtras {
  return {
    ...(content.replyTo != null ? { replyTo: decodeRef(content.replyTo.message) } : {}),
    ...(content.expiresAt != null ? { expiresAt: Number(content.expiresAt) } : {})
  }
}

/** The content fields for a record's quote and expiry */
export function extrasFields (record: MessageRecord): Partial<Content> {
  return {
    ...(record.replyTo != null ? { replyTo: { message: encodeRef(record.replyTo) } } : {}),
    ...(record.expiresAt != null ? { expiresAt: BigInt(record.expiresAt) } : {})
  }
}

/** Whether an incoming message's time has already come (it waited in a mailbox): it is not kept */
export function expiredOnArrival (extras: MessageExtras, now = Date.now()): boolean {
  return extras.expiresAt != null && extras.expiresAt <= now
}
