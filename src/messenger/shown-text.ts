import type { MessageRecord } from '../storage/types.ts'

/** What an interface shows for a message of a kind this release cannot read */
export const UNSUPPORTED_TEXT = 'unsupported message: this version of Parley cannot show it; update Parley to read it'

/** What stays of a message deleted for everyone */
export const DELETED_TEXT = 'this message was deleted'

/** A disappearing-message timer in words: "30 seconds", "1 hour", "4 weeks", "off" */
export function timerText (seconds: number): string {
  if (seconds === 0) return 'off'
  const units: Array<[number, string]> = [[7 * 86_400, 'week'], [86_400, 'day'], [3_600, 'hour'], [60, 'minute'], [1, 'second']]
  const [size, name] = units.find(([size]) => seconds % size === 0) ?? [1, 'second']
  const n = seconds / size
  return `${n} ${name}${n === 1 ? '' : 's'}`
}

/**
 * A message's text as every interface shows it (the CLI, the chat, the web app): its text (with
 * "(edited)" once edited), or what stands for one that has none
 */
export function shownText (message: Pick<MessageRecord, 'text' | 'unsupported' | 'deleted' | 'timer' | 'edits'>): string {
  if (message.unsupported === true) return UNSUPPORTED_TEXT
  if (message.deleted === true) return DELETED_TEXT
  if (message.timer != null) return `disappearing messages: ${timerText(message.timer)}`
  return message.edits != null && message.edits.length > 0 ? `${message.text} (edited)` : message.text
}
