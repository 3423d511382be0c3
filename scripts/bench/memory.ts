/**
 * Memory figures, each read in a child process (memory-child.ts) so that this process's heap
 * does not count: an idle node, the growth per extra node, and the growth per connection.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { createParley } from '../../src/parley.ts'
import { Child } from './child.ts'
import { createBareNode, LOOPBACK_TCP } from './libp2p.ts'
import { progress } from './log.ts'
import { sleep } from './stats.ts'
import type { BenchConfig, Figures } from './config.ts'

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

/** setTimeout's largest delay: in effect "never" for the clients' periodic DHT self-queries */
const NEVER_MS = 2_147_483_647

/** memory-child.ts, with `--expose-gc` so it can collect before it measures */
function memoryChild (args: Record<string, unknown>): Child<ChildResult, ChildRequest> {
  return new Child('the memory child', './memory-child.ts', args, ['--expose-gc'])
}

async function nodesRun (kind: NodeKind, config: BenchConfig): Promise<Extract<ChildResult, { type: 'nodes' }>> {
  const child = memoryChild({ mode: 'nodes', kind, extra: config.extraNodes, settleMs: config.settleMs })
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
  const child = memoryChild({ mode: 'hub', kind })
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
