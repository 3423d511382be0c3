/**
 * Memory figures, each read in a child process (memory-child.ts) so that this process's heap
 * does not count: an idle node, the growth per extra node, and the growth per connection.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import { createParley } from '../../src/parley.ts'
import { createBareNode, LOOPBACK_TCP } from './libp2p.ts'
import { progress } from './log.ts'
import { sleep } from './stats.ts'
import type { BenchConfig, Figures } from './config.ts'
import type { ChildProcess } from 'node:child_process'

export type NodeKind = 'parley' | 'libp2p'

export interface Usage {
  rssMB: number
  heapMB: number
}

export type ChildRequest = { cmd: 'measure' } | { cmd: 'stop' }
export type ChildResult =
  | { type: 'nodes', empty: Usage, loaded: Usage, one: Usage, many: Usage }
  | { type: 'ready', addresses: string[] }
  | { type: 'usage', usage: Usage, connections: number }

const CHILD = fileURLToPath(new URL('./memory-child.ts', import.meta.url))
const CHILD_TIMEOUT_MS = 120_000
/** setTimeout's largest delay: in effect "never" for the clients' periodic DHT self-queries */
const NEVER_MS = 2_147_483_647

/** A child process with a queue of the messages it sent */
class Child {
  private readonly process: ChildProcess
  private readonly inbox: ChildResult[] = []
  private waiting?: () => void
  readonly exited: Promise<number | null>

  constructor (args: Record<string, unknown>) {
    this.process = spawn(process.execPath, [...process.execArgv, '--expose-gc', CHILD, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc']
    })
    // anything the child prints is progress, never part of our stdout
    this.process.stdout?.pipe(process.stderr, { end: false })
    this.process.stderr?.pipe(process.stderr, { end: false })
    this.process.on('message', (message: ChildResult) => {
      this.inbox.push(message)
      this.waiting?.()
    })
    this.exited = new Promise(resolve => this.process.once('exit', code => {
      resolve(code)
      this.waiting?.()
    }))
  }

  async next<T extends ChildResult['type']> (type: T): Promise<Extract<ChildResult, { type: T }>> {
    const deadline = Date.now() + CHILD_TIMEOUT_MS
    while (true) {
      const index = this.inbox.findIndex(m => m.type === type)
      if (index >= 0) return this.inbox.splice(index, 1)[0] as Extract<ChildResult, { type: T }>
      if (this.process.exitCode != null) throw new Error(`the memory child exited (${this.process.exitCode}) before sending "${type}"`)
      if (Date.now() > deadline) throw new Error(`the memory child sent no "${type}" within ${CHILD_TIMEOUT_MS} ms`)
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, 1_000)
        this.waiting = () => { clearTimeout(timer); resolve() }
      })
      this.waiting = undefined
    }
  }

  send (request: ChildRequest): void {
    this.process.send(request)
  }

  /** Waits for the child to exit on its own; kills it (by its own pid) if it does not */
  async finish (): Promise<void> {
    const timer = setTimeout(() => { this.process.kill('SIGKILL') }, 10_000)
    try {
      const code = await this.exited
      if (code !== 0) throw new Error(`the memory child exited with ${code}`)
    } finally {
      clearTimeout(timer)
    }
  }

  kill (): void {
    if (this.process.exitCode == null) this.process.kill('SIGKILL')
  }
}

async function nodesRun (kind: NodeKind, config: BenchConfig): Promise<Extract<ChildResult, { type: 'nodes' }>> {
  const child = new Child({ mode: 'nodes', kind, extra: config.extraNodes, settleMs: config.settleMs })
  try {
    const result = await child.next('nodes')
    await child.finish()
    return result
  } finally {
    child.kill()
  }
}

interface Client {
  dial(address: string): Promise<void>
  stop(): Promise<void>
}

/** Connecting peers, in this process: Parley nodes for a Parley hub, bare nodes for a bare one */
async function startClient (kind: NodeKind): Promise<Client> {
  if (kind === 'libp2p') {
    const node = await createBareNode()
    return { dial: async address => { await node.dial(multiaddr(address)) }, stop: async () => node.stop() }
  }
  // ephemeral (in-memory) nodes; no periodic self-queries, so the clients do not also mesh
  // with each other through the hub's DHT and keep the machine busy while the hub is measured
  const parley = await createParley({
    listen: [LOOPBACK_TCP],
    lan: true,
    mdns: false,
    dht: { initialQuerySelfInterval: NEVER_MS, querySelfInterval: NEVER_MS }
  })
  return { dial: async address => { await parley.node.dial(multiaddr(address)) }, stop: async () => parley.stop() }
}

/** KB of hub RSS (and heap) per connection: hub alone vs with `config.connections` clients */
async function connectionsRun (kind: NodeKind, config: BenchConfig): Promise<{ rssKB: number, heapKB: number }> {
  const child = new Child({ mode: 'hub', kind })
  const clients: Client[] = []
  try {
    const { addresses } = await child.next('ready')
    await sleep(config.settleMs)
    child.send({ cmd: 'measure' })
    const before = await child.next('usage')
    for (let i = 0; i < config.connections; i++) {
      const client = await startClient(kind)
      clients.push(client)
      await client.dial(addresses[0])
    }
    await sleep(config.settleMs)
    child.send({ cmd: 'measure' })
    const after = await child.next('usage')
    if (after.connections < config.connections) {
      throw new Error(`the hub has ${after.connections} connections, expected ${config.connections}`)
    }
    child.send({ cmd: 'stop' })
    await child.finish()
    return {
      rssKB: (after.usage.rssMB - before.usage.rssMB) * 1_024 / after.connections,
      heapKB: (after.usage.heapMB - before.usage.heapMB) * 1_024 / after.connections
    }
  } finally {
    await Promise.all(clients.map(async c => c.stop()))
    child.kill()
  }
}

export async function memory (config: BenchConfig): Promise<Figures> {
  progress('  memory: one + extra Parley nodes in a child process')
  const parley = await nodesRun('parley', config)
  progress('  memory: one + extra bare libp2p nodes in a child process')
  const bare = await nodesRun('libp2p', config)
  progress(`  memory: a Parley hub with ${config.connections} Parley peers`)
  const parleyPerConnection = await connectionsRun('parley', config)
  progress(`  memory: a bare libp2p hub with ${config.connections} bare peers`)
  const barePerConnection = await connectionsRun('libp2p', config)
  const perNode = (run: typeof parley, key: keyof Usage): number => (run.many[key] - run.one[key]) / config.extraNodes
  return {
    node_empty_rss_MB: parley.empty.rssMB,
    node_process_rss_MB: parley.loaded.rssMB,
    libp2p_process_rss_MB: bare.loaded.rssMB,
    idle_rss_MB: parley.one.rssMB,
    libp2p_idle_rss_MB: bare.one.rssMB,
    rss_per_extra_node_MB: perNode(parley, 'rssMB'),
    libp2p_rss_per_extra_node_MB: perNode(bare, 'rssMB'),
    heap_per_extra_node_MB: perNode(parley, 'heapMB'),
    libp2p_heap_per_extra_node_MB: perNode(bare, 'heapMB'),
    rss_per_connection_KB: parleyPerConnection.rssKB,
    libp2p_rss_per_connection_KB: barePerConnection.rssKB,
    heap_per_connection_KB: parleyPerConnection.heapKB,
    libp2p_heap_per_connection_KB: barePerConnection.heapKB
  }
}
