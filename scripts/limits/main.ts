/**
 * `npm run limits`: offers twice every documented limit of a relay and a user node from fresh
 * identities on loopback while two real users chat, and prints what held (see limits.ts);
 * `-- --netns` offers the per-IP limits on an internet in a box (netns-limits.ts, root). The
 * figures go in docs/HARDENING.md.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { runLimits } from './limits.ts'
import { runNetnsLimits } from './netns-limits.ts'

const program = new Command()
  .name('limits')
  .option('--only <names>', 'only the phases whose name contains one of these (comma-separated)')
  .option('--json <file>', 'also write the report as JSON')
  .option('--netns', 'the per-IP limits, on an internet in a box (network namespaces; root)')
  .parse()
const opts = program.opts()

const root = await mkdtemp(join(tmpdir(), 'parley-limits-'))
try {
  const report = await (opts.netns === true ? runNetnsLimits : runLimits)({
    workDir: async name => mkdtemp(join(root, `${name}-`)),
    ...(opts.only != null ? { only: String(opts.only).split(',') } : {}),
    onProgress: line => { console.log(line) }
  })
  const mib = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MiB`
  for (const [name, r] of Object.entries(report.rss)) console.log(`${name} RSS: ${mib(r.start)} at start, ${mib(r.peak)} peak, ${mib(r.after)} after`)
  console.log(`${report.phases.filter(p => p.holds).length}/${report.phases.length} limits held, ${report.seconds} s`)
  if (opts.json != null) {
    const { writeFile } = await import('node:fs/promises')
    await writeFile(opts.json, JSON.stringify(report, null, 2))
  }
  process.exitCode = report.phases.every(p => p.holds) ? 0 : 1
} finally {
  await rm(root, { recursive: true, force: true })
}
