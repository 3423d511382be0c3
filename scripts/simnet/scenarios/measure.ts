/** Lookups and messages between random user nodes: used as scenarios, and again under churn. */

import { mapLimit, rate, summarize } from '../stats.ts'
import type { SimNodeRef } from '../cluster.ts'
import type { ScenarioContext, ScenarioResult } from './types.ts'

/** A lookup longer than this counts as failed */
export const LOOKUP_TIMEOUT_MS = 30_000
/** A send still unresolved after this counts as `timeout` (its own timeouts add up to ~30 s) */
export const SEND_TIMEOUT_MS = 60_000
/** Tries to find a pair that has no connection yet before settling for one that has */
const FRESH_PAIR_TRIES = 20

function countBy (values: string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1
  return counts
}

/** `count` findPeer lookups from a random node of `sources` for a random other node of `targets` */
export async function measureLookups (ctx: ScenarioContext, sources: SimNodeRef[], targets: SimNodeRef[], count: number): Promise<ScenarioResult> {
  const pairs = []
  for (let i = 0; i < count; i++) {
    const from = ctx.rng.pick(sources)
    const candidates = targets.filter(t => t.index !== from.index)
    if (candidates.length > 0) pairs.push({ from, to: ctx.rng.pick(candidates) })
  }
  if (pairs.length === 0) return { lookups: 0 }
  let done = 0
  const attempted = await mapLimit(pairs, ctx.options.concurrency, async ({ from, to }) => {
    if (Date.now() > ctx.deadline) return undefined
    const result = await ctx.cluster.lookup(from, to, LOOKUP_TIMEOUT_MS)
    if (++done % 100 === 0) ctx.log(`lookups: ${done}/${pairs.length}`)
    return result
  })
  const results = attempted.filter(r => r != null)
  const ok = results.filter(r => r.ok)
  const failed = results.filter(r => !r.ok)
  return {
    lookups: results.length,
    successRate: rate(ok.length, results.length),
    hops: summarize(ok.map(r => r.hops ?? 0)),
    responses: summarize(ok.map(r => r.responses ?? 0)),
    latencyMs: summarize(ok.map(r => r.ms)),
    ...(results.length < pairs.length ? { notRunPastDeadline: pairs.length - results.length } : {}),
    ...(failed.length > 0 ? { failures: countBy(failed.map(r => r.error ?? 'unknown')), failedLatencyMs: summarize(failed.map(r => r.ms)) } : {})
  }
}

export interface SentMessage {
  from: SimNodeRef
  to: SimNodeRef
  id?: string
  status: string
  /** When the send was started (epoch ms) */
  at: number
}

/** Picks a random pair out of `senders` x `recipients`, preferring one with no connection yet */
export async function freshPair (ctx: ScenarioContext, senders: SimNodeRef[], recipients: SimNodeRef[]): Promise<{ from: SimNodeRef, to: SimNodeRef, fresh: boolean }> {
  let pair = { from: senders[0], to: recipients[0], fresh: false }
  for (let i = 0; i < FRESH_PAIR_TRIES; i++) {
    const from = ctx.rng.pick(senders)
    const to = ctx.rng.pick(recipients)
    if (from.index === to.index) continue
    pair = { from, to, fresh: false }
    if (!to.alive || !(await ctx.cluster.isConnected(from, to))) return { from, to, fresh: true }
  }
  return pair
}

/**
 * `count` chat messages, each between a random pair of `senders` x `recipients` that had no
 * connection (so the sender has to find the recipient first, through the DHT).
 */
export async function measureMessages (ctx: ScenarioContext, senders: SimNodeRef[], recipients: SimNodeRef[], count: number): Promise<{ result: ScenarioResult, sent: SentMessage[] }> {
  if (senders.length === 0 || recipients.length === 0 || count === 0) return { result: { messages: 0 }, sent: [] }
  // pairs are chosen up front, in order, so a given seed picks the same pairs
  const pairs: Array<{ from: SimNodeRef, to: SimNodeRef, fresh: boolean }> = []
  for (let i = 0; i < count; i++) pairs.push(await freshPair(ctx, senders, recipients))
  let done = 0
  const attempted = await mapLimit(pairs, ctx.options.concurrency, async ({ from, to }, i) => {
    if (Date.now() > ctx.deadline) return undefined
    const at = Date.now()
    const result = await ctx.cluster.send(from, to, `simnet message ${i} from ${from.index} to ${to.index}`, SEND_TIMEOUT_MS)
    if (++done % 100 === 0) ctx.log(`messages: ${done}/${count}`)
    return { ...result, at }
  })
  const sent: SentMessage[] = []
  attempted.forEach((r, i) => {
    if (r != null) sent.push({ from: pairs[i].from, to: pairs[i].to, status: r.status, at: r.at, ...(r.id != null ? { id: r.id } : {}) })
  })
  const results = attempted.filter(r => r != null)
  const delivered = results.filter(r => r.status === 'delivered')
  const errors = results.filter(r => r.error != null).map(r => r.error ?? '')
  return {
    result: {
      messages: results.length,
      previouslyConnectedPairs: pairs.filter(p => !p.fresh).length,
      deliveredRate: rate(delivered.length, results.length),
      statuses: countBy(results.map(r => r.status)),
      latencyMs: summarize(delivered.map(r => r.ms)),
      ...(results.length < pairs.length ? { notRunPastDeadline: pairs.length - results.length } : {}),
      ...(errors.length > 0 ? { errors: countBy(errors) } : {})
    },
    sent
  }
}

const POLL_MS = 500

/** Not delivered at the first attempt: left in the outbox (`queued`) or with mailbox storers */
export function isPending (m: { status: string, id?: string }): boolean {
  return (m.status === 'queued' || m.status === 'stored') && m.id != null
}

/**
 * Waits until the pending ones of `sent` (see `isPending`) were delivered, by the messenger's
 * retries or through a mailbox, or `deadline` (epoch ms) passed. Returns when each was
 * delivered (epoch ms), by message id.
 */
export async function awaitDelivery (ctx: ScenarioContext, sent: SentMessage[], deadline: number): Promise<Map<string, number>> {
  const queued = sent.filter(isPending)
  const deliveredAt = new Map<string, number>()
  while (deliveredAt.size < queued.length && Date.now() < deadline) {
    await mapLimit(queued.filter(m => !deliveredAt.has(m.id ?? '')), 16, async m => {
      const status = await ctx.cluster.messageStatus(m.from, m.to, m.id ?? '')
      if (status.status === 'delivered') deliveredAt.set(m.id ?? '', status.deliveredAt ?? Date.now())
    })
    if (deliveredAt.size < queued.length) await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
  return deliveredAt
}
