import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { ChildProcess, SpawnOptions } from 'node:child_process'

export const PARLEY_BIN = fileURLToPath(new URL('../../bin/parley.js', import.meta.url))

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  /** A long-running command (a daemon) gets SIGTERM once a line of its output matches this */
  untilLine?: RegExp
}

/** Runs `parley ARGS` to completion as its own process, the way a user or script would */
export async function parley (args: string[], input?: string, env: Record<string, string> = {}, options: RunOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [PARLEY_BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', d => {
    stdout += d
    if (options.untilLine != null && stdout.split('\n').some(line => options.untilLine?.test(line))) child.kill('SIGTERM')
  })
  child.stderr.on('data', d => { stderr += d })
  child.stdin.end(input ?? '')
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  return { code, stdout, stderr }
}

export interface DaemonProcess {
  child: ChildProcess
  ready: { peerId: string, addresses: string[], control: string, lan: boolean, mdns: boolean, mode: string, relay: boolean }
  /** Resolves once the daemon has identified `peerId` (now or earlier) */
  identified(peerId: string): Promise<void>
  /**
   * Resolves with the first JSON line (ready, peer:identify, peer:disconnect, addresses) from now
   * on, or already printed, that `match` accepts; rejects after `timeoutMs` naming `what`
   */
  event(match: (event: DaemonEvent) => boolean, what: string, timeoutMs?: number): Promise<DaemonEvent>
  /** Every JSON line printed so far */
  readonly events: DaemonEvent[]
  /** SIGTERM, then the exit code */
  stop(): Promise<number | null>
}

export interface DaemonEvent {
  event: string
  peerId?: string
  addresses?: string[]
  [key: string]: unknown
}

/** Starts `parley --data DIR daemon --json --no-mdns ARGS` and resolves on its ready line */
export async function startDaemonProcess (dataDir: string, args: string[]): Promise<DaemonProcess> {
  return startDaemonProcessWithEnv(dataDir, args, {})
}

export async function startDaemonProcessWithEnv (dataDir: string, args: string[], env: Record<string, string>): Promise<DaemonProcess> {
  return runDaemon(dataDir, ['--no-mdns', ...args], { env })
}

/** Where a daemon process runs: this machine's network by default, or a test namespace's */
export interface Spawner {
  spawn(command: string, args: readonly string[], options: SpawnOptions): ChildProcess
}

export interface RunDaemonOptions {
  env?: Record<string, string>
  /** @default node's own spawn, in this process's network namespace */
  spawner?: Spawner
}

/** Starts `parley --data DIR daemon --json ARGS` (nothing added) and resolves on its ready line */
export async function runDaemon (dataDir: string, args: string[], options: RunDaemonOptions = {}): Promise<DaemonProcess> {
  const spawner = options.spawner ?? { spawn }
  const child = spawner.spawn(process.execPath, [PARLEY_BIN, '--data', dataDir, 'daemon', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } })
  let stderr = ''
  child.stderr?.on('data', d => {
    stderr += d
    // PARLEY_TEST_LOGS=1 (with DEBUG=parley:*) shows each daemon's log, tagged by its data dir
    if (process.env.PARLEY_TEST_LOGS != null) process.stderr.write(String(d).replace(/^/gm, `[${dataDir.slice(-6)}] `))
  })
  const exited = new Promise<number | null>(resolve => child.on('close', resolve))
  const lines = createInterface({ input: child.stdout! })
  const seen = new Set<string>()
  const events: DaemonEvent[] = []
  lines.on('line', line => {
    const parsed = JSON.parse(line)
    events.push(parsed)
    if (parsed.event === 'peer:identify') seen.add(parsed.peerId)
  })
  const event = async (match: (event: DaemonEvent) => boolean, what: string, timeoutMs = 30_000): Promise<DaemonEvent> => {
    const earlier = events.find(match)
    if (earlier != null) return earlier
    return new Promise((resolve, reject) => {
      const onLine = (line: string): void => {
        const parsed = JSON.parse(line)
        if (!match(parsed)) return
        clearTimeout(timer)
        lines.off('line', onLine)
        resolve(parsed)
      }
      const timer = setTimeout(() => {
        lines.off('line', onLine)
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))
      }, timeoutMs)
      lines.on('line', onLine)
    })
  }
  const identified = async (peerId: string): Promise<void> => {
    if (seen.has(peerId)) return
    await new Promise<void>(resolve => {
      const onLine = (line: string): void => {
        if (JSON.parse(line).peerId === peerId && seen.has(peerId)) {
          lines.off('line', onLine)
          resolve()
        }
      }
      lines.on('line', onLine)
    })
  }
  const ready = await new Promise<DaemonProcess['ready']>((resolve, reject) => {
    lines.on('line', line => {
      const parsed = JSON.parse(line)
      if (parsed.event === 'ready') resolve(parsed)
      else if (parsed.error != null) reject(new Error(`daemon failed: ${parsed.error.message}`))
    })
    void exited.then(code => { reject(new Error(`daemon exited with ${code} before it was ready: ${stderr}`)) })
  })
  return {
    child,
    ready,
    identified,
    event,
    events,
    stop: async () => {
      child.kill('SIGTERM')
      return exited
    }
  }
}
