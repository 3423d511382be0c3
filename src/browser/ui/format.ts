import { shownText, timerText } from '../../messenger/shown-text.ts'
import type { PublicMessage } from '../../events/public.ts'

const DAY_MS = 86_400_000

/** A time as a message shows it: hours and minutes */
export function clockTime (timestamp: number, locale?: string): string {
  return new Date(timestamp).toLocaleTimeString(locale, { timeStyle: 'short' })
}

/**
 * A time as the conversation list shows it: the time today, "Yesterday", the weekday within the
 * last week, else the date (with the year once it is another year's)
 */
export function listTime (timestamp: number, now = Date.now(), locale?: string): string {
  const then = new Date(timestamp)
  const today = new Date(now)
  today.setHours(0, 0, 0, 0)
  const startOfDay = new Date(then)
  startOfDay.setHours(0, 0, 0, 0)
  // calendar days, not 24-hour spans (a daylight-saving day is 23 or 25 hours long)
  const daysAgo = Math.round((today.getTime() - startOfDay.getTime()) / DAY_MS)
  if (daysAgo <= 0) return clockTime(timestamp, locale)
  if (daysAgo === 1) return 'Yesterday'
  if (daysAgo < 7) return then.toLocaleDateString(locale, { weekday: 'short' })
  return then.toLocaleDateString(locale, then.getFullYear() === today.getFullYear()
    ? { day: 'numeric', month: 'short' }
    : { day: 'numeric', month: 'short', year: 'numeric' })
}

/** A timer entry in words, saying who set it: "You set disappearing messages to 1 hour" */
export function timerNotice (seconds: number, who: string): string {
  return seconds === 0 ? `${who} turned off disappearing messages` : `${who} set disappearing messages to ${timerText(seconds)}`
}

/** `text` on one line, cut to `max` characters */
export function oneLine (text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  const chars = [...flat]
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat
}

/**
 * What a message says in a list or a notification: its text, a file's name, or what a timer
 * entry did; `who` names the writer of a timer entry
 */
export function previewText (m: PublicMessage, who: string, max: number): string {
  if (m.deleted === true || m.unsupported === true || m.call != null) return oneLine(shownText(m), max)
  if (m.timer != null) return oneLine(timerNotice(m.timer, who), max)
  if (m.file != null) return oneLine(`📎 ${m.file.name}`, max)
  return oneLine(m.text, max)
}
