import { Command } from 'commander'
import { clean, runFuzz } from './fuzz.ts'

/**
 * `npm run fuzz`: every wire decoder, every protocol handler a stranger reaches (on real nodes)
 * and the control API's bodies, with structure-aware random input. Exits 1 on any crash, hang,
 * 500, node left unhealthy, or unhandled rejection. The figures of a full run are in
 * docs/HARDENING.md.
 */
const program = new Command('fuzz')
  .option('--cases <n>', 'cases per decoder', '1000000')
  .option('--handler-cases <n>', 'streams per protocol handler', '10000')
  .option('--control-cases <n>', 'control API bodies', '10000')
  .option('--seed <n>', 'fast-check seed (the same seed gives the same inputs)', String(Date.now() % 2 ** 31))
  .option('--only <name>', 'only the targets whose name contains this')
  .parse()

const opts = program.opts()
const seed = Number(opts.seed)
console.log(`seed ${seed}`)
const started = Date.now()
const report = await runFuzz({
  decoderCases: Number(opts.cases),
  handlerCases: Number(opts.handlerCases),
  controlCases: Number(opts.controlCases),
  seed,
  ...(opts.only != null ? { only: opts.only } : {}),
  onResult: line => { console.log(line) }
})
const cases = report.decoders.reduce((n, d) => n + d.cases, 0)
console.log(`${report.decoders.length} decoders, ${cases} cases; ${report.handlers.length} handlers, ${report.handlers.reduce((n, h) => n + h.cases, 0)} streams; ${report.control?.cases ?? 0} control bodies; ${report.unhandled.length} unhandled; ${((Date.now() - started) / 1000).toFixed(0)} s`)
for (const u of report.unhandled.slice(0, 5)) console.log(`unhandled: ${u}`)
process.exit(clean(report) ? 0 : 1)
