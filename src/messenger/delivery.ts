import { errorKind } from '../errors/index.ts'
import { parsePeerArgument } from '../identity/invite.ts'
import { LOOKUP_TIMEOUT_MS, MAX_PEERS_GREETED_ON_START, RELOCATE_INTERVAL_MS } from './constants.ts'
import { dhtReady } from './dht-ready.ts'
import type { ParleyNode } from '../node/create-node.ts'
import type { OutgoingChatMessage } from '../protocols/chat/index.ts'
import type { DepositOptions, DepositResult } from '../protocols/mailbox/index.ts'
import type { AbortOptions, Logger, PeerId } from '@libp2p/interface'

/** One flush of a peer's outbox: whether it looked the peer up again, and the addresses it had */
export interface DeliveryRound {
  peer: PeerId
  relocated: boolean
  tried: Set<string>
}

/** What the outbox needs of the network (a stub in the outbox's own tests) */
export interface Delivery {
  /** How many storers should hold each message for an offline peer */
  readonly replicaTarget: number
  /** Finds `peer` if nothing says where it is, and starts a round of sends to it */
  begin (peer: PeerId): Promise<DeliveryRound>
  /** Sends one envelope directly; throws if the peer cannot be reached or refuses it */
  send (round: DeliveryRound, message: OutgoingChatMessage): Promise<void>
  /** Leaves an envelope with the peer's mailbox storers */
  deposit (peer: PeerId, envelope: Uint8Array, options: DepositOptions): Promise<DepositResult>
  /** Dials these peers (on start: those with mail for us learn we are back) */
  greet (peers: string[]): Promise<void>
}

/**
 * Whether a send's failure means the message will never get through (it fails, with the
 * reason): the recipient refused it, or something about it or the session is broken for good.
 * Anything else, unclassified failures included, leaves it in the outbox to be retried.
 */
export function failsForGood (err: unknown): boolean {
  const kind = errorKind(err)
  return kind === 'refused' || kind === 'permanent'
}

/**
 * Delivery over a libp2p node: the chat protocol for direct sends, the mailbox service for
 * deposits, the peer store and the DHT to find the peer.
 */
export class NodeDelivery implements Delivery {
  /** When each peer was last looked up again after its addresses failed */
  private readonly relocated = new Map<string, number>()

  constructor (private readonly node: ParleyNode, private readonly log: Logger, private readonly shutdown: AbortSignal) {}

  get replicaTarget (): number {
    return this.node.services.mailbox.replicaTarget
  }

  async begin (peer: PeerId): Promise<DeliveryRound> {
    await this.locate(peer)
    return { peer, relocated: false, tried: await this.addressesOf(peer) }
  }

  /**
   * A direct send, and once per round, when it fails for want of a way to the peer, once more
   * after looking the peer up again (`relocate`): every address we had may be old
   */
  async send (round: DeliveryRound, message: OutgoingChatMessage): Promise<void> {
    try {
      await this.node.services.chat.send(round.peer, message)
    } catch (err: any) {
      if (round.relocated || failsForGood(err)) throw err
      round.relocated = true
      if (!await this.relocate(round.peer, round.tried)) throw err
      await this.node.services.chat.send(round.peer, message)
    }
  }

  async deposit (peer: PeerId, envelope: Uint8Array, options: DepositOptions): Promise<DepositResult> {
    return this.node.services.mailbox.deposit(peer, envelope, options)
  }

  async greet (peers: string[]): Promise<void> {
    await Promise.allSettled(peers.slice(0, MAX_PEERS_GREETED_ON_START).map(async peer => {
      if (this.shutdown.aborted) return
      await this.node.dial(parsePeerArgument(peer), { signal: this.shutdown })
    }))
  }

  /**
   * Looks a peer up in the DHT when there is neither a connection nor a known address. Dialling
   * by bare PeerId would do this lookup too, but inside the dial queue, where right after start
   * it can wait on the DHT's first self-query, which in turn waits on that same dial (kad-dht
   * breaks the cycle only by a 5 s timeout). A failed lookup is left to the send to report.
   */
  private async locate (peer: PeerId, options: AbortOptions = {}): Promise<void> {
    if (this.node.getConnections(peer).length > 0) return
    const known = await this.node.peerStore.get(peer).then(p => p.addresses.length > 0, () => false)
    if (known) return
    const signal = AbortSignal.any([this.shutdown, AbortSignal.timeout(LOOKUP_TIMEOUT_MS), ...options.signal != null ? [options.signal] : []])
    await dhtReady(this.node, signal)
    await this.node.peerRouting.findPeer(peer, { signal }).catch((err: any) => {
      this.log('looking up %p failed - %s', peer, err.message)
    })
  }

  /**
   * Looks a peer up in the DHT, past the peer store, when a send to it failed with no connection
   * open: a user's TCP port is new at each start, so a contact back online listens where we
   * have never been told, and dialling only the addresses we had failed while the DHT knew the
   * new one (the message went to the mailbox with the peer online). Resolves true when the peer
   * now has an address beyond those `tried` (found by the lookup, or learnt meanwhile); at most
   * once a minute per peer.
   */
  private async relocate (peer: PeerId, tried: Set<string>): Promise<boolean> {
    if (this.node.getConnections(peer).length > 0) return false
    const key = peer.toString()
    const last = this.relocated.get(key)
    if (last != null && Date.now() - last < RELOCATE_INTERVAL_MS) return false
    this.relocated.set(key, Date.now())
    const signal = AbortSignal.any([this.shutdown, AbortSignal.timeout(LOOKUP_TIMEOUT_MS)])
    const found = await this.node.peerRouting.findPeer(peer, { signal, useCache: false }).catch((err: any) => {
      this.log('looking %p up again failed - %s', peer, err.message)
      return undefined
    })
    const now = [...found?.multiaddrs.map(String) ?? [], ...await this.addressesOf(peer)]
    const moved = now.some(ma => !tried.has(ma))
    if (moved) this.log('%p is at a new address: trying it', peer)
    return moved
  }

  /** The addresses the peer store has for `peer` */
  private async addressesOf (peer: PeerId): Promise<Set<string>> {
    const known = await this.node.peerStore.get(peer).catch(() => undefined)
    return new Set(known?.addresses.map(a => a.multiaddr.toString()))
  }
}
