import qrcode from 'qrcode-terminal'

/** Exit codes: 1 for a failure at run time, 2 for bad input from the user */
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

/** Errors that mean the user typed something wrong; the rest are run-time failures */
const USAGE_ERRORS = new Set([
  'InvalidPeerError', 'InvalidMessageTextError', 'SelfMessageError', 'ContactNameTakenError',
  'BadRequestError', 'BootstrapListError', 'InvalidMultiaddrError', 'SocketPathTooLongError',
  'WeakPassphraseError', 'InvalidBackupError', 'DataDirNotEmptyError', 'WrongPassphraseError',
  'PassphraseRequiredError', 'IdentityLockedError', 'NotAFileError', 'UnknownTransferError'
])

export function exitCodeFor (err: any): number {
  return USAGE_ERRORS.has(err?.name) ? EXIT_USAGE : EXIT_FAILURE
}

export function printJson (value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n')
}

/** Reports a failed command: JSON on stdout for scripts, a sentence on stderr for people */
export function printError (err: any, json: boolean): void {
  if (json) {
    printJson({ error: { name: String(err?.name ?? 'Error'), message: String(err?.message ?? err) } })
  } else {
    process.stderr.write(`parley: ${String(err?.message ?? err)}\n`)
  }
}

export async function qrCode (text: string): Promise<string> {
  return new Promise(resolve => { qrcode.generate(text, { small: true }, resolve) })
}

export function formatTime (timestamp: number): string {
  return new Date(timestamp).toTimeString().slice(0, 5)
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
