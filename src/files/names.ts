import { MAX_NAME_BYTES } from './constants.ts'

/** Windows refuses these as file names, with or without an extension */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i

const encoder = new TextEncoder()

/**
 * The name a received file is saved under, from whatever the sender's offer says: the part after
 * the last `/` or `\` (so no path survives), without control characters or characters Windows
 * and macOS refuse (`<>:"|?*`), without leading dots (no hidden files, no `.` or `..`) or
 * trailing dots and spaces, not a reserved Windows device name, and at most MAX_NAME_BYTES of
 * UTF-8 (cut at a character boundary, keeping a short extension). What is left empty becomes
 * `file`. The result is always a single, plain path component.
 */
export function safeFileName (offered: string): string {
  let name = String(offered).normalize('NFC')
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1)
  // eslint-disable-next-line no-control-regex
  name = name.replace(/[\u0000-\u001f\u007f-\u009f<>:"|?*\u202a-\u202e\u2066-\u2069]/g, '_')
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '')
  if (RESERVED.test(name)) name = `_${name}`
  name = truncateUtf8(name, MAX_NAME_BYTES)
  return name === '' ? 'file' : name
}

/**
 * The n-th alternative to a taken name: `photo.jpg` -> `photo (2).jpg`, kept within
 * MAX_NAME_BYTES
 */
export function numberedName (name: string, n: number): string {
  const dot = name.lastIndexOf('.')
  const [stem, ext] = dot > 0 && name.length - dot <= 16 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
  const suffix = ` (${n})${ext}`
  return truncateUtf8(stem, MAX_NAME_BYTES - encoder.encode(suffix).byteLength) + suffix
}

/** Cuts `text` to at most `max` UTF-8 bytes without splitting a character, keeping a short extension */
function truncateUtf8 (text: string, max: number): string {
  if (encoder.encode(text).byteLength <= max) return text
  const dot = text.lastIndexOf('.')
  const ext = dot > 0 && text.length - dot <= 16 ? text.slice(dot) : ''
  const room = max - encoder.encode(ext).byteLength
  let stem = ''
  let bytes = 0
  for (const char of ext === '' ? text : text.slice(0, dot)) {
    bytes += encoder.encode(char).byteLength
    if (bytes > room) break
    stem += char
  }
  return stem + ext
}
