/** The Parley nodes one process hosts, and the operations the coordinator runs on them. */

import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { toString as toHex } from 'uint8arrays/to-string'
import { RELAY_TCP_PORT } from '../../src/node/constants.ts'
import { releaseNativeTransports } from '../../src/node/transports.ts'
import { createParley } from '../../src/parley.ts'
import { prekeyRecordKey, readPrekeyRecord } from '../../src/protocols/prekeys/index.ts'
import { STUN_PORT } from '../../src/stun/constants.ts'
import { mapLimit } from './stats.ts'
import type { LagMonitor } from './lag.ts'
import type { GossipReceipt, GroupArrivals, LookupResult, MessageState, NodeDhtStatus, NodeInfo, NodeRole, NodeSpec, NodeTrace, SendResult, WorkerConfig } from './protocol.ts'
import type { Parley, ParleyInit } from '../../src/parley.ts'
import type { GossipSub } from '@libp2p/gossipsub'
import type { SingleKadDHT } from '@libp2p/kad-dht'

/** How long one dial of a bootstrap node may take */
const BOOTSTRAP_DIAL_TIMEOUT_MS = 10_000
/** How long stopping one node may take at the end of a run before it is abandoned */
const STOP_TIMEOUT_MS = 10_000
const STOP_CONCURRENCY = 32
/** A node start waits at most this long for the event loop to catch up */
const PACE_MAX_WAIT_MS = 10_000
/** Without --netns every node listens on loopback */
const LOOPBACK_LISTEN = '/ip4/127.0.0.1/tcp/0'

const textEncoder = new TextEncoder()
const textDecoder = new TextDecoder()

interface SimNode {
  index: number
  role: NodeRole
  bootstrap: string[]
  mailboxHost?: boolean
  dataDir?: string
  /** After the first start, the exact addresses it listened on, so a resume keeps them */
  listen: string[]
  parley?: Parley
  peerId?: string
  selfQueries: number
  /** Gossip message key -> arrival time (epoch ms) */
  gossip: Map<string, number>
  /** Outgoing message id -> when it became `delivered` (epoch ms) */
  deliveredAt: Map<string, number>
  /** Outgoing message id -> its successful direct chat sends (a repeat is acked too) */
  directSends: Map<string, Array<{ start: number, end: number }>>
  /** Since the latest start */
  trace: NodeTrace
  /** Group message id -> when it first arrived here (epoch ms), across restarts */
  groupArrivals: Map<string, number>
  /** Bytes this node wrote to its connections (all of them, muxer framing included), across restarts */
  bytesSent: number
  /** Bytes it wrote on the streams it opened, by protocol (their payload: no muxer framing) */
  streamBytes: Map<string, number>
}

/** Epoch milliseconds with sub-millisecond precision, comparable across local processes */
export function now (): number {
  return performance.timeOrigin + performance.now()
}

export class LocalNetwork {
  /**
   * Streams this process's nodes opened, by protocol, and connections they opened or accepted:
   * what the network's upkeep consists of (see main.ts, `idle`)
   */
  readonly traffic = { streams: new Map<string, number>(), connections: 0 }
  private readonly config: WorkerConfig
  private readonly lag?: LagMonitor
  private readonly nodes = new Map<number, SimNode>()
  /** Pauses whose stop overran a step's budget (see `pause`) */
  stopsOverrun = 0

  constructor (config: WorkerConfig, lag?: LagMonitor) {
    this.config = config
    this.lag = lag
  }

  get size (): number {
    return [...this.nodes.values()].filter(n => n.parley != null).length
  }

  async create (specs: NodeSpec[], concurrency: number): Promise<NodeInfo[]> {
    return mapLimit(specs, concurrency, async spec => {
      const node: SimNode = {
        index: spec.index,
        role: spec.role,
        bootstrap: spec.bootstrap,
        listen: this.firstListen(spec),
        selfQueries: 0,
        gossip: new Map(),
        deliveredAt: new Map(),
        directSends: new Map(),
        trace: { index: spec.index, arrivals: [], collects: [], closestPeers: [] },
        groupArrivals: new Map(),
        bytesSent: 0,
        streamBytes: new Map()
      }
      if (spec.mailboxHost != null) node.mailboxHost = spec.mailboxHost
      if (spec.restartable) node.dataDir = join(this.config.tmpDir, `node-${spec.index}`)
      this.nodes.set(spec.index, node)
      await this.pace()
      return this.start(node)
    })
  }

  async dial (index: number, addrs: string[]): Promise<void> {
    const parley = this.live(index)
    await Promise.all(addrs.map(async addr => {
      await parley.node.dial(multiaddr(addr), { signal: AbortSignal.timeout(BOOTSTRAP_DIAL_TIMEOUT_MS) })
    }))
  }

  dhtStatus (): NodeDhtStatus[] {
    const status: NodeDhtStatus[] = []
    for (const node of this.nodes.values()) {
      if (node.parley == null) continue
      status.push({
        index: node.index,
        routingTable: (node.parley.node.services.dht as SingleKadDHT).routingTable.size,
        selfQueries: node.selfQueries,
        connections: node.parley.node.getConnections().length
      })
    }
    return status
  }

  /**
   * A DHT `findPeer` that skips the local peer store, so it always measures the network. Hops:
   * each peer the query learns of is one step further than the peer that named it (the ones it
   * starts from, out of its own routing table, are step 1); the lookup's hop count is the step of
   * the peer whose answer contained the target.
   */
  async lookup (from: number, target: string, timeoutMs: number): Promise<LookupResult> {
    const parley = this.live(from)
    const targetId = peerIdFromString(target)
    const step = new Map<string, number>()
    let responses = 0
    const started = performance.now()
    try {
      for await (const event of parley.node.services.dht.findPeer(targetId, { signal: AbortSignal.timeout(timeoutMs), useCache: false })) {
        if (event.name === 'SEND_QUERY') {
          if (!step.has(event.to.toString())) step.set(event.to.toString(), 1)
        } else if (event.name === 'PEER_RESPONSE') {
          responses++
          const next = (step.get(event.from.toString()) ?? 1) + 1
          for (const closer of event.closer) {
            if (!step.has(closer.id.toString())) step.set(closer.id.toString(), next)
          }
        } else if (event.name === 'FINAL_PEER' && event.peer.id.equals(targetId)) {
          // leaving the loop ends the query: the rest of it is not needed
          return { ok: true, ms: performance.now() - started, hops: step.get(event.from.toString()) ?? 1, responses }
        }
      }
      return { ok: false, ms: performance.now() - started, responses, error: 'NotFoundError' }
    } catch (err: any) {
      return { ok: false, ms: performance.now() - started, responses, error: err.name ?? String(err) }
    }
  }

  isConnected (from: number, target: string): boolean {
    return this.live(from).node.getConnections(peerIdFromString(target)).length > 0
  }

  async send (from: number, to: string, text: string, timeoutMs: number): Promise<SendResult> {
    const parley = this.live(from)
    const started = performance.now()
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      // the signal covers the store only; the delivery attempt has its own timeouts, which a
      // saturated process stretches: past timeoutMs the send counts as timed out (it goes on)
      const record = await Promise.race([
        parley.messenger.send(peerIdFromString(to), text, { signal: AbortSignal.timeout(timeoutMs) }),
        new Promise<undefined>(resolve => { timer = setTimeout(() => { resolve(undefined) }, timeoutMs) })
      ])
      if (record == null) return { status: 'timeout', ms: performance.now() - started }
      return {
        status: record.status,
        ms: performance.now() - started,
        id: record.id,
        ...(record.holders != null ? { holders: record.holders } : {}),
        ...(record.error != null ? { error: record.error } : {})
      }
    } catch (err: any) {
      return { status: 'error', ms: performance.now() - started, error: err.name ?? String(err) }
    } finally {
      clearTimeout(timer)
    }
  }

  async messageStatus (from: number, to: string, id: string): Promise<MessageState> {
    const node = this.nodes.get(from)
    if (node?.parley == null) return {}
    const record = (await node.parley.messenger.history({ peer: to })).find(m => m.direction === 'out' && m.id === id)
    const deliveredAt = node.deliveredAt.get(id)
    const directSends = node.directSends.get(id)
    return {
      ...(record != null ? { status: record.status } : {}),
      ...(directSends != null ? { directSends } : {}),
      ...(record?.holders != null ? { holders: record.holders } : {}),
      ...(deliveredAt != null ? { deliveredAt } : {})
    }
  }

  /** What each node saw since its latest start (arrivals, first routing peer, first notice) */
  trace (indexes: number[]): NodeTrace[] {
    return indexes.map(index => this.node(index).trace)
  }

  /**
   * Waits until each node's prekey record is in the DHT (senders need it to write to a node
   * that is offline). Returns the nodes whose record was not published within `timeoutMs`.
   */
  async prekeysPublished (indexes: number[], timeoutMs: number): Promise<number[]> {
    const missing: number[] = []
    await Promise.all(indexes.map(async index => {
      let timer: ReturnType<typeof setTimeout> | undefined
      const published = await Promise.race([
        this.live(index).node.services.prekeys.published.then(() => true),
        new Promise<boolean>(resolve => { timer = setTimeout(() => { resolve(false) }, timeoutMs) })
      ])
      clearTimeout(timer)
      if (!published) missing.push(index)
    }))
    return missing
  }

  /** Reads a node's prekey record from the DHT, as a sender does when the node is offline */
  async prekeyLookup (from: number, target: string, timeoutMs: number): Promise<LookupResult> {
    const parley = this.live(from)
    const key = prekeyRecordKey(peerIdFromString(target))
    const started = performance.now()
    try {
      await readPrekeyRecord(key, await parley.node.contentRouting.get(key, { signal: AbortSignal.timeout(timeoutMs) }))
      return { ok: true, ms: performance.now() - started }
    } catch (err: any) {
      return { ok: false, ms: performance.now() - started, error: err.name ?? String(err) }
    }
  }

  mailboxUsage (indexes: number[]): Array<{ index: number, bytes: number, items: number }> {
    return indexes.map(index => ({ index, ...this.live(index).node.services.mailbox.usage() }))
  }

  /** Has the storers hand their envelopes on to the storers now closest to each key */
  async replicate (indexes: number[], timeoutMs: number): Promise<number> {
    const handed = await Promise.all(indexes.map(async index => {
      try {
        return await this.live(index).node.services.mailbox.replicate({ signal: AbortSignal.timeout(timeoutMs) })
      } catch {
        return 0
      }
    }))
    return handed.reduce((sum, n) => sum + n, 0)
  }

  async pause (indexes: number[]): Promise<void> {
    await mapLimit(indexes, STOP_CONCURRENCY, async index => {
      const node = this.node(index)
      if (node.dataDir == null) throw new Error(`node ${index} was not created restartable`)
      const parley = node.parley
      node.parley = undefined
      await parley?.stop().catch((err: Error) => {
        // a step that overran its budget (a loaded process) was abandoned, the later ones still
        // ran: the store is closed, and the node can start again from its data directory
        if (err.name !== 'ShutdownError') throw err
        this.stopsOverrun++
      })
    })
  }

  async resume (indexes: number[]): Promise<NodeInfo[]> {
    return mapLimit(indexes, STOP_CONCURRENCY, async index => this.start(this.node(index)))
  }

  /** Subscribes every running node (again: it is idempotent) and says how far the mesh got */
  subscribe (topic: string): { subscribed: number, withPubsubPeers: number, withTopicPeers: number, withMesh: number } {
    let subscribed = 0
    let withPubsubPeers = 0
    let withTopicPeers = 0
    let withMesh = 0
    for (const node of this.nodes.values()) {
      if (node.parley == null) continue
      const pubsub = pubsubOf(node.parley)
      if (!pubsub.getTopics().includes(topic)) pubsub.subscribe(topic)
      subscribed++
      if (pubsub.getPeers().length > 0) withPubsubPeers++
      if (pubsub.getSubscribers(topic).length > 0) withTopicPeers++
      if ((pubsub.getMeshPeers?.(topic).length ?? 0) > 0) withMesh++
    }
    return { subscribed, withPubsubPeers, withTopicPeers, withMesh }
  }

  async publish (from: number, topic: string, key: string): Promise<{ at: number, recipients: number }> {
    const at = now()
    const result = await pubsubOf(this.live(from)).publish(topic, textEncoder.encode(key))
    return { at, recipients: result.recipients.length }
  }

  gossipReport (key: string): GossipReceipt[] {
    const receipts: GossipReceipt[] = []
    for (const node of this.nodes.values()) {
      const at = node.gossip.get(key)
      if (node.parley != null && at != null) receipts.push({ index: node.index, at })
    }
    return receipts
  }

  /** `from` makes a group of itself and `members` (PeerIds) */
  async groupCreate (from: number, name: string, members: string[]): Promise<{ id: string }> {
    const parley = this.live(from)
    const group = await parley.groups.create(name)
    await parley.groups.add(group.id, members.map(m => peerIdFromString(m)))
    return { id: group.id }
  }

  /** How many members each running node's copy of the group has (0: it does not hold it yet) */
  async groupMembers (indexes: number[], group: string): Promise<Array<{ index: number, members: number }>> {
    return Promise.all(indexes.filter(i => this.node(i).parley != null).map(async index => ({
      index,
      members: (await this.live(index).groups.get(group).catch(() => undefined))?.members.length ?? 0
    })))
  }

  async groupSend (from: number, group: string, text: string): Promise<{ at: number, id: string, delivered: number }> {
    const at = now()
    const { message, delivered } = await this.live(from).groupMessaging.send(group, text)
    return { at, id: message.id, delivered }
  }

  /** The group's messages as each running node stored them */
  async groupArrivals (indexes: number[], group: string): Promise<GroupArrivals[]> {
    return Promise.all(indexes.filter(i => this.node(i).parley != null).map(async index => {
      const node = this.node(index)
      const history = (await this.live(index).messenger.history()).filter(m => m.conversation === group)
      const byText = new Map<string, { text: string, copies: number, at?: number }>()
      for (const m of history) {
        const seen = byText.get(m.text) ?? { text: m.text, copies: 0 }
        seen.copies++
        const at = node.groupArrivals.get(m.id)
        if (at != null) seen.at = at
        byText.set(m.text, seen)
      }
      return { index, messages: [...byText.values()] }
    }))
  }

  bytesSent (indexes: number[]): Array<{ index: number, bytes: number, byProtocol: Record<string, number> }> {
    return indexes.map(index => ({ index, bytes: this.node(index).bytesSent, byProtocol: Object.fromEntries(this.node(index).streamBytes) }))
  }

  connectionCount (): number {
    let total = 0
    for (const node of this.nodes.values()) total += node.parley?.node.getConnections().length ?? 0
    return total
  }

  /** Stops every node; one that hangs is abandoned after a while, the process exits anyway */
  async stop (): Promise<void> {
    const running = [...this.nodes.values()].filter(n => n.parley != null)
    await mapLimit(running, STOP_CONCURRENCY, async node => {
      const parley = node.parley
      node.parley = undefined
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([
        parley?.stop().catch(() => {}),
        new Promise<void>(resolve => { timer = setTimeout(resolve, STOP_TIMEOUT_MS) })
      ])
      clearTimeout(timer)
    })
    // users on the internet ran WebRTC: its native threads must end before the process does
    if (this.config.internetIp != null) {
      try {
        releaseNativeTransports()
      } catch {
        // `cleanup timeout`: the process exits anyway
      }
    }
  }

  private async start (node: SimNode): Promise<NodeInfo> {
    const internet = this.config.internetIp != null
    const init: ParleyInit = {
      memory: this.config.transport === 'memory',
      insecurePlaintext: !this.config.noise,
      lan: !internet,
      mdns: false,
      listen: node.listen,
      relay: node.role === 'bootstrap',
      dht: this.config.dht,
      connectionMonitor: this.config.connectionMonitorMs > 0 ? { pingInterval: this.config.connectionMonitorMs } : { enabled: false },
      messenger: { retryBaseMs: this.config.retryBaseMs, retryMaxMs: this.config.retryMaxMs, stampBits: this.config.stampBits }
    }
    if (node.dataDir != null) init.dataDir = node.dataDir
    // the bootstrap nodes share their namespace, so each needs a STUN port of its own
    if (internet && node.role === 'bootstrap') init.stun = { port: STUN_PORT + node.index }
    if (node.mailboxHost === true) init.mailboxHost = {}
    if (node.mailboxHost === false) init.mailboxHost = false
    if (this.config.replicas != null) init.mailbox = { replicas: this.config.replicas }
    const startCalled = now()
    const parley = await createParley(init)
    // nothing can have arrived yet: the messenger's first mailbox check needs the network
    const startedAt = now()
    const trace: NodeTrace = { index: node.index, startedAt, arrivals: [], collects: [], closestPeers: [] }
    node.trace = trace
    node.parley = parley
    node.peerId = parley.peerId.toString()
    parley.messenger.addEventListener('message', evt => {
      trace.arrivals.push({ text: evt.detail.text, from: evt.detail.peer, at: now() })
    })
    parley.node.services.mailbox.addEventListener('notice', () => { trace.firstNoticeAt ??= now() })
    traceCollections(parley, trace)
    traceDirectSends(parley, node.directSends)
    // kad-dht's routing table is an event target, though its public type shows only `size`
    const table = (parley.node.services.dht as unknown as { routingTable: Partial<EventTarget> & { size: number } }).routingTable
    if (table.size > 0) trace.firstRoutingPeerAt = startedAt
    else table.addEventListener?.('peer:add', () => { trace.firstRoutingPeerAt ??= now() }, { once: true })
    // the libp2p node re-dispatches its components' events, the DHT's self-query among them
    ;(parley.node as unknown as EventTarget).addEventListener('kad-dht:query:self', () => { node.selfQueries++ })
    pubsubOf(parley).addEventListener('message', evt => {
      const key = textDecoder.decode(evt.detail.data)
      if (!node.gossip.has(key)) node.gossip.set(key, now())
    })
    countTraffic(parley, this.traffic, node)
    parley.groupMessaging.addEventListener('message', evt => {
      if (!node.groupArrivals.has(evt.detail.id)) node.groupArrivals.set(evt.detail.id, now())
    })
    parley.messenger.addEventListener('status', evt => {
      if (evt.detail.status === 'delivered' && !node.deliveredAt.has(evt.detail.id)) node.deliveredAt.set(evt.detail.id, now())
    })
    const addrs = parley.addresses().map(ma => ma.toString())
    // on loopback a resumed node keeps the addresses its peers remember; on the internet
    // (--netns) a user takes a new port at each start, as the app's users do
    if (!internet) {
      if (addrs.length === 0 && this.config.transport === 'tcp' && !node.listen.every(a => a.endsWith('/tcp/0'))) {
        // the port it had before a pause is taken (libp2p does not fail on a listen error): any port
        await parley.stop()
        node.listen = [LOOPBACK_LISTEN]
        return this.start(node)
      }
      node.listen = addrs.map(a => a.replace(/\/p2p\/[^/]+$/, ''))
    }
    const joined = await this.joinNetwork(parley, node.bootstrap)
    return { index: node.index, role: node.role, peerId: node.peerId, addrs, joined, startedAt, startMs: startedAt - startCalled, joinMs: now() - startedAt }
  }

  /**
   * Where a node listens when it is created. On the internet (--netns) a relay keeps a fixed
   * port, one per bootstrap node sharing the namespace, as real relays do: it announces only the
   * public addresses whose port it knows before listening (`relayPublicAddresses`). A user takes
   * any port, and a relay reservation and WebRTC for when it is behind a NAT, as the app's do.
   */
  private firstListen (spec: NodeSpec): string[] {
    const ip = this.config.internetIp
    if (this.config.transport === 'memory') return [`/memory/simnet-${this.config.runId}-${spec.index}`]
    if (ip == null) return [LOOPBACK_LISTEN]
    return spec.role === 'bootstrap' ? [`/ip4/${ip}/tcp/${RELAY_TCP_PORT + spec.index}`] : [`/ip4/${ip}/tcp/0`, '/p2p-circuit', '/webrtc']
  }

  /**
   * Holds a node start back while this process is overloaded: nodes joining faster than the
   * process can run them time out their pings and self-queries and end up with empty routing
   * tables, which says nothing about the DHT.
   */
  private async pace (): Promise<void> {
    if (this.lag == null || this.config.paceLagMs <= 0) return
    const until = Date.now() + PACE_MAX_WAIT_MS
    while (this.lag.recentMs() > this.config.paceLagMs && Date.now() < until) {
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }

  /**
   * Dials the first bootstrap node that answers (`@libp2p/bootstrap` refuses `/memory`
   * addresses). A node none answers keeps running, unconnected: the report counts it.
   */
  private async joinNetwork (parley: Parley, bootstrap: string[]): Promise<boolean> {
    for (const addr of bootstrap) {
      try {
        await parley.node.dial(multiaddr(addr), { signal: AbortSignal.timeout(BOOTSTRAP_DIAL_TIMEOUT_MS) })
        return true
      } catch {
        // try the next one
      }
    }
    return bootstrap.length === 0
  }

  private node (index: number): SimNode {
    const node = this.nodes.get(index)
    if (node == null) throw new RangeError(`no node ${index} in worker ${this.config.workerIndex}`)
    return node
  }

  private live (index: number): Parley {
    const parley = this.node(index).parley
    if (parley == null) throw new Error(`node ${index} is not running`)
    return parley
  }
}

/**
 * Times each mailbox collection and each closest-hosts query (the mailbox service's lookups go
 * through the hosts' DHT service): the messenger calls the service's `collect`, so wrapping
 * these on this node's instances sees them all. Instrumentation only: the calls are unchanged.
 */
function traceCollections (parley: Parley, trace: NodeTrace): void {
  const mailbox = parley.node.services.mailbox
  const collect = mailbox.collect.bind(mailbox)
  mailbox.collect = async (options) => {
    const entry: NodeTrace['collects'][number] = { at: now() }
    trace.collects.push(entry)
    try {
      const result = await collect(options)
      Object.assign(entry, { ms: now() - entry.at, ...result })
      return result
    } catch (err: any) {
      Object.assign(entry, { ms: now() - entry.at, error: err.name ?? String(err) })
      throw err
    }
  }
  const hosts = parley.node.services.mailboxHosts
  const closestHosts = hosts.closestHosts.bind(hosts)
  hosts.closestHosts = async (key, options) => {
    const entry: NodeTrace['closestPeers'][number] = { at: now(), peers: 0 }
    trace.closestPeers.push(entry)
    try {
      const peers = await closestHosts(key, options)
      entry.peers = peers.length
      return peers
    } finally {
      entry.ms = now() - entry.at
    }
  }
}

/**
 * Counts each connection the node opens or accepts, each stream it opens, by protocol, and the
 * bytes it writes to its connections (`maConn`, under the muxer: not a libp2p API)
 */
function countTraffic (parley: Parley, traffic: LocalNetwork['traffic'], node: Pick<SimNode, 'bytesSent' | 'streamBytes'>): void {
  parley.node.addEventListener('connection:open', evt => {
    traffic.connections++
    const connection = evt.detail
    const maConn = (connection as unknown as { maConn?: { send?: (data: { byteLength: number }) => boolean } }).maConn
    const send = maConn?.send?.bind(maConn)
    if (maConn != null && send != null) {
      maConn.send = data => {
        node.bytesSent += data.byteLength
        return send(data)
      }
    }
    const newStream = connection.newStream.bind(connection)
    connection.newStream = async (protocols, options) => {
      const protocol = Array.isArray(protocols) ? protocols[0] : protocols
      traffic.streams.set(protocol, (traffic.streams.get(protocol) ?? 0) + 1)
      const stream = await newStream(protocols, options)
      const write = stream.send.bind(stream)
      stream.send = data => {
        node.streamBytes.set(stream.protocol, (node.streamBytes.get(stream.protocol) ?? 0) + data.byteLength)
        return write(data)
      }
      return stream
    }
  })
}

/**
 * Records each successful direct chat send by message id, so a message's path can be told:
 * it came directly if the recipient took it while such a send was under way (the send resolves
 * on the recipient's ack), else through a mailbox
 */
function traceDirectSends (parley: Parley, sends: Map<string, Array<{ start: number, end: number }>>): void {
  const chat = parley.node.services.chat
  const send = chat.send.bind(chat)
  chat.send = async (peer, message, options) => {
    const start = now()
    await send(peer, message, options)
    const id = toHex(message.id, 'base16')
    sends.set(id, [...(sends.get(id) ?? []), { start, end: now() }])
  }
}

/** `getMeshPeers` is on the implementation, not on the published interface */
type SimGossipSub = GossipSub & { getMeshPeers?(topic: string): string[] }

function pubsubOf (parley: Parley): SimGossipSub {
  return parley.node.services.pubsub as SimGossipSub
}
