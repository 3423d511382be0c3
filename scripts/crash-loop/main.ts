import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { runCrashLoop } from './crash-loop.ts'

/**
 * `npm run crash-loop`: SIGKILLs a sending and a receiving daemon at random moments while
 * messages, mailbox deposits and files flow, then checks nothing was lost, doubled or
 * desynchronised. Exits 1 if anything was. Figures of a 200-kill run: docs/HARDENING.md.
 */
const opts = new Command('crash-loop')
  .option('--kills <n>', 'SIGKILLs in the run', '200')
  .option('--seed <n>', 'seeds the victims and moments', String(Date.now() % 2 ** 31))
  .option('--file-every <n>', 'a file offer every this many kills', '5')
  .parse()
  .opts()

const root = await mkdtemp(join(tmpdir(), 'parley-crash-loop-'))
try {
  console.log(`seed ${opts.seed}`)
  const report = await runCrashLoop({
    kills: Number(opts.kills),
    seed: Number(opts.seed),
    fileEvery: Number(opts.fileEvery),
    workDir: async name => mkdtemp(join(root, `${name}-`)),
    onProgress: line => { console.log(line) }
  })
  console.log(JSON.stringify({ ...report, lost: report.lost.length, duplicated: report.duplicated.length, forgotten: report.forgotten.length }, null, 2))
  for (const [what, list] of [['lost', report.lost], ['duplicated', report.duplicated], ['forgotten', report.forgotten], ['desynced', report.desynced]] as const) {
    if (list.length > 0) console.log(`${what}: ${list.slice(0, 20).join(', ')}`)
  }
  const ok = report.lost.length === 0 && report.duplicated.length === 0 && report.forgotten.length === 0 && report.desynced.length === 0 && report.filesIntact === report.files
  process.exitCode = ok ? 0 : 1
} finally {
  await rm(root, { recursive: true, force: true })
}
