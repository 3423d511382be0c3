/** Running commands to completion: the harness's own `ip`/`nft` calls and `host.exec()` */

import { execFileSync, spawn } from 'node:child_process'
import { COMMAND_TIMEOUT_MS } from './constants.ts'
import { CommandFailedError, CommandTimeoutError } from './errors.ts'
import type { ChildProcess } from 'node:child_process'

export interface ExecResult {
  /** null when the process was ended by a signal */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface CollectOptions {
  /** Written to the child's stdin, which is then closed */
  input?: string
  /**
   * Applies only when no `signal` is given
   * @default COMMAND_TIMEOUT_MS
   */
  timeoutMs?: number
  signal?: AbortSignal
}

/**
 * Resolves with a child's output once it has exited and closed its pipes. On timeout or abort
 * the child gets SIGKILL and the promise rejects (CommandTimeoutError for the timeout).
 */
export async function collect (child: ChildProcess, command: string[], options: CollectOptions = {}): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? COMMAND_TIMEOUT_MS
  const signal = options.signal ?? AbortSignal.timeout(timeoutMs)
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d })
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d })
  // a child that exits without reading its input must not crash us with EPIPE
  child.stdin?.on('error', () => {})
  child.stdin?.end(options.input ?? '')
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      child.kill('SIGKILL')
      reject(options.signal == null ? new CommandTimeoutError(command, timeoutMs) : signal.reason)
    }
    if (signal.aborted) { onAbort(); return }
    signal.addEventListener('abort', onAbort, { once: true })
    child.once('error', err => {
      signal.removeEventListener('abort', onAbort)
      reject(err)
    })
    child.once('close', (code, sig) => {
      signal.removeEventListener('abort', onAbort)
      resolve({ code, signal: sig, stdout, stderr })
    })
  })
}

/** Runs a harness command in the current namespace; throws CommandFailedError unless it exits 0 */
export async function run (command: string, args: string[], options: CollectOptions = {}): Promise<string> {
  const child = spawn(command, args, { stdio: 'pipe' })
  const result = await collect(child, [command, ...args], options)
  if (result.code !== 0) throw new CommandFailedError([command, ...args], result.code, result.stderr)
  return result.stdout
}

/**
 * The synchronous form, for cleanup inside `process.on('exit')` where nothing async runs.
 * Best effort: returns undefined when the command fails.
 */
export function runSync (command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: COMMAND_TIMEOUT_MS })
  } catch {
    return undefined
  }
}
