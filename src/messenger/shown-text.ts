import type { MessageRecord } from '../storage/types.ts'

/** What an interface shows for a message of a kind this release cannot read */
export const UNSUPPORTED_TEXT = 'unsupported message: this version of Parley cannot show it; update Parley to read it'

/** A message's text as every interface shows it (the CLI, the chat, the web app) */
export function shownText (message: Pick<MessageRecord, 'text' | 'unsupported'>): string {
  return message.unsupported === true ? UNSUPPORTED_TEXT : message.text
}
