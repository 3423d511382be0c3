/**
 * `npm run bench [-- --json] [-- --quick] [-- --only tcp,libp2p,files,storage,crypto,startup,chat,first-contact,groups,calls,memory,cli]`
 *
 * Runs the benches one after another in this process (memory in child processes), then prints a
 * table, or with `--json` exactly one JSON object, on stdout. Progress goes to stderr.
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { callSetup } from './calls.ts'
import { cliClient } from './cli.ts'
import { FULL, QUICK } from './config.ts'
import { e2eCrypto } from './crypto.ts'
import { fileTransfer } from './files.ts'
import { firstContact } from './first-contact.ts'
import { groupSend } from './groups.ts'
import { libp2pDial, libp2pNewStreamRoundTrip, libp2pRoundTrip, libp2pStartup, libp2pThroughput, libp2pTunedThroughput } from './libp2p.ts'
import { progress } from './log.ts'
import { describeMachine } from './machine.ts'
import { memory } from './memory.ts'
import { chatRoundTrip, chatThroughput, parleyStartup } from './parley.ts'
import { computeRatios, formatReport } from './report.ts'
import { round } from './stats.ts'
import { storage } from './storage.ts'
import { tcpRoundTrip, tcpThroughput } from './tcp.ts'
import { libp2pTwoProcessThroughput, tcpTwoProcessThroughput } from './two-process.ts'
import type { BenchConfig, Figures } from './config.ts'

interface Bench {
  name: string
  group: string
  run: (config: BenchConfig) => Promise<Figures>
}

/** Baselines first, so a noisy neighbour later in the run shows as a ratio change, not a silent one */
const BENCHES: Bench[] = [
  { name: 'tcp round trip', group: 'tcp', run: tcpRoundTrip },
  { name: 'tcp throughput', group: 'tcp', run: tcpThroughput },
  { name: 'tcp two-process throughput', group: 'tcp', run: tcpTwoProcessThroughput },
  { name: 'libp2p round trip', group: 'libp2p', run: libp2pRoundTrip },
  { name: 'libp2p new-stream round trip', group: 'libp2p', run: libp2pNewStreamRoundTrip },
  { name: 'libp2p dial', group: 'libp2p', run: libp2pDial },
  { name: 'libp2p throughput', group: 'libp2p', run: libp2pThroughput },
  { name: 'libp2p tuned throughput', group: 'libp2p', run: libp2pTunedThroughput },
  { name: 'libp2p two-process throughput', group: 'libp2p', run: libp2pTwoProcessThroughput },
  { name: 'file transfer', group: 'files', run: fileTransfer },
  { name: 'storage', group: 'storage', run: storage },
  { name: 'e2e crypto', group: 'crypto', run: e2eCrypto },
  { name: 'libp2p startup', group: 'startup', run: libp2pStartup },
  { name: 'parley startup', group: 'startup', run: parleyStartup },
  { name: 'chat round trip', group: 'chat', run: chatRoundTrip },
  { name: 'chat throughput', group: 'chat', run: chatThroughput },
  { name: 'first contact', group: 'first-contact', run: firstContact },
  { name: 'group send', group: 'groups', run: groupSend },
  { name: 'call setup', group: 'calls', run: callSetup },
  { name: 'memory', group: 'memory', run: memory },
  { name: 'cli client', group: 'cli', run: cliClient }
]

const USAGE = `usage: npm run bench [-- [--json] [--quick] [--only ${[...new Set(BENCHES.map(b => b.group))].join(',')}]]`

/** After the report, give open handles a moment to close by themselves, then leave anyway */
const EXIT_GRACE_MS = 3_000

async function main (): Promise<number> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      help: { type: 'boolean', default: false }
    }
  })
  if (values.help === true) {
    process.stderr.write(`${USAGE}\n`)
    return 0
  }
  const config = values.quick === true ? QUICK : FULL
  const only = values.only?.split(',').map(g => g.trim()).filter(g => g !== '')
  const unknown = only?.filter(g => !BENCHES.some(b => b.group === g)) ?? []
  if (unknown.length > 0) {
    process.stderr.write(`unknown bench group(s): ${unknown.join(', ')}\n${USAGE}\n`)
    return 2
  }

  const machine = await describeMachine()
  const figures: Figures = {}
  const errors: Record<string, string> = {}
  const started = Date.now()
  for (const bench of BENCHES) {
    if (only != null && !only.includes(bench.group)) continue
    progress(`${bench.name}...`)
    const benchStart = Date.now()
    try {
      const result = await bench.run(config)
      Object.assign(figures, result)
      progress(`${bench.name}: ${Object.entries(result).map(([k, v]) => `${k}=${round(v)}`).join(' ')} (${((Date.now() - benchStart) / 1_000).toFixed(1)} s)`)
    } catch (err: any) {
      errors[bench.name] = err?.stack ?? String(err)
      progress(`${bench.name} FAILED: ${err?.message ?? err}`)
    }
  }
  progress(`done in ${((Date.now() - started) / 1_000).toFixed(1)} s`)
  machine.loadavgEnd = loadavg().map(l => Math.round(l * 100) / 100)

  const rounded = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v, 4)]))
  const ratios = Object.fromEntries(Object.entries(computeRatios(figures)).map(([k, v]) => [k, round(v, 3)]))
  if (values.json === true) {
    const { date, ...rest } = machine
    const out = {
      date,
      machine: rest,
      quick: config.quick,
      config,
      ...rounded,
      ...ratios,
      ...(Object.keys(errors).length > 0 ? { errors } : {})
    }
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
  } else {
    process.stdout.write(formatReport(machine, rounded, ratios, config.quick))
    for (const [name, stack] of Object.entries(errors)) {
      process.stdout.write(`\n${name} failed:\n${stack}\n`)
    }
  }
  return Object.keys(errors).length > 0 ? 1 : 0
}

main().then(code => {
  process.exitCode = code
  setTimeout(() => {
    progress('handles still open after the run; exiting anyway')
    process.exit(code)
  }, EXIT_GRACE_MS).unref()
}, err => {
  process.stderr.write(`${err?.stack ?? err}\n`)
  process.exit(1)
})
