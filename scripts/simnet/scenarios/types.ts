import type { ScenarioName, SimnetOptions } from '../args.ts'
import type { Cluster } from '../cluster.ts'
import type { Rng } from '../stats.ts'

/** Which user nodes play which part, chosen before the network is built (restartable ones need it) */
export interface SimPlan {
  /** Paused and resumed by the churn scenario */
  churn: number[]
  /** Host mailboxes (the bootstrap nodes then do not) */
  storers: number[]
  /** The mailbox scenario's recipients, one list per round */
  mailboxRecipients: number[][]
  /** With --mailbox-senders-offline, the users its senders are chosen from (restartable) */
  mailboxSenders: number[]
  /** The groups scenario: per group size, its members (the first makes it) and those offline (restartable) */
  groups: Array<{ members: number[], offline: number[] }>
}

export interface ScenarioContext {
  cluster: Cluster
  options: SimnetOptions
  plan: SimPlan
  /** Seeded from --seed, so runs choose the same pairs (identities still differ per run) */
  rng: Rng
  /** Past this (epoch ms) a scenario starts no new operation: --scenario-timeout-s */
  deadline: number
  /** Progress, to stderr */
  log(line: string): void
}

/**
 * What a scenario measured. Keys follow the report's conventions: `...Rate` is a share in [0, 1],
 * `...Ms` milliseconds, `...Bytes` bytes; a `Summary` (p50/p99...) is shown on one line.
 */
export type ScenarioResult = Record<string, unknown>

/**
 * One measurement run on the built network. Scenarios run in registry order, each on the network
 * the previous one left (churn pauses and resumes nodes, so it comes late).
 */
export interface Scenario {
  name: ScenarioName
  description: string
  /** Whether it runs when --scenarios does not name the scenarios explicitly */
  enabledByDefault(options: SimnetOptions): boolean
  run(ctx: ScenarioContext): Promise<ScenarioResult>
}
