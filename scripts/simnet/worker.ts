/**
 * A simnet worker process: hosts a share of the simulated nodes and runs what the coordinator
 * asks over the IPC channel. Started by the coordinator only (it needs the IPC channel).
 */

import { readdirSync } from 'node:fs'
import { LagMonitor } from './lag.ts'
import { LocalNetwork } from './network.ts'
import type { OpName, Ops, Request, Response, WorkerStats } from './protocol.ts'

const ERROR_SAMPLES = 5

if (process.send == null) {
  console.error('worker.ts is started by the simnet coordinator (npm run simnet), not directly')
  process.exit(2)
}

const errors = { unhandledRejections: 0, uncaughtExceptions: 0, samples: [] as string[] }

function remember (err: unknown): void {
  if (errors.samples.length < ERROR_SAMPLES) {
    const e = err as { name?: string, message?: string }
    errors.samples.push(`${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`)
  }
}

// libp2p occasionally lets an abort escape (e.g. kad-dht queries ended under load): count it and
// keep going, the report says how many there were
process.on('unhandledRejection', err => {
  errors.unhandledRejections++
  remember(err)
})
process.on('uncaughtException', err => {
  errors.uncaughtExceptions++
  remember(err)
})
// the coordinator is gone: nothing left to report to
process.on('disconnect', () => { process.exit(1) })

let network: LocalNetwork | undefined
let workerIndex = -1
const baseline = process.memoryUsage()
const lag = new LagMonitor()

function net (): LocalNetwork {
  if (network == null) throw new Error('worker not initialised')
  return network
}

function stats (): WorkerStats {
  ;(globalThis as { gc?: () => void }).gc?.()
  const memory = process.memoryUsage()
  const cpu = process.cpuUsage()
  let openFds = -1
  try {
    openFds = readdirSync('/proc/self/fd').length
  } catch {
    // not Linux: no /proc to count descriptors in
  }
  return {
    workerIndex,
    nodes: network?.size ?? 0,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    baselineRssBytes: baseline.rss,
    baselineHeapUsedBytes: baseline.heapUsed,
    cpuUserMs: cpu.user / 1_000,
    cpuSystemMs: cpu.system / 1_000,
    openFds,
    connections: network?.connectionCount() ?? 0,
    lag: lag.takeSummary(),
    streams: Object.fromEntries(network?.traffic.streams ?? []),
    connectionsOpened: network?.traffic.connections ?? 0,
    unhandledRejections: errors.unhandledRejections,
    stopsOverrun: network?.stopsOverrun ?? 0,
    uncaughtExceptions: errors.uncaughtExceptions,
    errorSamples: errors.samples
  }
}

type Handlers = { [K in OpName]: (args: Ops[K]['args']) => Promise<Ops[K]['result']> | Ops[K]['result'] }

const handlers: Handlers = {
  init: config => {
    workerIndex = config.workerIndex
    network = new LocalNetwork(config, lag)
  },
  create: async ({ specs, concurrency }) => net().create(specs, concurrency),
  dial: async ({ index, addrs }) => net().dial(index, addrs),
  dhtStatus: () => net().dhtStatus(),
  lookup: async ({ from, target, timeoutMs }) => net().lookup(from, target, timeoutMs),
  isConnected: ({ from, target }) => net().isConnected(from, target),
  send: async ({ from, to, text, timeoutMs }) => net().send(from, to, text, timeoutMs),
  messageStatus: async ({ from, to, id }) => net().messageStatus(from, to, id),
  pause: async ({ indexes }) => net().pause(indexes),
  resume: async ({ indexes }) => net().resume(indexes),
  subscribe: ({ topic }) => net().subscribe(topic),
  publish: async ({ from, topic, key }) => net().publish(from, topic, key),
  gossipReport: ({ key }) => net().gossipReport(key),
  trace: ({ indexes }) => net().trace(indexes),
  prekeysPublished: async ({ indexes, timeoutMs }) => net().prekeysPublished(indexes, timeoutMs),
  prekeyLookup: async ({ from, target, timeoutMs }) => net().prekeyLookup(from, target, timeoutMs),
  mailboxUsage: ({ indexes }) => net().mailboxUsage(indexes),
  replicate: async ({ indexes, timeoutMs }) => net().replicate(indexes, timeoutMs),
  groupCreate: async ({ from, name, members }) => net().groupCreate(from, name, members),
  groupMembers: async ({ indexes, group }) => net().groupMembers(indexes, group),
  groupSend: async ({ from, group, text }) => net().groupSend(from, group, text),
  groupArrivals: async ({ indexes, group }) => net().groupArrivals(indexes, group),
  bytesSent: ({ indexes }) => net().bytesSent(indexes),
  stats: () => stats(),
  stop: async () => {
    await network?.stop()
  }
}

process.on('message', (message: Request) => {
  const handler = handlers[message.op] as (args: unknown) => unknown
  void (async () => {
    let response: Response
    try {
      response = { id: message.id, ok: true, result: await handler(message.args) }
    } catch (err: any) {
      response = { id: message.id, ok: false, error: `${err?.name ?? 'Error'}: ${err?.message ?? String(err)}` }
    }
    if (message.op === 'stop') {
      // exit once the answer is out: a libp2p timer left behind must not keep the process alive
      process.send?.(response, () => { process.exit(0) })
    } else {
      process.send?.(response)
    }
  })()
})
