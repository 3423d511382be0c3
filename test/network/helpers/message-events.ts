/** A running daemon's message and status events (its control API's event stream), to wait on */

import { ControlClient } from '../../../src/control/client.ts'
import type { PublicMessage } from '../../../src/control/client.ts'

export class MessageEvents {
  readonly client: ControlClient
  private readonly seen: PublicMessage[] = []
  private readonly waiters = new Set<() => void>()
  private readonly stopper = new AbortController()
  private done?: Promise<void>

  constructor (dataDir: string) {
    this.client = new ControlClient(dataDir)
  }

  /** Resolves once subscribed: every event from then on is kept */
  async start (): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.done = this.client.events(event => {
        if (event.type !== 'message' && event.type !== 'status') return
        this.seen.push(event.detail)
        for (const wake of [...this.waiters]) wake()
      }, { signal: this.stopper.signal, ready: resolve }).catch(reject)
    })
  }

  /** Resolves with the first record (seen so far or later) that `match` accepts; rejects after `timeoutMs` naming `what` */
  async next (match: (record: PublicMessage) => boolean, what: string, timeoutMs: number): Promise<PublicMessage> {
    const earlier = this.seen.find(match)
    if (earlier != null) return earlier
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        const found = this.seen.find(match)
        if (found == null) return
        finish()
        resolve(found)
      }
      const timer = setTimeout(() => { finish(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)) }, timeoutMs)
      const finish = (): void => {
        clearTimeout(timer)
        this.waiters.delete(wake)
      }
      this.waiters.add(wake)
    })
  }

  async stop (): Promise<void> {
    this.stopper.abort()
    await this.done?.catch(() => {})
  }
}
