import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { CrashableDaemon } from '../crash-loop/daemon.ts'
import { progress } from './log.ts'
import { median } from './stats.ts'
import { withTempDirs } from './temp-dirs.ts'
import type { BenchConfig, Figures } from './config.ts'

const PARLEY_BIN = fileURLToPath(new URL('../../bin/parley.js', import.meta.url))
const PEAK_RSS = fileURLToPath(new URL('./peak-rss.mjs', import.meta.url))

interface ProcessCost {
  ms: number
  rssMB: number
}

/**
 * Runs `node ARGS` to its end: wall time from spawn to exit, and its peak RSS. The preload goes
 * in NODE_OPTIONS, so it is also in the process `bin/parley.js` replaces itself with (it runs
 * its TypeScript under a flag of Node's, as a user's `parley` does).
 */
async function runProcess (args: string[]): Promise<ProcessCost> {
  const started = performance.now()
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_OPTIONS: `--import=${PEAK_RSS}` } })
  let stderr = ''
  child.stderr.on('data', d => { stderr += String(d) })
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  const ms = performance.now() - started
  const rss = stderr.match(/bench-peak-rss (\d+)/)
  if (code !== 0 || rss == null) throw new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(-2_000)}`)
  return { ms, rssMB: Number(rss[1]) / 1_024 }
}

/** The median wall time and peak RSS of `samples` runs */
async function costOf (samples: number, args: string[]): Promise<ProcessCost> {
  const runs: ProcessCost[] = []
  for (let i = 0; i < samples; i++) runs.push(await runProcess(args))
  return { ms: median(runs.map(r => r.ms)), rssMB: median(runs.map(r => r.rssMB)) }
}

/**
 * What a CLI client command costs as a whole process (`parley contacts --json` against a
 * running daemon, and `parley --help`), run as a user runs `parley`, against a bare `node -e 0`
 * of the same binary: each a median of `startupSamples` runs, one after another (the first
 * fills Node's compile cache, if it was empty)
 */
export async function cliClient (config: BenchConfig): Promise<Figures> {
  return withTempDirs(async dirs => {
    const dataDir = await dirs.make()
    const daemon = new CrashableDaemon('cli-bench', dataDir, ['--lan'])
    await daemon.start()
    try {
      const samples = Math.max(config.startupSamples, 3)
      progress(`cli: ${samples} runs each of node -e 0, parley --help, parley contacts --json`)
      const bare = await costOf(samples, ['-e', '0'])
      const help = await costOf(samples, [PARLEY_BIN, '--help'])
      const contacts = await costOf(samples, [PARLEY_BIN, '--data', dataDir, 'contacts', '--json'])
      return {
        node_bare_ms: bare.ms,
        node_bare_rss_MB: bare.rssMB,
        cli_help_ms: help.ms,
        cli_help_rss_MB: help.rssMB,
        cli_client_ms: contacts.ms,
        cli_client_rss_MB: contacts.rssMB
      }
    } finally {
      await daemon.stop()
    }
  })
}
