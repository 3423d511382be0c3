import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { ControlClient } from '../../src/control/client.ts'
import type { ChildProcess } from 'node:child_process'

const PARLEY_BIN = fileURLToPath(new URL('../../bin/parley.js', import.meta.url))

/** How long a daemon may take to print its ready line */
const READY_TIMEOUT_MS = 60_000

/** A `parley daemon --json` process on one data directory, killed and started again at will */
export class CrashableDaemon {
  readonly client: ControlClient
  peerId = ''
  addresses: string[] = []
  private child?: ChildProcess
  private exited?: Promise<void>

  constructor (readonly name: string, readonly dataDir: string, private readonly args: string[]) {
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
    const child = spawn(process.execPath, [PARLEY_BIN, '--data', this.dataDir, 'daemon', '--json', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', ...this.args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', d => { stderr = (stderr + String(d)).slice(-4_000) })
    // PARLEY_DAEMON_LOG_DIR=dir (with DEBUG set) keeps each daemon's whole log
    const logDir = process.env.PARLEY_DAEMON_LOG_DIR
    if (logDir != null) child.stderr.pipe(createWriteStream(join(logDir, `${this.name}.log`), { flags: 'a' }))
    this.exited = new Promise(resolve => child.once('close', () => { resolve() }))
    const ready = await new Promise<{ peerId: string, addresses: string[] }>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`${this.name} not ready within ${READY_TIMEOUT_MS} ms: ${stderr}`)) }, READY_TIMEOUT_MS)
      child.once('close', code => { clearTimeout(timer); reject(new Error(`${this.name} exited (${code}) before it was ready: ${stderr}`)) })
      createInterface({ input: child.stdout }).on('line', line => {
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
