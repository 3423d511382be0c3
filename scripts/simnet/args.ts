/** The simnet's command line. */

import { availableParallelism, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { RETRY_MAX_MS } from '../../src/messenger/constants.ts'
import { DEFAULT_REACHES, parseReaches } from './netns.ts'
import { parseWhatIf } from './what-if/what-if.ts'
import type { Reach } from './netns.ts'
import type { Transport } from './protocol.ts'
import type { WhatIf } from './what-if/what-if.ts'

export const USAGE = `Usage: npm run simnet -- --nodes N [options]

Builds a network of N real Parley nodes (a few bootstrap/relay nodes, the rest users), waits for
the DHT to fill, then measures DHT lookups, chat delivery, gossip, churn and mailboxes.

  --nodes N              nodes in all, bootstrap nodes included (required)
  --bootstraps B         bootstrap/relay nodes (default max(2, ceil(N / 250)))
  --processes K          worker processes hosting the nodes (default 1; with --netns, the
                         user nodes' workers, default one per --nat entry, and one more hosts
                         the bootstrap nodes)
  --transport T          memory | tcp (default memory with 1 process, tcp with more or with
                         --netns; memory only connects nodes in one process; tcp is 127.0.0.1
                         only, unless --netns)
  --noise                encrypt connections with Noise (default: plaintext, simulation only)
  --connection-monitor-ms MS  libp2p's connection monitor pings every connection this often and
                         closes those whose ping times out (default 0: off, simulation only; the
                         app's is libp2p's, 10000): with hundreds of nodes in a process its pings
                         are most of the idle CPU, and a lagging event loop fails them
  --lookups L            random DHT findPeer lookups between user nodes (default 100)
  --messages M           chat messages between random, not yet connected user pairs (default 50)
  --churn P              pause this share of user nodes, measure among the survivors, resume
                         them with the same identity (default 0: no churn)
  --scenarios LIST       comma-separated, out of: lookups,messages,gossip,churn,mailbox,groups
                         (default: all that the other options enable; any --mailbox option,
                         --replicas, --storers or --kill-storers enables mailbox, any --group
                         option groups)
  --group-members LIST   the groups scenario: one group of each size in turn (default min(100,
                         users)); members are the first user nodes, the first of them makes it
  --group-offline P      share of each group's members offline while it sends (default 0.2):
                         they catch up from the group's mailbox once back
  --group-messages M     messages sent to each group, each from a random member online (default 50)
  --group-wait-s S       how long the members back online get to catch up (default 120)
  --stamp-bits B         mailbox proof-of-work of every node, senders' and recipients' (default
                         4; the app's is 20, ~0.5 s of CPU per message to a stranger)
  --idle-s S             once the DHT settled, leave the network idle this long and report
                         its upkeep: CPU per node, event-loop lag (default 10; 0 skips it)
  --concurrency C        lookups/messages in flight at once (default 4)
  --seed S               seed for every random choice of the simnet (default 1)
  --json                 print one JSON object instead of tables
Mailbox scenario (one round per --kill-storers share: recipients go offline, senders write to
them, a share of the storers holding copies is stopped for good, the recipients come back):
  --replicas R           storers per envelope (default: the app's, 5)
  --storers K            user nodes that host mailboxes (default ceil(N / 5) with the mailbox
                         scenario, else 0); with K > 0 the bootstrap nodes do not host
  --kill-storers LIST    % of the storers holding the round's copies to stop, one round each, in
                         order (default 0,30,50); the next round starts with them back
  --mailbox-recipients C recipients per round (default min(5, users left / (rounds + 1)))
  --mailbox-senders S    senders per recipient (default 2)
  --mailbox-messages M   messages from each sender to each recipient (default 3)
  --mailbox-wait-s S     after the recipients restart, wait this long at most for their messages
                         and the senders' receipts (default 60)
  --mailbox-first-contact  senders never wrote to their recipients before (default: each sends
                         one message while the recipient is online, so they have a session):
                         they encrypt with the recipient's prekey record from the DHT, which the
                         recipient first puts again by a restart (see --mailbox-no-warmup)
  --mailbox-no-warmup    with --mailbox-first-contact, no such restart: the prekey record is then
                         the one the recipient put into the DHT when it joined it
  --mailbox-senders-offline  senders stop once their messages are stored and come back after the
                         recipients' wait: every message and receipt then goes through mailboxes
                         (online senders hand their outbox over directly when the recipient's
                         DHT traffic reaches them, as it often does in a small network)
  --mailbox-restart-together  restart the round's recipients all at once (default: one after the
                         other, the next once the previous has all its messages or 10 s passed)
  --mailbox-replicate    after the kill, the surviving storers hand copies on (replicate()) before
                         the recipients restart; the app does so every 30 min
DHT tuning (passed to kad-dht):
  --kbucket K            k-bucket size (default 20)
  --query-self-ms MS     self-query interval (kad-dht default 300000)
  --initial-query-self-ms MS  first self-query delay (kad-dht default 1000)
  --alpha A              query concurrency (kad-dht default 10)
  --prefix-length P      depth to which the routing table's buckets split (kad-dht default 6:
                         up to 2^6 x k = 1,280 peers, i.e. most of a 1,000-node network)
Limits:
  --create-concurrency C nodes started at once per worker (default 8)
  --pace-lag-ms MS       hold node starts back while a worker's event loop lags more than
                         this (default 200; 0 starts them as fast as possible)
  --setup-timeout-s S    bound on building the network and waiting for the DHT (default 600)
  --scenario-timeout-s S a scenario starts no new lookup or message past this (default 600)
  --timeout-s S          bound on the whole run; past it workers are killed and the figures
                         so far printed (default 2400)
  --retry-max-ms MS      messenger retry backoff cap (default: the app's, RETRY_MAX_MS)
  --heap-mb MB           V8 heap limit per worker (default 75% of RAM / the workers)
  --what-if JSON         apply libp2p settings Parley does not expose yet (a proposed src change),
                         e.g. '{"connectionMonitor":{"enabled":false},"userMaxConnections":30,
                         "gossipIpColocationWeight":0}' (see what-if/what-if.ts)
  --cpu-prof             write a V8 CPU profile per worker (see --cpu-prof-dir)
  --cpu-prof-dir DIR     where profiles go (default: a temporary directory, printed)
  --help
Internet in a box (needs root and Linux's iproute2, nftables, conntrack, util-linux):
  --netns                run on network namespaces (test/net, docs/NETWORK.md) instead of
                         127.0.0.1: the bootstrap nodes (relays) in one worker on a public
                         address, each user worker in a namespace of its own, public or behind a
                         NAT router (--nat). Nodes run as on the internet: no LAN mode, public
                         11.0.0.0/16 addresses, relays on fixed ports (4001 + i, STUN 3478 + i),
                         users also on /p2p-circuit and /webrtc, so NATted ones are reached
                         through the relays. A worker's nodes share its IP, so Parley's per-IP
                         limits bind sooner than on the internet (the report's notes say how to
                         lift them). Every namespace is removed at the end, also after an error,
                         --timeout-s or Ctrl-C. Implies --transport tcp
  --nat LIST             what each user worker sits behind, in turn: public, port-restricted,
                         symmetric or full-cone (default ${DEFAULT_REACHES.join(',')})`

export const SCENARIO_NAMES = ['lookups', 'messages', 'gossip', 'churn', 'mailbox', 'groups'] as const
export type ScenarioName = typeof SCENARIO_NAMES[number]

export interface MailboxOptions {
  replicas?: number
  storers: number
  /** Percentages, one round each */
  killStorers: number[]
  recipients: number
  senders: number
  messages: number
  waitS: number
  replicate: boolean
  warmup: boolean
  firstContact: boolean
  sendersOffline: boolean
  restartTogether: boolean
}

export interface GroupOptions {
  /** One group per size, in turn (empty: no group scenario) */
  sizes: number[]
  /** The share of each group's members (never its creator) offline while the messages go */
  offline: number
  messages: number
  /** How long the members offline get, once back, to catch up */
  waitS: number
}

export interface SimnetOptions {
  nodes: number
  bootstraps: number
  /** Worker processes; with `netns`, those of the user nodes (the bootstrap nodes have one more) */
  processes: number
  transport: Transport
  /** On an internet in a box, each user worker behind `nat[i % nat.length]`; absent: 127.0.0.1 */
  netns?: { nat: Reach[] }
  noise: boolean
  /** 0: libp2p's connection monitor is off */
  connectionMonitorMs: number
  lookups: number
  messages: number
  churn: number
  stampBits: number
  mailbox: MailboxOptions
  groups: GroupOptions
  scenarios?: ScenarioName[]
  idleS: number
  concurrency: number
  seed: number
  json: boolean
  kBucketSize?: number
  querySelfIntervalMs?: number
  initialQuerySelfIntervalMs?: number
  alpha?: number
  prefixLength?: number
  createConcurrency: number
  paceLagMs: number
  setupTimeoutS: number
  scenarioTimeoutS: number
  timeoutS: number
  retryMaxMs: number
  heapMb: number
  cpuProf: boolean
  cpuProfDir?: string
  whatIf?: WhatIf
}

/** Thrown for a command line that cannot run */
export class UsageError extends Error {
  static override name = 'UsageError'
  override name = 'UsageError'
}

export function parseOptions (argv: string[]): SimnetOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      nodes: { type: 'string' },
      bootstraps: { type: 'string' },
      processes: { type: 'string' },
      transport: { type: 'string' },
      netns: { type: 'boolean' },
      nat: { type: 'string' },
      noise: { type: 'boolean' },
      'connection-monitor-ms': { type: 'string' },
      lookups: { type: 'string' },
      messages: { type: 'string' },
      churn: { type: 'string' },
      replicas: { type: 'string' },
      storers: { type: 'string' },
      'kill-storers': { type: 'string' },
      'mailbox-recipients': { type: 'string' },
      'mailbox-senders': { type: 'string' },
      'mailbox-messages': { type: 'string' },
      'mailbox-wait-s': { type: 'string' },
      'mailbox-replicate': { type: 'boolean' },
      'mailbox-no-warmup': { type: 'boolean' },
      'mailbox-first-contact': { type: 'boolean' },
      'mailbox-senders-offline': { type: 'boolean' },
      'mailbox-restart-together': { type: 'boolean' },
      'stamp-bits': { type: 'string' },
      'group-members': { type: 'string' },
      'group-offline': { type: 'string' },
      'group-messages': { type: 'string' },
      'group-wait-s': { type: 'string' },
      scenarios: { type: 'string' },
      'idle-s': { type: 'string' },
      concurrency: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      kbucket: { type: 'string' },
      'query-self-ms': { type: 'string' },
      'initial-query-self-ms': { type: 'string' },
      alpha: { type: 'string' },
      'prefix-length': { type: 'string' },
      'create-concurrency': { type: 'string' },
      'pace-lag-ms': { type: 'string' },
      'setup-timeout-s': { type: 'string' },
      'timeout-s': { type: 'string' },
      'scenario-timeout-s': { type: 'string' },
      'retry-max-ms': { type: 'string' },
      'heap-mb': { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      'cpu-prof-dir': { type: 'string' },
      'what-if': { type: 'string' },
      help: { type: 'boolean' }
    }
  })
  if (values.help === true) return 'help'
  if (values.nodes == null) throw new UsageError('--nodes is required')
  const nodes = integer('--nodes', values.nodes, 3)
  const bootstraps = integer('--bootstraps', values.bootstraps ?? String(Math.max(2, Math.ceil(nodes / 250))), 1, nodes - 2)
  const netns = values.netns === true ? { nat: reaches(values.nat) } : undefined
  if (netns == null && values.nat != null) throw new UsageError('--nat needs --netns')
  // under --netns the bootstrap nodes have a worker of their own: K counts the users' workers
  const processes = netns != null
    ? integer('--processes', values.processes ?? String(Math.min(netns.nat.length, nodes - bootstraps)), 1, nodes - bootstraps)
    : integer('--processes', values.processes ?? '1', 1, nodes)
  const workers = processes + (netns != null ? 1 : 0)
  const transport = values.transport ?? (processes > 1 || netns != null ? 'tcp' : 'memory')
  if (transport !== 'memory' && transport !== 'tcp') throw new UsageError(`--transport must be memory or tcp, not ${transport}`)
  if (netns != null && transport !== 'tcp') throw new UsageError('--netns puts nodes in separate network namespaces: it needs --transport tcp')
  if (netns != null && process.getuid?.() !== 0) throw new UsageError('--netns builds network namespaces (ip netns): run it as root')
  if (transport === 'memory' && processes > 1) {
    throw new UsageError('the memory transport only connects nodes inside one process: use --transport tcp with --processes > 1')
  }
  const churn = Number(values.churn ?? '0')
  if (!(churn >= 0 && churn < 1)) throw new UsageError(`--churn must be in [0, 1), not ${values.churn}`)
  const scenarios = values.scenarios?.split(',').map(s => s.trim()).filter(s => s !== '')
  for (const name of scenarios ?? []) {
    if (!(SCENARIO_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown scenario ${name}: choose from ${SCENARIO_NAMES.join(', ')}`)
  }
  const mailboxAsked = values.replicas != null || values.storers != null || values['kill-storers'] != null ||
    Object.keys(values).some(k => k.startsWith('mailbox-'))
  const mailboxRuns = scenarios != null ? scenarios.includes('mailbox') : mailboxAsked
  const replicas = values.replicas != null ? integer('--replicas', values.replicas, 1) : undefined
  const users = nodes - bootstraps
  const storers = integer('--storers', values.storers ?? String(mailboxRuns ? Math.ceil(nodes / 5) : 0), 0, users)
  const killStorers = (values['kill-storers'] ?? '0,30,50').split(',').map(p => p.trim()).filter(p => p !== '')
    .map(p => integer('--kill-storers', p, 0, 100))
  if (killStorers.length === 0) throw new UsageError('--kill-storers needs at least one percentage')
  const senders = integer('--mailbox-senders', values['mailbox-senders'] ?? '2', 1)
  const others = users - storers
  const recipients = integer('--mailbox-recipients', values['mailbox-recipients'] ??
    String(Math.max(1, Math.min(5, Math.floor(others / (killStorers.length + 1))))), 1)
  if (mailboxRuns) {
    if (storers === 0) throw new UsageError('the mailbox scenario needs --storers K > 0')
    if (recipients * killStorers.length + senders > others) {
      throw new UsageError(`the mailbox scenario needs ${recipients} recipients x ${killStorers.length} rounds + ${senders} senders among the ${others} users that do not store: give more --nodes or fewer --mailbox-recipients`)
    }
  }
  const groupsAsked = Object.keys(values).some(k => k.startsWith('group-'))
  const groupsRun = scenarios != null ? scenarios.includes('groups') : groupsAsked
  const groupSizes = (values['group-members'] ?? String(Math.min(100, users))).split(',').map(s => s.trim()).filter(s => s !== '')
    .map(s => integer('--group-members', s, 2, users))
  const groupOffline = Number(values['group-offline'] ?? '0.2')
  if (!(groupOffline >= 0 && groupOffline < 1)) throw new UsageError(`--group-offline must be in [0, 1), not ${values['group-offline']}`)
  const options: SimnetOptions = {
    nodes,
    bootstraps,
    processes,
    transport,
    ...(netns != null ? { netns } : {}),
    noise: values.noise === true,
    connectionMonitorMs: integer('--connection-monitor-ms', values['connection-monitor-ms'] ?? '0', 0),
    lookups: integer('--lookups', values.lookups ?? '100', 0),
    messages: integer('--messages', values.messages ?? '50', 0),
    churn,
    stampBits: integer('--stamp-bits', values['stamp-bits'] ?? '4', 0, 32),
    mailbox: {
      ...(replicas != null ? { replicas } : {}),
      storers,
      killStorers: mailboxRuns ? killStorers : [],
      recipients: mailboxRuns ? recipients : 0,
      senders,
      messages: integer('--mailbox-messages', values['mailbox-messages'] ?? '3', 1),
      waitS: integer('--mailbox-wait-s', values['mailbox-wait-s'] ?? '60', 1),
      replicate: values['mailbox-replicate'] === true,
      warmup: values['mailbox-first-contact'] === true && values['mailbox-no-warmup'] !== true,
      firstContact: values['mailbox-first-contact'] === true,
      sendersOffline: values['mailbox-senders-offline'] === true,
      restartTogether: values['mailbox-restart-together'] === true
    },
    groups: {
      sizes: groupsRun ? groupSizes : [],
      offline: groupOffline,
      messages: integer('--group-messages', values['group-messages'] ?? '50', 1),
      waitS: integer('--group-wait-s', values['group-wait-s'] ?? '120', 1)
    },
    idleS: integer('--idle-s', values['idle-s'] ?? '10', 0),
    concurrency: integer('--concurrency', values.concurrency ?? '4', 1),
    seed: integer('--seed', values.seed ?? '1', 0),
    json: values.json === true,
    createConcurrency: integer('--create-concurrency', values['create-concurrency'] ?? '8', 1),
    paceLagMs: integer('--pace-lag-ms', values['pace-lag-ms'] ?? '200', 0),
    setupTimeoutS: integer('--setup-timeout-s', values['setup-timeout-s'] ?? '600', 1),
    scenarioTimeoutS: integer('--scenario-timeout-s', values['scenario-timeout-s'] ?? '600', 1),
    timeoutS: integer('--timeout-s', values['timeout-s'] ?? '2400', 1),
    retryMaxMs: integer('--retry-max-ms', values['retry-max-ms'] ?? String(RETRY_MAX_MS), 100),
    heapMb: integer('--heap-mb', values['heap-mb'] ?? String(Math.floor(totalmem() / 2 ** 20 * 0.75 / workers)), 256),
    cpuProf: values['cpu-prof'] === true || values['cpu-prof-dir'] != null
  }
  if (scenarios != null) options.scenarios = scenarios as ScenarioName[]
  if (values.kbucket != null) options.kBucketSize = integer('--kbucket', values.kbucket, 1)
  if (values['query-self-ms'] != null) options.querySelfIntervalMs = integer('--query-self-ms', values['query-self-ms'], 1)
  if (values['initial-query-self-ms'] != null) options.initialQuerySelfIntervalMs = integer('--initial-query-self-ms', values['initial-query-self-ms'], 0)
  if (values.alpha != null) options.alpha = integer('--alpha', values.alpha, 1)
  if (values['prefix-length'] != null) options.prefixLength = integer('--prefix-length', values['prefix-length'], 1, 15)
  if (values['cpu-prof-dir'] != null) options.cpuProfDir = values['cpu-prof-dir']
  if (values['what-if'] != null) {
    try {
      options.whatIf = parseWhatIf(values['what-if'])
    } catch (err: any) {
      throw new UsageError(err.message)
    }
  }
  if (workers > availableParallelism() * 4) {
    throw new UsageError(`${workers} worker processes are far more than the ${availableParallelism()} CPUs here`)
  }
  return options
}

function reaches (text: string | undefined): Reach[] {
  if (text == null) return [...DEFAULT_REACHES]
  try {
    return parseReaches(text)
  } catch (err: any) {
    throw new UsageError(err.message)
  }
}

function integer (flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, not ${text}`)
  }
  return value
}
