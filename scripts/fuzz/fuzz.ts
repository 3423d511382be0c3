import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultLogger } from '@libp2p/logger'
import { decoderTargets } from './decoders.ts'
import { fuzzControl } from './run-control.ts'
import { fuzzDecoder } from './run-decoders.ts'
import { fuzzHandlers } from './run-handlers.ts'
import { startControlServer } from '../../src/control/server.ts'
import { createParley } from '../../src/parley.ts'
import type { ControlResult } from './run-control.ts'
import type { DecoderResult } from './run-decoders.ts'
import type { HandlerResult } from './run-handlers.ts'
import type { Parley } from '../../src/parley.ts'

export interface FuzzRunOptions {
  decoderCases: number
  handlerCases: number
  controlCases: number
  seed: number
  /** Only targets whose name or protocol contains this */
  only?: string
  onResult?: (line: string) => void
}

export interface FuzzReport {
  decoders: DecoderResult[]
  handlers: HandlerResult[]
  control?: ControlResult
  /** Rejections and exceptions nobody handled, in this process, during the run */
  unhandled: string[]
}

/**
 * The whole fuzz run: every wire decoder on its own, then every protocol handler a stranger
 * can reach on real nodes (a relay that hosts mail and a user, in LAN mode on 127.0.0.1), then
 * the user's control API. Everything runs in this process, so an unhandled rejection or
 * exception anywhere in the nodes is seen and counted.
 */
export async function runFuzz (options: FuzzRunOptions): Promise<FuzzReport> {
  const report: FuzzReport = { decoders: [], handlers: [], unhandled: [] }
  const note = (err: unknown): void => { report.unhandled.push(String((err as Error)?.stack ?? err)) }
  process.on('unhandledRejection', note)
  process.on('uncaughtException', note)
  const say = options.onResult ?? (() => {})
  const wanted = (name: string): boolean => options.only == null || name.includes(options.only)
  try {
    for (const target of (await decoderTargets()).filter(t => wanted(t.name))) {
      const result = await fuzzDecoder(target, { cases: options.decoderCases, seed: options.seed })
      report.decoders.push(result)
      say(`decoder ${result.name}: ${result.cases} cases, ${result.refused} refused, ${result.decoded} decoded, slowest ${result.slowestMs.toFixed(1)} ms, ${(result.ms / 1000).toFixed(1)} s${result.failure != null ? `\n  FAILED: ${result.failure}` : ''}`)
    }
    if (options.handlerCases > 0 || options.controlCases > 0) {
      await withNodes(async (nodes, userDir) => {
        if (options.handlerCases > 0) {
          report.handlers = await fuzzHandlers(nodes, { cases: options.handlerCases, seed: options.seed })
          for (const h of report.handlers.filter(h => wanted(h.protocol))) {
            say(`handler ${h.protocol}: ${h.cases} streams, ${h.answered} answered, ${h.closed} closed, ${h.hung} hung, ${h.healthy ? 'healthy after' : 'NOT HEALTHY after'}, ${(h.ms / 1000).toFixed(1)} s`)
          }
        }
        if (options.controlCases > 0 && wanted('control')) {
          const control = await startControlServer(nodes.user, defaultLogger().forComponent('parley:control'))
          try {
            report.control = await fuzzControl(control.path, { cases: options.controlCases, seed: options.seed })
          } finally {
            await control.close()
          }
          const c = report.control
          say(`control API: ${c.cases} bodies, statuses ${JSON.stringify(c.statuses)}, ${c.healthy ? 'healthy after' : 'NOT HEALTHY after'}, ${(c.ms / 1000).toFixed(1)} s${c.serverErrors.length > 0 ? `\n  500s: ${c.serverErrors.join('\n  ')}` : ''}`)
        }
        void userDir
      })
    }
  } finally {
    process.off('unhandledRejection', note)
    process.off('uncaughtException', note)
  }
  return report
}

/** True when the report has no crash, hang, 500, unhealthy node or unhandled error */
export function clean (report: FuzzReport): boolean {
  return report.unhandled.length === 0 &&
    report.decoders.every(d => d.failure == null) &&
    report.handlers.every(h => h.hung === 0 && h.healthy) &&
    (report.control == null || (report.control.healthy && report.control.serverErrors.length === 0))
}

async function withNodes (fn: (nodes: { relay: Parley, user: Parley, healthy: () => Promise<boolean> }, userDir: string) => Promise<void>): Promise<void> {
  const dirs = await Promise.all([0, 1, 2].map(async () => mkdtemp(join(tmpdir(), 'parley-fuzz-'))))
  const common = { listen: ['/ip4/127.0.0.1/tcp/0'], lan: true, mdns: false }
  const started: Parley[] = []
  try {
    const relay = await createParley({ ...common, dataDir: dirs[0], relay: true })
    started.push(relay)
    const user = await createParley({ ...common, dataDir: dirs[1], bootstrap: relay.addresses() })
    started.push(user)
    const honest = await createParley({ ...common, dataDir: dirs[2], bootstrap: relay.addresses() })
    started.push(honest)
    let n = 0
    const healthy = async (): Promise<boolean> => {
      const sent = await honest.messenger.send(user.peerId, `still there? ${++n}`).catch(() => undefined)
      return sent?.status === 'delivered'
    }
    await fn({ relay, user, healthy }, dirs[1])
  } finally {
    await Promise.all(started.map(async p => p.stop().catch(() => {})))
    await Promise.all(dirs.map(async d => rm(d, { recursive: true, force: true })))
  }
}
