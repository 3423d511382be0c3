import { deleteHandler } from './delete.ts'
import { editHandler } from './edit.ts'
import { mailboxAnnouncementHandler } from './mailbox-announcement.ts'
import { reactionHandler } from './reaction.ts'
import { readHandler } from './read.ts'
import { receiptHandler } from './receipt.ts'
import { textHandler } from './text.ts'
import { timerHandler } from './timer.ts'
import { typingHandler } from './typing.ts'
import { unsupportedHandler } from './unsupported.ts'
import type { ContentHandlers } from '../content-handlers.ts'
import type { MessageStore, SettingsStore } from '../../storage/types.ts'

/** The kinds a conversation itself is made of (files and later features register their own) */
/** `timers`: the disappearing-message timers taken (seconds) */
export function registerConversationHandlers (handlers: ContentHandlers, messages: MessageStore, settings: SettingsStore, timers: readonly number[]): void {
  handlers.register('text', textHandler())
  handlers.register('receipt', receiptHandler(messages))
  handlers.register('read', readHandler(messages, settings))
  handlers.register('reaction', reactionHandler(messages))
  handlers.register('edit', editHandler(messages))
  handlers.register('delete', deleteHandler(messages))
  handlers.register('timer', timerHandler(timers))
  handlers.register('typing', typingHandler(settings))
  handlers.register('mailbox', mailboxAnnouncementHandler())
  handlers.register('unsupported', unsupportedHandler())
}
