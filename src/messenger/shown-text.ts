import type { CallSummary, Direction, MessageRecord } from '../storage/types.ts'

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

/** A duration in words: "45 s", "3 min 20 s", "1 h 2 min" */
export function durationText (ms: number): string {
  const seconds = Math.round(ms / 1_000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** A call's history entry in words: "Missed video call", "Outgoing call, 3 min 20 s", "Declined call" */
export function callText (call: CallSummary, direction: Direction): string {
  const kind = call.video ? 'video call' : 'call'
  switch (call.outcome) {
    case 'answered': return `${direction === 'in' ? 'Incoming' : 'Outgoing'} ${kind}, ${durationText(call.durationMs ?? 0)}`
    case 'missed': return `Missed ${kind}${call.reason === 'stranger' ? ' (not rung: not a contact)' : ''}`
    case 'declined': return `Declined ${kind}`
    case 'unanswered': return `Outgoing ${kind}, not answered${call.reason === 'busy' ? ' (busy)' : ''}`
    case 'cancelled': return `Outgoing ${kind}, cancelled`
    case 'failed': return `Failed ${kind}${call.reason === 'fingerprint-mismatch' ? ': the connection was not the contact\'s own (certificate mismatch)' : ''}`
  }
}

/**
 * A message's text as every interface shows it (the CLI, the chat, the web app): its text (with
 * "(edited)" once edited), or what stands for one that has none
 */
export function shownText (message: Pick<MessageRecord, 'text' | 'unsupported' | 'deleted' | 'timer' | 'edits'> & Partial<Pick<MessageRecord, 'call' | 'direction'>>): string {
  if (message.unsupported === true) return UNSUPPORTED_TEXT
  if (message.deleted === true) return DELETED_TEXT
  if (message.timer != null) return `disappearing messages: ${timerText(message.timer)}`
  if (message.call != null) return callText(message.call, message.direction ?? 'in')
  return message.edits != null && message.edits.length > 0 ? `${message.text} (edited)` : message.text
}
