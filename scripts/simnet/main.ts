/**
 * The simulated network: `npm run simnet -- --nodes N [...]` (see args.ts or --help).
 *
 * This process is the coordinator. The nodes live in worker processes (one by default, with the
 * memory transport; several talk over 127.0.0.1 TCP, or with --netns over an internet in a box,
 * each worker in a network namespace of its own), which it drives over IPC. It always exits by
 * itself: past --timeout-s the workers are killed. The namespaces go with it, whatever the end.
 */

import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { USAGE, UsageError, parseOptions } from './args.ts'
import { Cluster } from './cluster.ts'
import { buildInternet, sharedAddressNote } from './netns.ts'
import { formatJson, formatTables } from './report.ts'
import { selectScenarios } from './scenarios/index.ts'
import { createRng } from './stats.ts'
import { RETRY_BASE_MS } from '../../src/messenger/constants.ts'
import { STAMP_BITS } from '../../src/protocols/mailbox/index.ts'
import type { SimnetOptions } from './args.ts'
import type { DhtReadiness } from './cluster.ts'
import type { SimInternet } from './netns.ts'
import type { SimDhtInit } from './protocol.ts'
import type { Report, Section } from './report.ts'
import type { SimPlan } from './scenarios/index.ts'
import type { Rng } from './stats.ts'


const runStarted = Date.now()
function log (line: string): void {
  process.stderr.write(`[simnet ${((Date.now() - runStarted) / 1_000).toFixed(1)}s] ${line}\n`)
}

function dhtInit (options: SimnetOptions): SimDhtInit {
  const dht: SimDhtInit = {}
  if (options.kBucketSize != null) dht.kBucketSize = options.kBucketSize
  if (options.querySelfIntervalMs != null) dht.querySelfInterval = options.querySelfIntervalMs
  if (options.initialQuerySelfIntervalMs != null) dht.initialQuerySelfInterval = options.initialQuerySelfIntervalMs
  if (options.alpha != null) dht.alpha = options.alpha
  if (options.prefixLength != null) dht.prefixLength = options.prefixLength
  return dht
}

/** The run's figures; undefined when it was cut short, since `abort` then printed them and exits */
async function run (options: SimnetOptions): Promise<Report | undefined> {
  const rng = createRng(options.seed)
  const notes: string[] = []
  const users = options.nodes - options.bootstraps
  const encryption = options.noise ? 'noise' : 'plaintext (no encryption: simulation only)'
  const connectionMonitor = options.connectionMonitorMs > 0 ? `ping every ${options.connectionMonitorMs} ms` : 'off (simulation only)'
  const report: Report = {
    simnet: {
      nodes: options.nodes,
      bootstraps: options.bootstraps,
      users,
      processes: options.processes,
      transport: options.transport,
      encryption,
      seed: options.seed,
      connectionMonitor,
      dht: { kBucketSize: 20, alpha: 10, prefixLength: 6, querySelfIntervalMs: 300_000, initialQuerySelfIntervalMs: 0, ...renameDht(dhtInit(options)) },
      churn: options.churn,
      ...(options.mailbox.storers > 0 ? { mailboxStorers: options.mailbox.storers, mailboxReplicas: options.mailbox.replicas ?? 'app default (5)' } : {}),
      stampBits: options.stampBits,
      messengerRetryMs: [RETRY_BASE_MS, options.retryMaxMs],
      concurrency: options.concurrency
    },
    setup: {},
    resources: {},
    scenarios: {},
    notes,
    ok: false
  }
  if (options.whatIf != null) {
    report.simnet.whatIf = JSON.stringify(options.whatIf)
    notes.push(`--what-if ${JSON.stringify(options.whatIf)}: libp2p settings Parley does not expose were changed; these are not the figures of the shipped configuration`)
    log(notes[notes.length - 1])
  }
  if (options.stampBits !== STAMP_BITS) {
    notes.push(`mailbox stamps of ${options.stampBits} bits for every node (the app's are ${STAMP_BITS} bits, ~0.5 s of CPU per message to a stranger): --stamp-bits`)
    log(notes[notes.length - 1])
  }
  log(`${options.nodes} nodes (${options.bootstraps} bootstrap), ${options.processes} process(es)${options.netns != null ? ' and 1 for the bootstrap nodes, each in a network namespace (--netns)' : ''}, ${options.transport} transport, ${encryption}, connection monitor ${connectionMonitor}`)
  const sharedAddress = options.netns != null ? sharedAddressNote(Math.ceil(users / options.processes), options.whatIf) : undefined
  if (sharedAddress != null) {
    notes.push(sharedAddress)
    log(sharedAddress)
  }

  // the paused-and-resumed nodes must keep their identity, so they are chosen before they exist
  const plan = makePlan(options, rng)
  const restartable = new Set([...plan.churn, ...plan.storers, ...plan.mailboxRecipients.flat(), ...plan.mailboxSenders, ...plan.groups.flatMap(g => g.offline)])
  if (plan.storers.length > 0) log(`${plan.storers.length} user nodes host mailboxes; the bootstrap nodes do not`)
  const tmpDir = await mkdtemp(join(tmpdir(), 'parley-simnet-'))
  const cpuProfDir = options.cpuProf ? (options.cpuProfDir ?? await mkdtemp(join(tmpdir(), 'parley-simnet-prof-'))) : undefined
  if (cpuProfDir != null) notes.push(`CPU profiles in ${cpuProfDir}`)

  let cluster: Cluster | undefined
  let internet: SimInternet | undefined
  let aborted = false
  /** Ends the run now: the workers are killed, the figures so far printed, the namespaces deleted */
  const abort = (reason: string, code: number): void => {
    if (aborted) return
    aborted = true
    log(`${reason}: killing the workers`)
    cluster?.kill()
    notes.push(`${reason}: the run was cut short, figures are partial`)
    report.setup.wallClockMs = Date.now() - runStarted
    console.log(options.json ? formatJson(report) : formatTables(report))
    void Promise.allSettled([rm(tmpDir, { recursive: true, force: true }), internet?.destroy()]).finally(() => process.exit(code))
  }
  const watchdog = setTimeout(() => { abort(`--timeout-s ${options.timeoutS} passed`, 3) }, options.timeoutS * 1_000)
  const interrupt = (): void => { abort('interrupted', 130) }
  // `on`, not `once`: test/net's own handler (it deletes the namespaces at once) raises the signal
  // again when no other listener is left, which would end the process before the report
  process.on('SIGINT', interrupt)
  process.on('SIGTERM', interrupt)

  try {
    const setupDeadline = Date.now() + options.setupTimeoutS * 1_000
    if (options.netns != null) {
      internet = await buildInternet(options.processes, options.netns.nat)
      report.simnet.netns = internet.layout
      log(`internet in a box: ${internet.layout.join('; ')}`)
    }
    const t0 = Date.now()
    cluster = await Cluster.start({
      nodes: options.nodes,
      bootstraps: options.bootstraps,
      processes: options.processes,
      ...(internet != null ? { hosts: internet.hosts } : {}),
      transport: options.transport,
      noise: options.noise,
      connectionMonitorMs: options.connectionMonitorMs,
      dht: dhtInit(options),
      restartable,
      storers: new Set(plan.storers),
      stampBits: options.stampBits,
      ...(options.mailbox.replicas != null ? { replicas: options.mailbox.replicas } : {}),
      createConcurrency: options.createConcurrency,
      paceLagMs: options.paceLagMs,
      retryBaseMs: RETRY_BASE_MS,
      retryMaxMs: options.retryMaxMs,
      heapMb: options.heapMb,
      runId: randomBytes(4).toString('hex'),
      tmpDir,
      ...(cpuProfDir != null ? { cpuProfDir } : {}),
      ...(options.whatIf != null ? { whatIf: options.whatIf } : {}),
      log
    })
    const t1 = Date.now()
    log(`${options.processes + (internet != null ? 1 : 0)} worker(s) up in ${t1 - t0} ms, creating nodes`)
    await cluster.build()
    const t2 = Date.now()
    log(`${options.nodes} nodes started in ${t2 - t1} ms, waiting for the DHT`)
    const dht: DhtReadiness = await cluster.waitForDht(setupDeadline)
    const t3 = Date.now()
    log(`DHT ${dht.settled ? 'settled' : 'NOT settled'} after ${dht.ms} ms`)
    if (!dht.settled) notes.push(`the DHT did not settle within --setup-timeout-s ${options.setupTimeoutS}: ${(dht.readyShare * 100).toFixed(1)}% of nodes ready; measuring anyway`)
    report.setup = {
      workersStartMs: t1 - t0,
      nodesStartMs: t2 - t1,
      dhtSettleMs: t3 - t2,
      totalMs: t3 - t0,
      joinFailures: cluster.nodes.filter(n => !n.joined).length,
      dhtSettled: dht.settled,
      dhtReadyShare: dht.readyShare,
      selfQueryDoneShare: dht.selfQueryShare,
      routingTableFullShare: dht.fullShare,
      routingTable: dht.routingTable,
      connectionsPerNode: dht.connections
    }
    report.resources = await resources(cluster)
    report.setup.eventLoopLag = report.resources.eventLoopLag
    delete report.resources.eventLoopLag
    if (options.idleS > 0) {
      log(`idle for ${options.idleS} s: the network's own upkeep`)
      report.idle = await idle(cluster, options.idleS, report.resources)
    }

    for (const scenario of selectScenarios(options)) {
      log(`scenario ${scenario.name}: ${scenario.description}`)
      const started = Date.now()
      try {
        const result = await scenario.run({ cluster, options, plan, rng, log, deadline: started + options.scenarioTimeoutS * 1_000 })
        report.scenarios[scenario.name] = { ...result, scenarioMs: Date.now() - started }
      } catch (err: any) {
        report.scenarios[scenario.name] = { error: err.message, scenarioMs: Date.now() - started }
        notes.push(`scenario ${scenario.name} failed: ${err.message}`)
      }
    }
    // errors libp2p let escape during the scenarios count too
    const after = await resources(cluster)
    report.resources.unhandledRejections = after.unhandledRejections
    report.resources.uncaughtExceptions = after.uncaughtExceptions
    report.resources.stopsOverrun = after.stopsOverrun
    report.resources.errorSamples = after.errorSamples
    report.resources.cpuUserMs = after.cpuUserMs
    report.resources.cpuSystemMs = after.cpuSystemMs
    report.resources.scenarioEventLoopLag = after.eventLoopLag
    report.ok = !Object.values(report.scenarios).some(s => s.error != null)
  } catch (err: any) {
    notes.push(`run failed: ${err.message}`)
    log(`run failed: ${err.stack ?? err.message}`)
  } finally {
    log('stopping the nodes')
    await cluster?.close()
    await internet?.destroy().catch((err: Error) => { notes.push(`could not delete every network namespace: ${err.message}`) })
    await rm(tmpDir, { recursive: true, force: true })
    clearTimeout(watchdog)
    process.removeListener('SIGINT', interrupt)
    process.removeListener('SIGTERM', interrupt)
  }
  report.setup.wallClockMs = Date.now() - runStarted
  return aborted ? undefined : report
}

/**
 * What the settled network costs with nothing asked of it (pings, DHT and gossipsub upkeep): the
 * workers' CPU over a quiet spell, as cores in use and as CPU ms per node per second. Past about
 * one core per worker the process is saturated before any scenario starts.
 */
async function idle (cluster: Cluster, seconds: number, before: Section): Promise<Section> {
  const started = Date.now()
  await new Promise(resolve => setTimeout(resolve, seconds * 1_000))
  const after = await resources(cluster)
  const wallMs = Date.now() - started
  const cpuMs = (after.cpuUserMs as number) + (after.cpuSystemMs as number) - (before.cpuUserMs as number) - (before.cpuSystemMs as number)
  const nodeSeconds = (after.nodesRunning as number) * wallMs / 1_000
  const streams = after.streams as Record<string, number>
  const earlier = before.streams as Record<string, number>
  const streamsPerNodePerS: Record<string, number> = {}
  for (const [protocol, count] of Object.entries(streams).sort(([, a], [, b]) => b - a)) {
    const rate = (count - (earlier[protocol] ?? 0)) / nodeSeconds
    if (rate > 0) streamsPerNodePerS[protocol] = Number(rate.toPrecision(3))
  }
  return {
    idleMs: wallMs,
    cpuCores: cpuMs / wallMs,
    cpuMsPerNodePerS: cpuMs / wallMs * 1_000 / (after.nodesRunning as number),
    connectionEnds: after.connectionEnds,
    connectionsOpenedPerNodePerS: ((after.connectionsOpened as number) - (before.connectionsOpened as number)) / nodeSeconds,
    streamsPerNodePerS,
    eventLoopLag: after.eventLoopLag
  }
}

function sumCounts (counts: Array<Record<string, number>>): Record<string, number> {
  const total: Record<string, number> = {}
  for (const c of counts) {
    for (const [key, n] of Object.entries(c)) total[key] = (total[key] ?? 0) + n
  }
  return total
}

/** Memory per node is the workers' growth since before their first node, over the node count */
async function resources (cluster: Cluster): Promise<Section> {
  const stats = await cluster.stats()
  const nodes = stats.reduce((sum, s) => sum + s.nodes, 0)
  const sum = (f: (s: typeof stats[number]) => number): number => stats.reduce((total, s) => total + f(s), 0)
  return {
    nodesRunning: nodes,
    rssPerNodeBytes: sum(s => s.rssBytes - s.baselineRssBytes) / nodes,
    heapPerNodeBytes: sum(s => s.heapUsedBytes - s.baselineHeapUsedBytes) / nodes,
    rssTotalBytes: sum(s => s.rssBytes),
    rssPerWorkerBytes: stats.map(s => s.rssBytes),
    openFdsPerWorker: stats.map(s => s.openFds),
    connectionEnds: sum(s => s.connections),
    cpuUserMs: sum(s => s.cpuUserMs),
    cpuSystemMs: sum(s => s.cpuSystemMs),
    // the worst worker
    eventLoopLag: {
      p50Ms: Math.max(...stats.map(s => s.lag.p50Ms)),
      p99Ms: Math.max(...stats.map(s => s.lag.p99Ms)),
      maxMs: Math.max(...stats.map(s => s.lag.maxMs)),
      stalledShare: Math.max(...stats.map(s => s.lag.stalledShare))
    },
    streams: sumCounts(stats.map(s => s.streams)),
    connectionsOpened: sum(s => s.connectionsOpened),
    unhandledRejections: sum(s => s.unhandledRejections),
    uncaughtExceptions: sum(s => s.uncaughtExceptions),
    stopsOverrun: sum(s => s.stopsOverrun),
    errorSamples: stats.flatMap(s => s.errorSamples)
  }
}

/**
 * Which user nodes play which part: storers first, then each mailbox round's recipients, then
 * the churn victims out of the rest (so without storers or mailbox rounds, a seed picks the
 * same churn victims as before these existed)
 */
function makePlan (options: SimnetOptions, rng: Rng): SimPlan {
  const users = options.nodes - options.bootstraps
  const userIndexes = Array.from({ length: users }, (_, i) => options.bootstraps + i)
  const storers = rng.sample(userIndexes, options.mailbox.storers).sort((a, b) => a - b)
  const taken = new Set(storers)
  const mailboxRecipients = options.mailbox.killStorers.map(() => {
    const round = rng.sample(userIndexes.filter(i => !taken.has(i)), options.mailbox.recipients).sort((a, b) => a - b)
    for (const i of round) taken.add(i)
    return round
  })
  const churn = rng.sample(userIndexes.filter(i => !taken.has(i)), Math.round(options.churn * users))
  for (const i of churn) taken.add(i)
  // senders that go offline after writing must keep their identity too
  const mailboxSenders = options.mailbox.sendersOffline ? userIndexes.filter(i => !taken.has(i)) : []
  // a group's members are the first users; its creator never goes offline
  const groups = options.groups.sizes.map(size => {
    const members = userIndexes.slice(0, size)
    return { members, offline: rng.sample(members.slice(1), Math.round(options.groups.offline * size)).sort((a, b) => a - b) }
  })
  return { churn, storers, mailboxRecipients, mailboxSenders, groups }
}

function renameDht (dht: SimDhtInit): Section {
  const out: Section = {}
  if (dht.kBucketSize != null) out.kBucketSize = dht.kBucketSize
  if (dht.alpha != null) out.alpha = dht.alpha
  if (dht.prefixLength != null) out.prefixLength = dht.prefixLength
  if (dht.querySelfInterval != null) out.querySelfIntervalMs = dht.querySelfInterval
  if (dht.initialQuerySelfInterval != null) out.initialQuerySelfIntervalMs = dht.initialQuerySelfInterval
  return out
}

let options: SimnetOptions | 'help'
try {
  options = parseOptions(process.argv.slice(2))
} catch (err: any) {
  console.error(`${err.message}\n\n${USAGE}`)
  process.exit(err instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS') === true ? 2 : 1)
}
if (options === 'help') {
  console.log(USAGE)
  process.exit(0)
}
const report = await run(options)
if (report != null) {
  console.log(options.json ? formatJson(report) : formatTables(report))
  process.exit(report.ok ? 0 : 1)
}
