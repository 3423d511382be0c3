import { generateKeyPair } from '@libp2p/crypto/keys'
import { toString as toHex } from 'uint8arrays/to-string'
import { COURIER_DIALS_AT_ONCE, COURIER_DIALS_PER_S, COURIER_LIFETIME_MS } from './constants.ts'
import { DialPacer } from './dial-pacer.ts'
import { CouriersStoppedError } from './errors.ts'
import { addressOf } from '../../node/relayed-address.ts'
import type { AbortOptions, Connection, Libp2p, Logger, PeerId, PeerStore, PrivateKey, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * Builds a courier: a started libp2p node under `privateKey` that only dials (no listening, no
 * DHT), over the same transports, encryption and connection gater as the node
 * (`courierNodeFactory` in src/node/courier-node.ts)
 */
export type CourierNodeFactory = (privateKey: PrivateKey) => Promise<Libp2p>

export interface CouriersInit {
  createNode: CourierNodeFactory
  /** The node's own peer store: where the storers it found are reachable */
  peerStore: PeerStore
  /** The node's own connections to a peer: a courier takes the way one of them went */
  connections?(peer: PeerId): Connection[]
  log: Logger
  /** How long one courier (one throwaway identity) serves its mailbox. @default COURIER_LIFETIME_MS */
  lifetimeMs?: number
}

interface Courier {
  node: Promise<Libp2p>
  /** The mailbox (key, hex) it serves */
  mailbox: string
  /** After this, streams for its mailbox go through a new courier */
  expires: number
  /** Its streams still open: it stops once it has expired and none is left */
  open: number
  stopped: boolean
  timer?: ReturnType<typeof setTimeout>
}

/**
 * Throwaway identities for a node's own mailbox traffic. A deposit for a recipient's mailbox,
 * or the fetch of one of this node's own, goes over a connection made by a courier under a
 * fresh key, so the Noise handshake shows the storer a PeerId that was never anyone's: the
 * storer learns the mailbox key (which it must) and an IP address, not who deposits or fetches.
 *
 * One courier serves one mailbox (one key), never two: two mailboxes read or written over one
 * connection would be linked by it (this node's requests mailbox and its mailbox identity, or
 * two of a sender's recipients). It takes new streams for `lifetimeMs` at most, so a storer
 * cannot count one sender's deposits over days by it; within that while its connections are
 * reused, which keeps a backlog of envelopes for one recipient from costing a handshake each.
 * It stops once its last stream closes: a recipient's watch on its own mailbox holds its
 * courier until the watch is renewed (WATCH_RENEW_MS), and shows the storer nothing more than
 * the mailbox key it watches.
 */
export class Couriers {
  private readonly init: CouriersInit
  private readonly lifetimeMs: number
  /** The current courier of each mailbox, by key (hex) */
  private readonly current = new Map<string, Courier>()
  /** Every courier not yet stopped, the expired ones included */
  private readonly live = new Set<Courier>()
  private readonly pacer = new DialPacer({ concurrent: COURIER_DIALS_AT_ONCE, perSecond: COURIER_DIALS_PER_S })
  private stopping = false

  constructor (init: CouriersInit) {
    this.init = init
    this.lifetimeMs = init.lifetimeMs ?? COURIER_LIFETIME_MS
  }

  /** How many couriers are running (for tests and the status of a stop) */
  get running (): number {
    return this.live.size
  }

  /**
   * Opens `protocol` at `storer` on the courier of `mailbox` (any bytes that name one: a key, an
   * owner's PeerId), made if there is none or it has expired. It goes the way the node's own
   * connection to the storer went, else to the addresses in the node's peer store.
   */
  async open (mailbox: Uint8Array, storer: PeerId, protocol: string, options: AbortOptions = {}): Promise<Stream> {
    if (this.stopping) throw new CouriersStoppedError()
    const courier = this.courierFor(toHex(mailbox, 'base16'))
    courier.open++
    let stream: Stream | undefined
    try {
      const node = await courier.node
      const dialOptions = { ...options, runOnLimitedConnection: true }
      // a new connection waits its turn (dial-pacer.ts); one this courier holds is reused at once
      const done = node.getConnections(storer).length > 0 ? () => {} : await this.pacer.turn(storer.toString(), options)
      try {
        stream = await this.dial(node, storer, protocol, dialOptions)
      } finally {
        done()
      }
      return stream
    } finally {
      if (stream == null) {
        this.release(courier)
      } else {
        stream.addEventListener('close', () => { this.release(courier) }, { once: true })
      }
    }
  }

  private async dial (node: Libp2p, storer: PeerId, protocol: string, options: AbortOptions & { runOnLimitedConnection: boolean }): Promise<Stream> {
    const { dialled, known } = await this.addressesOf(storer, options)
    if (dialled != null) {
      // the way the node went first; a transport the courier lacks (a `/webrtc` connection), or
      // a way that closed meanwhile, leaves the other addresses
      const stream = await node.dialProtocol(dialled, protocol, options).catch((err: any) => {
        options.signal?.throwIfAborted()
        if (known.length === 0) throw err
        return undefined
      })
      if (stream != null) return stream
    }
    return known.length > 0 ? node.dialProtocol(known, protocol, options) : node.dialProtocol(storer, protocol, options)
  }

  /**
   * Where to reach `storer`: the address of a connection the node itself dialled to it, when it
   * has one (the way that works from here: a page connected to its relay over WebRTC-Direct
   * reaches it so, not over the WebSockets address the relay also announces), else every
   * address the node's peer store has for it
   */
  private async addressesOf (storer: PeerId, options: AbortOptions): Promise<{ dialled?: Multiaddr, known: Multiaddr[] }> {
    const withPeer = (ma: Multiaddr): Multiaddr => addressOf(storer, ma)
    const connection = this.init.connections?.(storer).find(c => c.direction === 'outbound' && c.status === 'open')
    const dialled = connection != null ? withPeer(connection.remoteAddr) : undefined
    const known = (await this.init.peerStore.get(storer, options).catch(() => ({ addresses: [] }))).addresses
      .map(a => withPeer(a.multiaddr))
      .filter(ma => dialled == null || !ma.equals(dialled))
    return { ...(dialled != null ? { dialled } : {}), known }
  }

  /** Stops every courier, with its connections */
  async stop (): Promise<void> {
    this.stopping = true
    this.current.clear()
    await Promise.all([...this.live].map(async courier => this.retire(courier)))
  }

  private courierFor (mailbox: string): Courier {
    const now = Date.now()
    const existing = this.current.get(mailbox)
    if (existing != null && existing.expires > now && !existing.stopped) return existing
    const courier: Courier = {
      node: generateKeyPair('Ed25519').then(async key => this.init.createNode(key)),
      mailbox,
      expires: now + this.lifetimeMs,
      open: 0,
      stopped: false
    }
    // at its end it serves no new stream, and stops as soon as its last one closes
    courier.timer = setTimeout(() => { this.expire(courier) }, this.lifetimeMs)
    // a courier that could not start is dropped, and the next open makes another
    courier.node.catch((err: any) => {
      this.init.log('a mailbox courier did not start - %s', err.message)
      courier.stopped = true
      this.live.delete(courier)
      if (this.current.get(mailbox) === courier) this.current.delete(mailbox)
    })
    this.current.set(mailbox, courier)
    this.live.add(courier)
    return courier
  }

  private expire (courier: Courier): void {
    if (this.current.get(courier.mailbox) === courier) this.current.delete(courier.mailbox)
    if (courier.open === 0) void this.retire(courier)
  }

  private release (courier: Courier): void {
    courier.open--
    if (courier.open === 0 && (courier.expires <= Date.now() || this.stopping)) void this.retire(courier)
  }

  private async retire (courier: Courier): Promise<void> {
    if (courier.stopped) return
    courier.stopped = true
    clearTimeout(courier.timer)
    this.live.delete(courier)
    const node = await courier.node.catch(() => undefined)
    try {
      await node?.stop()
    } catch (err: any) {
      this.init.log('a mailbox courier did not stop cleanly - %s', err.message)
    }
  }
}
