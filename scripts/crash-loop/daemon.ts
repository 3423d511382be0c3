import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { ControlClient } from '../../src/control/client.ts'
import type { ChildProcess, SpawnOptions } from 'node:child_process'

const PARLEY_BIN = fileURLToPath(new URL('../../bin/parley.js', import.meta.url))

/** How long a daemon may take to print its ready line */
const READY_TIMEOUT_MS = 60_000

/** Where a daemon runs */
export interface DaemonPlace {
  listen?: string[]
  spawn?: (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess
}

/** A `parley daemon --json` process on one data directory, killed and started again at will */
export class CrashableDaemon {
  readonly client: ControlClient
  peerId = ''
  addresses: string[] = []
  private child?: ChildProcess
  private exited?: Promise<void>

  /**
   * `args` follow `daemon --json --no-mdns`; `where` says where it runs: its listen addresses
   * (default 127.0.0.1, any port) and how it is spawned (default here; a network namespace's
   * `spawn`, for one)
   */
  constructor (readonly name: string, readonly dataDir: string, private readonly args: string[], private readonly where: DaemonPlace = {}) {
    this.client = new ControlClient(dataDir)
  }

  get alive (): boolean {
    return this.child != null
  }

  /** The running daemon's process id (to read its memory from /proc) */
  get pid (): number | undefined {
    return this.child?.pid
  }

  /** Starts the daemon and resolves once it printed its ready line */
  async start (): Promise<void> {
    const listen = (this.where.listen ?? ['/ip4/127.0.0.1/tcp/0']).flatMap(l => ['--listen', l])
    const child = (this.where.spawn ?? spawn)(process.execPath, [PARLEY_BIN, '--data', this.dataDir, 'daemon', '--json', '--no-mdns', ...listen, ...this.args], { stdio: ['ignore', 'pipe', 'pipe'] })
    const { stdout, stderr: errors } = child
    if (stdout == null || errors == null) throw new Error(`${this.name}: spawned without pipes`)
    let stderr = ''
    errors.on('data', d => { stderr = (stderr + String(d)).slice(-4_000) })
    // PARLEY_DAEMON_LOG_DIR=dir (with DEBUG set) keeps each daemon's whole log
    const logDir = process.env.PARLEY_DAEMON_LOG_DIR
    if (logDir != null) errors.pipe(createWriteStream(join(logDir, `${this.name}.log`), { flags: 'a' }))
    this.exited = new Promise(resolve => child.once('close', () => { resolve() }))
    const ready = await new Promise<{ peerId: string, addresses: string[] }>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`${this.name} not ready within ${READY_TIMEOUT_MS} ms: ${stderr}`)) }, READY_TIMEOUT_MS)
      child.once('close', code => { clearTimeout(timer); reject(new Error(`${this.name} exited (${code}) before it was ready: ${stderr}`)) })
      createInterface({ input: stdout }).on('line', line => {
        const event = JSON.parse(line)
        if (event.event !== 'ready') return
        clearTimeout(timer)
        resolve(event)
      })
    })
    this.child = child
    this.peerId = ready.peerId
    this.addresses = ready.addresses
  }

  /** SIGKILL: no clean stop, as a power cut or the OOM killer ends it */
  async kill (): Promise<void> {
    await this.end('SIGKILL')
  }

  /** SIGTERM, for the end of a run */
  async stop (): Promise<void> {
    await this.end('SIGTERM')
  }

  private async end (signal: NodeJS.Signals): Promise<void> {
    const child = this.child
    if (child == null) return
    this.child = undefined
    child.kill(signal)
    await this.exited
  }
}
