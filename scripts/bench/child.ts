/**
 * A bench child process: a script of this directory run by this same Node (and its TypeScript
 * flags), talking to this process over IPC only. Its stdout and stderr are progress, never part
 * of the bench's stdout.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ChildProcess } from 'node:child_process'

const CHILD_TIMEOUT_MS = 120_000
const EXIT_TIMEOUT_MS = 10_000

/** A child process with a queue of the messages (`{ type }` objects) it sent */
export class Child<Message extends { type: string }, Request extends object> {
  private readonly name: string
  private readonly process: ChildProcess
  private readonly inbox: Message[] = []
  private waiting?: () => void
  readonly exited: Promise<number | null>

  /**
   * @param name - says which child in errors, e.g. 'the memory child'
   * @param script - the file name, relative to this directory
   * @param args - given to the child as JSON in `argv[2]`
   * @param nodeFlags - added to this process's own flags
   */
  constructor (name: string, script: string, args: Record<string, unknown>, nodeFlags: string[] = []) {
    this.name = name
    const path = fileURLToPath(new URL(script, import.meta.url))
    this.process = spawn(process.execPath, [...process.execArgv, ...nodeFlags, path, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc']
    })
    this.process.stdout?.pipe(process.stderr, { end: false })
    this.process.stderr?.pipe(process.stderr, { end: false })
    this.process.on('message', (message: Message) => {
      this.inbox.push(message)
      this.waiting?.()
    })
    this.exited = new Promise(resolve => this.process.once('exit', code => {
      resolve(code)
      this.waiting?.()
    }))
  }

  /** The first message of `type`, waiting for it (up to `timeoutMs`) if it has not come yet */
  async next<T extends Message['type']> (type: T, timeoutMs = CHILD_TIMEOUT_MS): Promise<Extract<Message, { type: T }>> {
    const deadline = Date.now() + timeoutMs
    while (true) {
      const index = this.inbox.findIndex(m => m.type === type)
      if (index >= 0) return this.inbox.splice(index, 1)[0] as Extract<Message, { type: T }>
      if (this.process.exitCode != null) throw new Error(`${this.name} exited (${this.process.exitCode}) before sending "${type}"`)
      if (Date.now() > deadline) throw new Error(`${this.name} sent no "${type}" within ${timeoutMs} ms`)
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, 1_000)
        this.waiting = () => { clearTimeout(timer); resolve() }
      })
      this.waiting = undefined
    }
  }

  send (request: Request): void {
    this.process.send(request)
  }

  /** Waits for the child to exit on its own; kills it (by its own pid) if it does not */
  async finish (): Promise<void> {
    const timer = setTimeout(() => { this.process.kill('SIGKILL') }, EXIT_TIMEOUT_MS)
    try {
      const code = await this.exited
      if (code !== 0) throw new Error(`${this.name} exited with ${code}`)
    } finally {
      clearTimeout(timer)
    }
  }

  kill (): void {
    if (this.process.exitCode == null) this.process.kill('SIGKILL')
  }
}
