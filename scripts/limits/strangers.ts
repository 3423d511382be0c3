import { multiaddr } from '@multiformats/multiaddr'
import { createParley } from '../../src/parley.ts'
import { inBatches } from './attackers.ts'
import type { Parley } from '../../src/parley.ts'

export interface StrangerFigures {
  strangers: number
  /** Messages the strangers had taken (delivered, or left in the mailbox) */
  sent: number
  bytesSent: number
  failed: number
}

/**
 * Real Parley nodes (in memory, fresh identities) that write to someone who never wrote to
 * them: every message is a message request on the other side, which it must cap per stranger
 * and in all
 */
export class Strangers {
  readonly nodes: Parley[] = []

  constructor (private readonly bootstrap: string[]) {}

  async grow (count: number): Promise<void> {
    const added = await inBatches(Array.from({ length: count }), 8, async () => createParley({
      lan: true,
      mdns: false,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      bootstrap: this.bootstrap.map(a => multiaddr(a)),
      // a stranger's node holds no mail for others
      mailboxHost: false
    }))
    this.nodes.push(...added)
  }

  /** Each stranger (of `nodes`) sends `perStranger` messages of `bytes` characters to `to`, strangers in parallel */
  async write (to: string, perStranger: number, bytes: number, nodes = this.nodes, concurrency = 16): Promise<StrangerFigures> {
    const figures: StrangerFigures = { strangers: nodes.length, sent: 0, bytesSent: 0, failed: 0 }
    await inBatches(nodes, concurrency, async (node) => {
      for (let n = 0; n < perStranger; n++) {
        const text = `${n} `.padEnd(bytes, 'x')
        try {
          const sent = await node.messenger.send(to, text)
          if (sent.status === 'failed') figures.failed++
          else {
            figures.sent++
            figures.bytesSent += text.length
          }
        } catch {
          figures.failed++
        }
      }
    })
    return figures
  }

  async stop (): Promise<void> {
    await inBatches(this.nodes.splice(0), 8, async node => node.stop())
  }
}
