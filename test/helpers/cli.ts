import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { ChildProcess } from 'node:child_process'

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
  /** SIGTERM, then the exit code */
  stop(): Promise<number | null>
}

/** Starts `parley --data DIR daemon --json --no-mdns ARGS` and resolves on its ready line */
export async function startDaemonProcess (dataDir: string, args: string[]): Promise<DaemonProcess> {
  return startDaemonProcessWithEnv(dataDir, args, {})
}

export async function startDaemonProcessWithEnv (dataDir: string, args: string[], env: Record<string, string>): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [PARLEY_BIN, '--data', dataDir, 'daemon', '--json', '--no-mdns', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let stderr = ''
  child.stderr?.on('data', d => {
    stderr += d
    // PARLEY_TEST_LOGS=1 (with DEBUG=parley:*) shows each daemon's log, tagged by its data dir
    if (process.env.PARLEY_TEST_LOGS != null) process.stderr.write(String(d).replace(/^/gm, `[${dataDir.slice(-6)}] `))
  })
  const exited = new Promise<number | null>(resolve => child.on('close', resolve))
  const lines = createInterface({ input: child.stdout! })
  const seen = new Set<string>()
  lines.on('line', line => {
    const parsed = JSON.parse(line)
    if (parsed.event === 'peer:identify') seen.add(parsed.peerId)
  })
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
    stop: async () => {
      child.kill('SIGTERM')
      return exited
    }
  }
}
