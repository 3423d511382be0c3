/**
 * The scenario registry, in running order. A new scenario is a file exporting a `Scenario` and
 * one line here.
 */

import { churn } from './churn.ts'
import { gossip } from './gossip.ts'
import { groups } from './groups.ts'
import { lookups } from './lookups.ts'
import { mailbox } from './mailbox.ts'
import { messages } from './messages.ts'
import type { Scenario } from './types.ts'
import type { SimnetOptions } from '../args.ts'

export const SCENARIOS: readonly Scenario[] = [lookups, messages, gossip, churn, mailbox, groups]

export function selectScenarios (options: SimnetOptions): Scenario[] {
  return SCENARIOS.filter(s => options.scenarios != null ? options.scenarios.includes(s.name) : s.enabledByDefault(options))
}

export type { Scenario, ScenarioContext, ScenarioResult, SimPlan } from './types.ts'
