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

  /** `lan`: loopback (LAN mode); off on the namespace network */
  constructor (private readonly bootstrap: string[], private readonly place: { lan: boolean, listen: string[] } = { lan: true, listen: ['/ip4/127.0.0.1/tcp/0'] }) {}

  /**
   * Starts `count` strangers; with `gapMs`, one at a time that far apart (from one IP outside LAN
   * mode, each start is two new connections, and a node takes 5 a second from an IP)
   */
  async grow (count: number, gapMs?: number): Promise<void> {
    if (gapMs != null) {
      for (let i = 0; i < count; i++) {
        if (i > 0) await new Promise(resolve => setTimeout(resolve, gapMs))
        await this.grow(1)
      }
      return
    }
    const added = await inBatches(Array.from({ length: count }), 8, async () => createParley({
      lan: this.place.lan,
      mdns: false,
      listen: this.place.listen,
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
