/**
 * The coordinator's view of the simulated network: the worker processes that host the nodes,
 * where each node lives, and typed calls to them over IPC.
 */

import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { summarize } from './stats.ts'
import type { MessageState, NodeDhtStatus, NodeInfo, NodeRole, NodeSpec, NodeTrace, OpName, Ops, Response, SimDhtInit, Transport, WorkerStats } from './protocol.ts'
import type { Summary } from './stats.ts'
import type { WhatIf } from './what-if/what-if.ts'
import type { ChildProcess, SpawnOptions } from 'node:child_process'

const WORKER_PATH = fileURLToPath(new URL('./worker.ts', import.meta.url))
const WHAT_IF_HOOKS = fileURLToPath(new URL('./what-if/hooks.ts', import.meta.url))
/** The flags `npm run simnet` runs under, which the workers need too */
const TS_FLAGS = ['--experimental-transform-types', '--disable-warning=ExperimentalWarning']
/** Nodes per `create` call: small enough to log progress as the network grows */
const CREATE_BATCH = 50
const DHT_POLL_MS = 2_000
/** The DHT counts as settled once this share of nodes has a non-empty routing table... */
const DHT_READY_SHARE = 0.99
/** ...and the routing tables, together, grew by less than this... */
const DHT_STABLE_GROWTH = 0.01
/** ...between each of this many successive polls */
const DHT_STABLE_POLLS = 3
/** ...or this many, when more nodes than that have an empty routing table */
const DHT_STUCK_POLLS = 10
const DEFAULT_K_BUCKET_SIZE = 20
const STOP_GRACE_MS = 60_000

/** Where a worker runs under --netns: a host of the internet box (test/net's `Host`) */
export interface WorkerHost {
  /** The address its nodes listen on */
  readonly ip: string
  /** `child_process.spawn` inside the host's network namespace */
  spawn(command: string, args: readonly string[], options: SpawnOptions): ChildProcess
}

export interface ClusterInit {
  nodes: number
  bootstraps: number
  /** Workers spawned here, on loopback; ignored when `hosts` is given */
  processes: number
  /**
   * --netns: one worker on each, the first hosting the bootstrap nodes, the others the users.
   * The IPC channel is a file descriptor the worker inherits, so it crosses namespaces.
   */
  hosts?: WorkerHost[]
  transport: Transport
  noise: boolean
  connectionMonitorMs: number
  dht: SimDhtInit
  /** Indexes of the nodes that must survive a pause with their identity */
  restartable: Set<number>
  /**
   * Indexes of the user nodes that host mailboxes. When there are any, the bootstrap nodes do
   * not (they would by default, as relays): the storers are exactly these nodes.
   */
  storers: Set<number>
  /** Mailbox proof-of-work difficulty for every node */
  stampBits: number
  /** Mailbox storers per envelope; the app's default when omitted */
  replicas?: number
  createConcurrency: number
  paceLagMs: number
  retryBaseMs: number
  retryMaxMs: number
  heapMb: number
  runId: string
  tmpDir: string
  cpuProfDir?: string
  whatIf?: WhatIf
  log(line: string): void
}

export interface SimNodeRef {
  index: number
  worker: number
  role: NodeRole
  peerId: string
  addrs: string[]
  alive: boolean
  restartable: boolean
  /** Hosts mailboxes for others */
  storer: boolean
  joined: boolean
  /** Epoch ms when the node last came up (createParley resolved) */
  startedAt: number
  /** How long that start took, and the bootstrap dial after it */
  startMs: number
  joinMs: number
}

export interface DhtReadiness {
  settled: boolean
  ms: number
  readyShare: number
  selfQueryShare: number
  fullShare: number
  routingTable?: Summary
  connections?: Summary
}

class WorkerHandle {
  readonly index: number
  readonly child: ChildProcess
  private nextId = 0
  private readonly pending = new Map<number, { resolve(value: unknown): void, reject(err: Error): void }>()
  exited = false

  constructor (index: number, child: ChildProcess) {
    this.index = index
    this.child = child
    child.on('message', (response: Response) => {
      const call = this.pending.get(response.id)
      if (call == null) return
      this.pending.delete(response.id)
      if (response.ok) call.resolve(response.result)
      else call.reject(new Error(`worker ${index}: ${response.error}`))
    })
    child.on('exit', (code, signal) => {
      this.exited = true
      for (const call of this.pending.values()) call.reject(new Error(`worker ${index} exited (${signal ?? code})`))
      this.pending.clear()
    })
  }

  async call<K extends OpName> (op: K, args: Ops[K]['args']): Promise<Ops[K]['result']> {
    if (this.exited) throw new Error(`worker ${this.index} has exited`)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.child.send({ id, op, args }, err => {
        if (err != null) {
          this.pending.delete(id)
          reject(err)
        }
      })
    })
  }
}

export class Cluster {
  readonly nodes: SimNodeRef[] = []
  private readonly init: ClusterInit
  private readonly workers: WorkerHandle[]

  private constructor (init: ClusterInit, workers: WorkerHandle[]) {
    this.init = init
    this.workers = workers
  }

  /** Spawns the worker processes (each with the TypeScript flags and its own heap limit) */
  static async start (init: ClusterInit): Promise<Cluster> {
    const workers = Array.from({ length: init.hosts?.length ?? init.processes }, (_, index) => {
      const execArgv = [...TS_FLAGS, `--max-old-space-size=${init.heapMb}`, '--expose-gc']
      if (init.cpuProfDir != null) execArgv.push('--cpu-prof', `--cpu-prof-dir=${init.cpuProfDir}`)
      // weald (libp2p's logger) asks isatty() for every logger it makes, thousands a second here
      const env: NodeJS.ProcessEnv = { DEBUG_COLORS: 'no', ...process.env }
      if (init.whatIf != null) {
        execArgv.push('--import', WHAT_IF_HOOKS)
        env.SIMNET_WHAT_IF = JSON.stringify(init.whatIf)
      }
      const stdio: SpawnOptions['stdio'] = ['ignore', 'pipe', 'pipe', 'ipc']
      const host = init.hosts?.[index]
      const child = host != null
        ? host.spawn(process.execPath, [...execArgv, WORKER_PATH], { env, serialization: 'advanced', stdio })
        : fork(WORKER_PATH, [], { execArgv, env, serialization: 'advanced', stdio })
      // the coordinator's stdout carries the report only
      child.stdout?.pipe(process.stderr)
      child.stderr?.pipe(process.stderr)
      return new WorkerHandle(index, child)
    })
    const cluster = new Cluster(init, workers)
    await Promise.all(workers.map(async w => w.call('init', {
      workerIndex: w.index,
      runId: init.runId,
      transport: init.transport,
      ...(init.hosts != null ? { internetIp: init.hosts[w.index].ip } : {}),
      noise: init.noise,
      connectionMonitorMs: init.connectionMonitorMs,
      dht: init.dht,
      tmpDir: init.tmpDir,
      retryBaseMs: init.retryBaseMs,
      retryMaxMs: init.retryMaxMs,
      paceLagMs: init.paceLagMs,
      stampBits: init.stampBits,
      ...(init.replicas != null ? { replicas: init.replicas } : {})
    })))
    return cluster
  }

  /** Bootstrap nodes first, meshed together, then the users, each joining through one of them */
  async build (): Promise<void> {
    const { nodes, bootstraps } = this.init
    const hostingBootstraps = this.init.storers.size > 0 ? { mailboxHost: false } : {}
    const bootSpecs = Array.from({ length: bootstraps }, (_, index): NodeSpec => ({ index, role: 'bootstrap', restartable: false, bootstrap: [], ...hostingBootstraps }))
    await this.createOn(bootSpecs)
    const boot = this.nodes.filter(n => n.role === 'bootstrap')
    // every bootstrap node dials those started before it: one connected core
    await Promise.all(boot.slice(1).map(async (node, i) => {
      await this.workers[node.worker].call('dial', { index: node.index, addrs: boot.slice(0, i + 1).map(b => b.addrs[0]) })
    }))
    const userSpecs = Array.from({ length: nodes - bootstraps }, (_, i): NodeSpec => {
      const index = bootstraps + i
      // a first choice spread evenly, and a second in case the first does not answer
      const first = boot[index % boot.length]
      const second = boot[(index + 1) % boot.length]
      return {
        index,
        role: 'user',
        restartable: this.init.restartable.has(index),
        bootstrap: [...new Set([first.addrs[0], second.addrs[0]])],
        ...(this.init.storers.has(index) ? { mailboxHost: true } : {})
      }
    })
    await this.createOn(userSpecs)
  }

  /**
   * Waits until the DHT is populated: nearly every node has a non-empty routing table, and the
   * routing tables, together, stopped growing for a few polls. Not "every node has done a
   * self-query": one that times out under load is only retried after `querySelfInterval` (5 min
   * by default), so that share is reported instead (`selfQueryShare`), as is `fullShare`, the
   * share of nodes whose table holds at least min(k, n - 1) peers.
   */
  async waitForDht (deadline: number): Promise<DhtReadiness> {
    const started = Date.now()
    const k = this.init.dht.kBucketSize ?? DEFAULT_K_BUCKET_SIZE
    let previousTotal = -1
    let stablePolls = 0
    let lastLog = 0
    while (true) {
      const status = await this.dhtStatus()
      const target = Math.min(k, status.length - 1)
      const ready = status.filter(s => s.routingTable > 0).length
      const readyShare = ready / status.length
      const selfQueried = status.filter(s => s.selfQueries > 0).length
      const total = status.reduce((sum, s) => sum + s.routingTable, 0)
      stablePolls = previousTotal > 0 && (total - previousTotal) / previousTotal < DHT_STABLE_GROWTH ? stablePolls + 1 : 0
      previousTotal = total
      const result = (settled: boolean): DhtReadiness => ({
        settled,
        ms: Date.now() - started,
        readyShare,
        selfQueryShare: selfQueried / status.length,
        fullShare: status.filter(s => s.routingTable >= target).length / status.length,
        routingTable: summarize(status.map(s => s.routingTable)),
        connections: summarize(status.map(s => s.connections))
      })
      // nodes left with an empty table (their first contacts timed out) may never fill it: after
      // a longer quiet spell the DHT counts as settled without them
      if (stablePolls >= (readyShare >= DHT_READY_SHARE ? DHT_STABLE_POLLS : DHT_STUCK_POLLS)) return result(true)
      if (Date.now() > deadline) return result(false)
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now()
        this.init.log(`dht: ${total} routing table entries (${(total / status.length).toFixed(1)} per node), ${status.length - ready} nodes with none, ${selfQueried} self-queries done`)
      }
      await new Promise(resolve => setTimeout(resolve, DHT_POLL_MS))
    }
  }

  users (alive = true): SimNodeRef[] {
    return this.nodes.filter(n => n.role === 'user' && n.alive === alive)
  }

  async dhtStatus (): Promise<NodeDhtStatus[]> {
    return (await Promise.all(this.workers.map(async w => w.call('dhtStatus', {})))).flat()
  }

  async lookup (from: SimNodeRef, to: SimNodeRef, timeoutMs: number): Promise<Ops['lookup']['result']> {
    return this.workers[from.worker].call('lookup', { from: from.index, target: to.peerId, timeoutMs })
  }

  async isConnected (from: SimNodeRef, to: SimNodeRef): Promise<boolean> {
    return this.workers[from.worker].call('isConnected', { from: from.index, target: to.peerId })
  }

  async send (from: SimNodeRef, to: SimNodeRef, text: string, timeoutMs: number): Promise<Ops['send']['result']> {
    return this.workers[from.worker].call('send', { from: from.index, to: to.peerId, text, timeoutMs })
  }

  async messageStatus (from: SimNodeRef, to: SimNodeRef, id: string): Promise<MessageState> {
    return this.workers[from.worker].call('messageStatus', { from: from.index, to: to.peerId, id })
  }

  /** What these nodes saw since their latest start */
  async trace (refs: SimNodeRef[]): Promise<NodeTrace[]> {
    return (await Promise.all(this.byWorker(refs).map(async ([worker, group]) => {
      return this.workers[worker].call('trace', { indexes: group.map(n => n.index) })
    }))).flat()
  }

  /** The nodes whose prekey record did not reach the DHT within `timeoutMs` */
  async prekeysPublished (refs: SimNodeRef[], timeoutMs: number): Promise<number[]> {
    return (await Promise.all(this.byWorker(refs).map(async ([worker, group]) => {
      return this.workers[worker].call('prekeysPublished', { indexes: group.map(n => n.index), timeoutMs })
    }))).flat()
  }

  async prekeyLookup (from: SimNodeRef, target: SimNodeRef, timeoutMs: number): Promise<Ops['prekeyLookup']['result']> {
    return this.workers[from.worker].call('prekeyLookup', { from: from.index, target: target.peerId, timeoutMs })
  }

  async mailboxUsage (refs: SimNodeRef[]): Promise<Array<{ index: number, bytes: number, items: number }>> {
    return (await Promise.all(this.byWorker(refs).map(async ([worker, group]) => {
      return this.workers[worker].call('mailboxUsage', { indexes: group.map(n => n.index) })
    }))).flat()
  }

  /** Envelopes the storers handed on to the storers now closest to each key */
  async replicate (refs: SimNodeRef[], timeoutMs: number): Promise<number> {
    const handed = await Promise.all(this.byWorker(refs).map(async ([worker, group]) => {
      return this.workers[worker].call('replicate', { indexes: group.map(n => n.index), timeoutMs })
    }))
    return handed.reduce((sum, n) => sum + n, 0)
  }

  /** The node with this PeerId */
  byPeerId (peerId: string): SimNodeRef | undefined {
    return this.nodes.find(n => n.peerId === peerId)
  }

  async pause (refs: SimNodeRef[]): Promise<void> {
    await Promise.all(this.byWorker(refs).map(async ([worker, group]) => {
      await this.workers[worker].call('pause', { indexes: group.map(n => n.index) })
    }))
    for (const ref of refs) ref.alive = false
  }

  async resume (refs: SimNodeRef[]): Promise<void> {
    await Promise.all(this.byWorker(refs).map(async ([worker, group]) => {
      const infos = await this.workers[worker].call('resume', { indexes: group.map(n => n.index) })
      this.record(worker, infos)
    }))
  }

  async subscribeAll (topic: string): Promise<Ops['subscribe']['result']> {
    const parts = await Promise.all(this.workers.map(async w => w.call('subscribe', { topic })))
    return {
      subscribed: parts.reduce((sum, p) => sum + p.subscribed, 0),
      withPubsubPeers: parts.reduce((sum, p) => sum + p.withPubsubPeers, 0),
      withTopicPeers: parts.reduce((sum, p) => sum + p.withTopicPeers, 0),
      withMesh: parts.reduce((sum, p) => sum + p.withMesh, 0)
    }
  }

  async publish (from: SimNodeRef, topic: string, key: string): Promise<Ops['publish']['result']> {
    return this.workers[from.worker].call('publish', { from: from.index, topic, key })
  }

  async gossipReport (key: string): Promise<Ops['gossipReport']['result']> {
    return (await Promise.all(this.workers.map(async w => w.call('gossipReport', { key })))).flat()
  }

  /** `from` makes a group of itself and `members` */
  async groupCreate (from: SimNodeRef, name: string, members: SimNodeRef[]): Promise<string> {
    return (await this.workers[from.worker].call('groupCreate', { from: from.index, name, members: members.map(m => m.peerId) })).id
  }

  /** How many members each of `refs` (running) sees in the group */
  async groupMembers (refs: SimNodeRef[], group: string): Promise<Ops['groupMembers']['result']> {
    return (await Promise.all(this.byWorker(refs).map(async ([worker, part]) => {
      return this.workers[worker].call('groupMembers', { indexes: part.map(n => n.index), group })
    }))).flat()
  }

  async groupSend (from: SimNodeRef, group: string, text: string): Promise<Ops['groupSend']['result']> {
    return this.workers[from.worker].call('groupSend', { from: from.index, group, text })
  }

  async groupArrivals (refs: SimNodeRef[], group: string): Promise<Ops['groupArrivals']['result']> {
    return (await Promise.all(this.byWorker(refs).map(async ([worker, part]) => {
      return this.workers[worker].call('groupArrivals', { indexes: part.map(n => n.index), group })
    }))).flat()
  }

  /** Bytes `ref` has written to its connections so far, and on the streams it opened by protocol */
  async bytesSent (ref: SimNodeRef): Promise<{ bytes: number, byProtocol: Record<string, number> }> {
    return (await this.workers[ref.worker].call('bytesSent', { indexes: [ref.index] }))[0]
  }

  async stats (): Promise<WorkerStats[]> {
    return Promise.all(this.workers.map(async w => w.call('stats', {})))
  }

  /** Asks every worker to stop its nodes and exit; kills those that do not within a grace period */
  async close (): Promise<void> {
    const live = this.workers.filter(w => !w.exited)
    let timer: ReturnType<typeof setTimeout> | undefined
    const grace = new Promise<void>(resolve => { timer = setTimeout(resolve, STOP_GRACE_MS) })
    await Promise.race([
      Promise.allSettled(live.map(async w => {
        await w.call('stop', {})
        await new Promise(resolve => { if (w.exited) resolve(undefined); else w.child.once('exit', resolve) })
      })),
      grace
    ])
    clearTimeout(timer)
    this.kill()
  }

  /** Ends every worker now (a deadline passed, or the user pressed Ctrl-C) */
  kill (): void {
    for (const w of this.workers) {
      if (!w.exited) w.child.kill('SIGKILL')
    }
  }

  /** On loopback nodes take turns over the workers; under --netns worker 0 hosts the bootstrap nodes */
  private workerOf (spec: NodeSpec): number {
    if (this.init.hosts == null) return spec.index % this.workers.length
    return spec.role === 'bootstrap' ? 0 : 1 + (spec.index - this.init.bootstraps) % (this.workers.length - 1)
  }

  private async createOn (specs: NodeSpec[]): Promise<void> {
    const perWorker = new Map<number, NodeSpec[]>()
    for (const spec of specs) {
      const w = this.workerOf(spec)
      perWorker.set(w, [...(perWorker.get(w) ?? []), spec])
    }
    let created = 0
    let lastLog = Date.now()
    await Promise.all([...perWorker].map(async ([worker, group]) => {
      for (let i = 0; i < group.length; i += CREATE_BATCH) {
        const batch = group.slice(i, i + CREATE_BATCH)
        this.record(worker, await this.workers[worker].call('create', { specs: batch, concurrency: this.init.createConcurrency }))
        created += batch.length
        if (Date.now() - lastLog > 5_000) {
          lastLog = Date.now()
          this.init.log(`created ${created}/${specs.length} ${specs[0].role} nodes`)
        }
      }
    }))
  }

  private record (worker: number, infos: NodeInfo[]): void {
    for (const info of infos) {
      const ref = this.nodes[info.index] ?? {
        index: info.index,
        worker,
        role: info.role,
        peerId: info.peerId,
        addrs: info.addrs,
        alive: true,
        restartable: this.init.restartable.has(info.index),
        storer: this.init.storers.has(info.index),
        joined: info.joined,
        startedAt: info.startedAt,
        startMs: info.startMs,
        joinMs: info.joinMs
      }
      ref.peerId = info.peerId
      ref.addrs = info.addrs
      ref.alive = true
      ref.joined = info.joined
      ref.startedAt = info.startedAt
      ref.startMs = info.startMs
      ref.joinMs = info.joinMs
      this.nodes[info.index] = ref
    }
  }

  private byWorker (refs: SimNodeRef[]): Array<[number, SimNodeRef[]]> {
    const groups = new Map<number, SimNodeRef[]>()
    for (const ref of refs) groups.set(ref.worker, [...(groups.get(ref.worker) ?? []), ref])
    return [...groups]
  }
}
