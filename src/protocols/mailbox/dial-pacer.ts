import type { AbortOptions } from '@libp2p/interface'

export interface DialPacerInit {
  /** Connection handshakes under way to one peer at once */
  concurrent: number
  /** New connections to one peer per second, after a burst of as many */
  perSecond: number
}

interface PeerTurns {
  running: number
  /** Dials allowed now (a token bucket: `perSecond` deep, refilled at `perSecond` a second) */
  tokens: number
  refilledAt: number
  waiting: Array<() => void>
  timer?: ReturnType<typeof setTimeout>
}

/**
 * Paces new connections to each peer. A peer refuses the connections one IP opens past a rate
 * and while too many of them are still in their handshake (src/node/inbound-rate.ts,
 * pending-inbound.ts); a node's couriers, one per mailbox, would otherwise open several to the
 * same storer in the same instant (a fetch at start reads four mailboxes) and see the last ones
 * refused. Here they queue for their turn instead.
 */
export class DialPacer {
  private readonly init: DialPacerInit
  private readonly peers = new Map<string, PeerTurns>()

  constructor (init: DialPacerInit) {
    this.init = init
  }

  /** Waits for a turn to connect to `peer`; call the returned function once the handshake is over */
  async turn (peer: string, options: AbortOptions = {}): Promise<() => void> {
    options.signal?.throwIfAborted()
    let turns = this.peers.get(peer)
    if (turns == null) {
      turns = { running: 0, tokens: this.init.perSecond, refilledAt: Date.now(), waiting: [] }
      this.peers.set(peer, turns)
    }
    const mine = turns
    this.refill(mine)
    if (mine.waiting.length === 0 && mine.running < this.init.concurrent && mine.tokens >= 1) {
      this.grant(mine)
    } else {
      // `wake` grants the turn before it lets this go on
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          mine.waiting.splice(mine.waiting.indexOf(go), 1)
          reject(options.signal?.reason)
        }
        const go = (): void => {
          options.signal?.removeEventListener('abort', onAbort)
          resolve()
        }
        mine.waiting.push(go)
        options.signal?.addEventListener('abort', onAbort, { once: true })
        this.schedule(peer, mine)
      })
    }
    let done = false
    return () => {
      if (done) return
      done = true
      mine.running--
      this.wake(peer, mine)
    }
  }

  private grant (turns: PeerTurns): void {
    turns.running++
    turns.tokens--
  }

  private refill (turns: PeerTurns): void {
    const now = Date.now()
    turns.tokens = Math.min(this.init.perSecond, turns.tokens + (now - turns.refilledAt) * this.init.perSecond / 1_000)
    turns.refilledAt = now
  }

  /** Lets those next in line go while they may; past the rate, looks again when a dial is due */
  private wake (peer: string, turns: PeerTurns): void {
    this.refill(turns)
    while (turns.waiting.length > 0 && turns.running < this.init.concurrent && turns.tokens >= 1) {
      this.grant(turns)
      turns.waiting.shift()!()
    }
    if (turns.waiting.length > 0) {
      this.schedule(peer, turns)
    } else if (turns.running === 0 && turns.timer == null && turns.tokens >= this.init.perSecond) {
      // forgotten only once its bucket is full again: a peer's entry lives a second at most past its last dial
      this.peers.delete(peer)
    }
  }

  /** A wake-up when the next token is due (a slot coming free wakes the line itself) */
  private schedule (peer: string, turns: PeerTurns): void {
    if (turns.timer != null || turns.tokens >= 1) return
    const dueMs = Math.max(1, Math.ceil((1 - turns.tokens) * 1_000 / this.init.perSecond))
    turns.timer = setTimeout(() => {
      turns.timer = undefined
      this.wake(peer, turns)
    }, dueMs)
  }
}
