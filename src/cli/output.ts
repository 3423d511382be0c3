import { errorInfo, knownErrorKind } from '../errors/index.ts'
import type { ErrorKind } from '../errors/index.ts'

/** Exit codes: 1 for a failure at run time, 2 for bad input from the user */
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

/**
 * By the failure's kind (the daemon's, for an error it answered with): 2 when what the user
 * typed is wrong or names nothing that exists, 1 for the rest, errors of no known kind included
 */
const EXIT_CODE: Record<ErrorKind, number> = {
  'bad-input': EXIT_USAGE,
  'not-found': EXIT_USAGE,
  refused: EXIT_FAILURE,
  transient: EXIT_FAILURE,
  permanent: EXIT_FAILURE
}

export function exitCodeFor (err: unknown): number {
  const kind = knownErrorKind(err)
  return kind == null ? EXIT_FAILURE : EXIT_CODE[kind]
}

export function printJson (value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n')
}

/**
 * Reports a failed command: JSON on stdout for scripts (`{ error: { name, code, kind, message } }`,
 * as the control API answers it), a sentence on stderr for people
 */
export function printError (err: unknown, json: boolean): void {
  const info = errorInfo(err)
  if (json) {
    printJson({ error: info })
  } else {
    process.stderr.write(`parley: ${info.message}\n`)
  }
}

export async function qrCode (text: string): Promise<string> {
  // loaded here: only the commands that show an invite draw one
  const { default: qrcode } = await import('qrcode-terminal')
  return new Promise(resolve => { qrcode.generate(text, { small: true }, resolve) })
}

export function formatTime (timestamp: number): string {
  return new Date(timestamp).toTimeString().slice(0, 5)
}

/** Whether the safety number with a peer was marked as compared, for people */
export function verificationLine (v: { verified: boolean, verifiedAt?: number }, howToMark: string): string {
  return v.verified && v.verifiedAt != null
    ? `Verified: you marked it as compared on ${new Date(v.verifiedAt).toISOString().slice(0, 10)}.`
    : `Not verified. Once it matches theirs, mark it: ${howToMark}`
}

/** Bytes for people: 512 B, 3.4 KiB, 12.0 MiB, 4.00 GiB */
export function formatBytes (bytes: number): string {
  if (bytes < 1_024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB']
  let value = bytes / 1_024
  let unit = 0
  while (value >= 1_024 && unit < units.length - 1) {
    value /= 1_024
    unit++
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`
}
