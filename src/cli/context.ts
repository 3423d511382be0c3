import { ControlClient } from '../control/client.ts'
import { resolveDataDir } from '../identity/data-dir-path.ts'
import { exitCodeFor, printError } from './output.ts'
import { readPassphrase } from './passphrase.ts'
import type { Command } from 'commander'

/** The data directory a command works on: `--data`, else $PARLEY_HOME, else ~/.parley */
export function dataDir (command: Command): string {
  return resolveDataDir(command.optsWithGlobals().data)
}

/** The control API of the daemon that owns the command's data directory */
export function clientFor (command: Command): ControlClient {
  return new ControlClient(dataDir(command))
}

/** Runs a command body, turning a thrown error into a message and an exit code */
export function action<A extends unknown[]> (fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command
    try {
      await fn(...args)
    } catch (err: any) {
      printError(err, wantsJson(command.opts(), command))
      process.exitCode = exitCodeFor(err)
    }
  }
}

/** The data directory's passphrase, asked for only when it is encrypted */
export async function passphraseIfNeeded (dir: string, file?: string): Promise<string | undefined> {
  // loaded here, not with every command: the keyring's module brings its ciphers
  const { hasKeyring } = await import('../storage/keyring.ts')
  return await hasKeyring(dir) ? readPassphrase({ file, prompt: 'Passphrase: ' }) : undefined
}

/** A repeatable option's values */
/**
 * Whether a command was asked for JSON: its own --json, or (a subcommand's) its parent's, which
 * commander lets claim the flag wherever it stands (`contacts add PEER NAME --json`)
 */
export function wantsJson (opts: { json?: boolean }, command: Command): boolean {
  return opts.json === true || command.optsWithGlobals().json === true
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

/** How a message's delivery state reads: `stored` says how many storers hold it */
export function statusText (m: { status: string, replicas?: number, error?: string }): string {
  const replicas = m.status === 'stored' && m.replicas != null ? ` with ${m.replicas} mailbox replica${m.replicas === 1 ? '' : 's'}` : ''
  return `${m.status}${replicas}${m.error != null ? `: ${m.error}` : ''}`
}
