import type { LagSummary } from './lag.ts'

/** What the coordinator and its worker processes say to each other over the IPC channel. */

export type Transport = 'memory' | 'tcp'
export type NodeRole = 'bootstrap' | 'user'

/** The DHT settings a simulation may override (numbers only: they cross the IPC channel) */
export interface SimDhtInit {
  kBucketSize?: number
  querySelfInterval?: number
  initialQuerySelfInterval?: number
  alpha?: number
  prefixLength?: number
}

export interface WorkerConfig {
  workerIndex: number
  runId: string
  transport: Transport
  /**
   * --netns: the address of the network namespace this worker runs in. Its nodes then run as on
   * the internet, not in LAN mode, listening on this address. Absent: 127.0.0.1 (or memory), LAN mode.
   */
  internetIp?: string
  noise: boolean
  /** libp2p's connection monitor ping interval; 0 turns it off */
  connectionMonitorMs: number
  dht: SimDhtInit
  /** Where restartable nodes keep their identity between a pause and a resume */
  tmpDir: string
  retryBaseMs: number
  retryMaxMs: number
  /** Node creation waits while the event loop lags more than this (0: never waits) */
  paceLagMs: number
  /** Mailbox stamp difficulty, senders' and recipients' alike (the app's is 20 bits, ~0.5 s) */
  stampBits: number
  /** Mailbox storers per envelope; the app's default (REPLICAS) when omitted */
  replicas?: number
}

export interface NodeSpec {
  index: number
  role: NodeRole
  /**
   * Kept in a data directory so that it can be paused and resumed with the same identity
   * (createParley has no `privateKey` option for ephemeral nodes)
   */
  restartable: boolean
  /** Bootstrap addresses the node dials after starting, the first that works is enough */
  bootstrap: string[]
  /**
   * Hold mailbox envelopes for others: true hosts with the app's limits, false never does,
   * omitted is the app's default (relays, i.e. bootstrap nodes, host; users do not)
   */
  mailboxHost?: boolean
}

export interface NodeInfo {
  index: number
  role: NodeRole
  peerId: string
  addrs: string[]
  /** False when no bootstrap node answered */
  joined: boolean
  /** Epoch ms when createParley resolved: the node is up, its messenger started */
  startedAt: number
  /** How long createParley took */
  startMs: number
  /** How long the first bootstrap dial took after that */
  joinMs: number
}

export interface NodeDhtStatus {
  index: number
  routingTable: number
  selfQueries: number
  connections: number
}

export interface LookupResult {
  ok: boolean
  ms: number
  /** Length of the query path that reached the peer who knew the target (1 = a peer we knew) */
  hops?: number
  /** DHT peers that answered before the target was found */
  responses?: number
  error?: string
}

export interface SendResult {
  status: string
  ms: number
  id?: string
  /** Storers that signed a receipt for a `stored` message (PeerIds) */
  holders?: string[]
  error?: string
}

/** What a node saw since its latest start, for the mailbox scenario (times in epoch ms) */
export interface NodeTrace {
  index: number
  startedAt?: number
  /** First peer in its DHT routing table: the messenger's first mailbox check waits for it */
  firstRoutingPeerAt?: number
  /** First storer notice ("I hold mail for you") */
  firstNoticeAt?: number
  /** Messages that arrived (`message` events) */
  arrivals: Array<{ text: string, from: string, at: number }>
  /** Each mailbox collection the messenger started (at start, on a notice, on its timer) */
  collects: Array<{ at: number, ms?: number, storers?: number, fetched?: number, acked?: number, error?: string }>
  /** Each closest-peers DHT query (a mailbox collection makes one per mailbox key: 3) */
  closestPeers: Array<{ at: number, ms?: number, peers: number }>
}

export interface MessageState {
  status?: string
  deliveredAt?: number
  holders?: string[]
  /** Successful direct chat sends of it (epoch ms): the recipient took it between start and end */
  directSends?: Array<{ start: number, end: number }>
}

export interface GossipReceipt {
  index: number
  /** Epoch milliseconds (fractional) when the message arrived */
  at: number
}

export interface WorkerStats {
  workerIndex: number
  nodes: number
  rssBytes: number
  heapUsedBytes: number
  /** Before any node was created */
  baselineRssBytes: number
  baselineHeapUsedBytes: number
  cpuUserMs: number
  cpuSystemMs: number
  openFds: number
  connections: number
  /** Event-loop lag since the previous stats call */
  lag: LagSummary
  /** Streams opened so far, by protocol, and connections opened or accepted (both ends count) */
  streams: Record<string, number>
  connectionsOpened: number
  unhandledRejections: number
  /** Paused nodes whose stop overran a step's budget (a loaded process): stopped all the same */
  stopsOverrun: number
  uncaughtExceptions: number
  /** The first few of those errors, `name: message` */
  errorSamples: string[]
}

/** A node's view of a group's messages, for the groups scenario */
export interface GroupArrivals {
  index: number
  /** The group's messages this node stored (its own too), each with how many times it is stored and when it first arrived */
  messages: Array<{ text: string, copies: number, at?: number }>
}

/** Every operation: its arguments and its result */
export interface Ops {
  init: { args: WorkerConfig, result: void }
  create: { args: { specs: NodeSpec[], concurrency: number }, result: NodeInfo[] }
  dial: { args: { index: number, addrs: string[] }, result: void }
  dhtStatus: { args: Record<string, never>, result: NodeDhtStatus[] }
  lookup: { args: { from: number, target: string, timeoutMs: number }, result: LookupResult }
  isConnected: { args: { from: number, target: string }, result: boolean }
  send: { args: { from: number, to: string, text: string, timeoutMs: number }, result: SendResult }
  messageStatus: { args: { from: number, to: string, id: string }, result: MessageState }
  pause: { args: { indexes: number[] }, result: void }
  resume: { args: { indexes: number[] }, result: NodeInfo[] }
  subscribe: { args: { topic: string }, result: { subscribed: number, withPubsubPeers: number, withTopicPeers: number, withMesh: number } }
  publish: { args: { from: number, topic: string, key: string }, result: { at: number, recipients: number } }
  gossipReport: { args: { key: string }, result: GossipReceipt[] }
  trace: { args: { indexes: number[] }, result: NodeTrace[] }
  prekeysPublished: { args: { indexes: number[], timeoutMs: number }, result: number[] }
  prekeyLookup: { args: { from: number, target: string, timeoutMs: number }, result: LookupResult }
  mailboxUsage: { args: { indexes: number[] }, result: Array<{ index: number, bytes: number, items: number }> }
  replicate: { args: { indexes: number[], timeoutMs: number }, result: number }
  groupCreate: { args: { from: number, name: string, members: string[] }, result: { id: string } }
  groupMembers: { args: { indexes: number[], group: string }, result: Array<{ index: number, members: number }> }
  groupSend: { args: { from: number, group: string, text: string }, result: { at: number, id: string, delivered: number } }
  groupArrivals: { args: { indexes: number[], group: string }, result: GroupArrivals[] }
  bytesSent: { args: { indexes: number[] }, result: Array<{ index: number, bytes: number, byProtocol: Record<string, number> }> }
  stats: { args: Record<string, never>, result: WorkerStats }
  stop: { args: Record<string, never>, result: void }
}

export type OpName = keyof Ops

export interface Request<K extends OpName = OpName> {
  id: number
  op: K
  args: Ops[K]['args']
}

export type Response =
  | { id: number, ok: true, result: unknown }
  | { id: number, ok: false, error: string }
