/** Drives socket-probe.ts inside a namespace: start it, send it commands, await its events */

import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Namespace } from './namespace.ts'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'

export const SOCKET_PROBE = fileURLToPath(new URL('./socket-probe.ts', import.meta.url))

/** How long one awaited probe event may take unless the caller says otherwise */
export const PROBE_EVENT_TIMEOUT_MS = 10_000

export interface ProbeEvent {
  event: string
  [key: string]: any
}

export class Probe {
  readonly child: ChildProcessWithoutNullStreams
  /** Every event so far, in order */
  readonly events: ProbeEvent[] = []
  private stderr = ''
  private exitCode?: number | null
  private readonly waiters = new Set<() => void>()

  /** Starts `socket-probe.ts ARGS` in `ns` with the running node */
  constructor (ns: Namespace, args: string[]) {
    this.child = ns.spawn(process.execPath, ['--experimental-transform-types', '--disable-warning=ExperimentalWarning', SOCKET_PROBE, ...args])
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => { this.stderr += d })
    createInterface({ input: this.child.stdout }).on('line', line => {
      this.events.push(JSON.parse(line))
      this.wake()
    })
    this.child.once('close', code => {
      this.exitCode = code
      this.wake()
    })
  }

  /**
   * The first event (already seen or still to come) that matches; rejects when the probe
   * exits without one or after `timeoutMs`, naming `what` was awaited
   */
  async waitFor (what: string, predicate: (event: ProbeEvent) => boolean, timeoutMs = PROBE_EVENT_TIMEOUT_MS): Promise<ProbeEvent> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.events.find(predicate)
        if (found != null) done(() => resolve(found))
        else if (this.exitCode !== undefined) done(() => reject(new Error(`probe exited (${this.exitCode}) before ${what}: ${this.stderr}`)))
      }
      const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs)
      const done = (settle: () => void): void => {
        clearTimeout(timer)
        this.waiters.delete(check)
        settle()
      }
      this.waiters.add(check)
      check()
    })
  }

  /** One JSON line on the probe's stdin (a udp probe sends it as a datagram) */
  send (command: { to: string, port: number, text: string }): void {
    this.child.stdin.write(JSON.stringify(command) + '\n')
  }

  /** Resolves with the exit code, within `timeoutMs` */
  async exited (timeoutMs = PROBE_EVENT_TIMEOUT_MS): Promise<number | null> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.exitCode === undefined) return
        clearTimeout(timer)
        this.waiters.delete(check)
        resolve(this.exitCode)
      }
      const timer = setTimeout(() => {
        this.waiters.delete(check)
        reject(new Error(`probe did not exit within ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiters.add(check)
      check()
    })
  }

  /** Ends a long-running probe (udp, tcp-server) */
  stop (): void {
    this.child.kill('SIGKILL')
  }

  private wake (): void {
    for (const check of [...this.waiters]) check()
  }
}
