/**
 * Offline delivery through mailboxes, under storer loss. Each round (one per --kill-storers
 * share): its recipients go offline (same identity kept), senders write to them (the messages go
 * to R mailbox storers), a share of the storers holding the round's copies is stopped for good,
 * the recipients come back, and the round measures what reached their inbox (once), how long
 * after their restart, and when the senders saw it `delivered` (the recipient's receipt).
 */

import { REPLICAS } from '../../../src/protocols/mailbox/index.ts'
import { mapLimit, rate, summarize } from '../stats.ts'
import { SEND_TIMEOUT_MS } from './measure.ts'
import type { SimNodeRef } from '../cluster.ts'
import type { NodeTrace } from '../protocol.ts'
import type { Summary } from '../stats.ts'
import type { Scenario, ScenarioContext, ScenarioResult } from './types.ts'

/** Recipients' prekey records must be in the DHT before they go: senders encrypt to them */
const PREKEYS_TIMEOUT_MS = 30_000
const PREKEY_LOOKUP_TIMEOUT_MS = 10_000
/**
 * A partial deposit is topped up by the messenger's retries (2 s, 4 s, 8 s... with jitter): the
 * round waits this long at most for every message to reach R storers before the kill
 */
const REPLICA_SETTLE_MS = 20_000
const REPLICATE_TIMEOUT_MS = 60_000
const POLL_MS = 500
/** A collection starts its lookups (one per mailbox key) within this of its own start */
const LOOKUP_START_SLACK_MS = 200
/** The target of the issue: at R = 5 with half the storers killed */
const TARGET = { replicas: 5, killPct: 50, deliveredRate: 1, p99Ms: 2_000 }

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

interface MailboxMessage {
  text: string
  from: SimNodeRef
  to: SimNodeRef
  id?: string
  /** What `send` resolved with */
  sendStatus: string
  sendMs: number
  holdersAtSend: number
  /** Storers (PeerIds) holding it once the deposits settled */
  holders: string[]
  status: string
  deliveredAt?: number
}

function countBy (values: Array<string | number>): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1
  return counts
}

function since (at: number | undefined, from: number | undefined): number | undefined {
  return at == null || from == null ? undefined : at - from
}

function summarizeDefined (values: Array<number | undefined>): Summary | undefined {
  return summarize(values.filter((v): v is number => v != null))
}

export const mailbox: Scenario = {
  name: 'mailbox',
  description: 'offline recipients, messages left with R mailbox storers, P% of those storers killed, recipients back',
  enabledByDefault: options => options.mailbox.killStorers.length > 0,
  run: async ctx => {
    const { mailbox: m } = ctx.options
    const replicas = m.replicas ?? REPLICAS
    const rounds: ScenarioResult = {}
    const allRecipients = new Set(ctx.plan.mailboxRecipients.flat())
    let killed: SimNodeRef[] = []
    for (const [round, killPct] of m.killStorers.entries()) {
      if (killed.length > 0) {
        // each round starts with every storer up: last round's killed ones come back, same
        // identity, with what they held
        await ctx.cluster.resume(killed)
        ctx.log(`mailbox: ${killed.length} storers killed last round restarted`)
      }
      if (Date.now() > ctx.deadline) {
        rounds[`killed${killPct}pct`] = { notRunPastDeadline: true }
        continue
      }
      const result = await runRound(ctx, round, killPct, replicas, allRecipients)
      killed = result.killed
      rounds[`killed${killPct}pct`] = result.result
    }
    const result: ScenarioResult = {
      replicas,
      storers: ctx.plan.storers.length,
      stampBits: ctx.options.stampBits,
      recipientsPerRound: m.recipients,
      sendersPerRecipient: m.senders,
      messagesPerPair: m.messages,
      replicateAfterKill: m.replicate,
      rounds
    }
    const targetRound = m.killStorers.indexOf(TARGET.killPct)
    if (replicas === TARGET.replicas && targetRound >= 0) {
      const r = rounds[`killed${TARGET.killPct}pct`] as ScenarioResult
      const delivered = r.deliveredRate as number
      const p99 = (r.timeToInboxMs as Summary | undefined)?.p99
      const met = delivered >= TARGET.deliveredRate && p99 != null && p99 <= TARGET.p99Ms
      result.target = `R=5, 50% of storers killed: delivery 100% and p99 time-to-inbox <= 2 s: ${met ? 'met' : 'MISSED'} ` +
        `(delivery ${(delivered * 100).toFixed(1)}%, p99 ${p99 == null ? '-' : `${Math.round(p99)} ms`})`
    }
    return result
  }
}

async function runRound (ctx: ScenarioContext, round: number, killPct: number, replicas: number, allRecipients: Set<number>): Promise<{ result: ScenarioResult, killed: SimNodeRef[] }> {
  const m = ctx.options.mailbox
  const tag = `mailbox round ${round + 1} (${killPct}% killed)`
  const recipients = ctx.plan.mailboxRecipients[round].map(i => ctx.cluster.nodes[i]).filter(n => n.alive)
  const senderPool = ctx.cluster.users().filter(n => !n.storer && !allRecipients.has(n.index))
  if (recipients.length === 0 || senderPool.length === 0) return { result: { error: 'no recipient or no sender alive' }, killed: [] }

  const pairs = recipients.flatMap(to => ctx.rng.sample(senderPool, m.senders).map(from => ({ from, to })))

  // 1. senders encrypt to an offline recipient with its prekey record from the DHT: can a node
  // that will not write to it find it? (the record a node put when it joined went to the few
  // peers it knew then). A restart puts it again, into the DHT as it is now.
  const prekeyLookups = async (): Promise<number> => {
    const found = await mapLimit(recipients, ctx.options.concurrency, async to => {
      const others = senderPool.filter(n => !pairs.some(p => p.to === to && p.from === n))
      const result = await ctx.cluster.prekeyLookup(ctx.rng.pick(others.length > 0 ? others : senderPool), to, PREKEY_LOOKUP_TIMEOUT_MS)
      return result.ok
    })
    return rate(found.filter(Boolean).length, found.length)
  }
  const prekeyRecordFoundRate = await prekeyLookups()
  let prekeyRecordFoundAfterWarmupRate: number | undefined
  if (m.warmup) {
    await ctx.cluster.pause(recipients)
    await ctx.cluster.resume(recipients)
  }
  const unpublished = await ctx.cluster.prekeysPublished(recipients, PREKEYS_TIMEOUT_MS)
  if (m.warmup) prekeyRecordFoundAfterWarmupRate = await prekeyLookups()

  // 2. the recipients go offline; senders write to them: each message goes to the recipient's
  // mailbox storers
  await ctx.cluster.pause(recipients)
  ctx.log(`${tag}: ${recipients.length} recipients offline`)
  const messages: MailboxMessage[] = []
  const sendStarted = Date.now()
  await mapLimit(pairs, ctx.options.concurrency, async ({ from, to }) => {
    for (let k = 0; k < m.messages; k++) {
      const text = `simnet mailbox round ${round + 1}: ${from.index} to ${to.index}, #${k + 1}`
      const sent = await ctx.cluster.send(from, to, text, SEND_TIMEOUT_MS)
      messages.push({
        text,
        from,
        to,
        ...(sent.id != null ? { id: sent.id } : {}),
        sendStatus: sent.status,
        sendMs: sent.ms,
        holdersAtSend: sent.holders?.length ?? 0,
        holders: sent.holders ?? [],
        status: sent.status
      })
    }
  })
  const sendMs = Date.now() - sendStarted

  // 3. the messenger tops partial deposits up on its retries: wait for R holders (or give up)
  const settleStarted = Date.now()
  const short = (): MailboxMessage[] => messages.filter(x => x.id != null && x.status !== 'delivered' && x.status !== 'failed' && x.holders.length < replicas)
  while (short().length > 0 && Date.now() - settleStarted < REPLICA_SETTLE_MS) {
    await sleep(POLL_MS)
    await refresh(ctx, short())
  }
  const settleMs = Date.now() - settleStarted
  ctx.log(`${tag}: ${messages.length} messages sent in ${sendMs} ms, ${messages.filter(x => x.holders.length >= replicas).length} with ${replicas} storers after ${settleMs} ms more`)

  // 4. a share of the storers holding copies stops for good (for this round)
  const holding = [...new Set(messages.flatMap(x => x.holders))].map(p => ctx.cluster.byPeerId(p)).filter(n => n != null && n.alive) as SimNodeRef[]
  holding.sort((a, b) => a.index - b.index)
  const usage = await ctx.cluster.mailboxUsage(ctx.cluster.nodes.filter(n => n.storer && n.alive))
  const killed = ctx.rng.sample(holding, Math.round(killPct / 100 * holding.length))
  if (killed.length > 0) await ctx.cluster.pause(killed)
  const dead = new Set(killed.map(n => n.peerId))
  const orphaned = messages.filter(x => x.holders.every(h => dead.has(h)))
  ctx.log(`${tag}: killed ${killed.length} of the ${holding.length} storers holding copies; ${orphaned.length} messages have no storer left`)
  let replicated: number | undefined
  if (m.replicate) {
    replicated = await ctx.cluster.replicate(ctx.cluster.nodes.filter(n => n.storer && n.alive), REPLICATE_TIMEOUT_MS)
    ctx.log(`${tag}: surviving storers handed on ${replicated} envelopes`)
  }

  // 5. the recipients come back; wait for their messages and the senders' receipts
  const resumeStarted = Date.now()
  await ctx.cluster.resume(recipients)
  ctx.log(`${tag}: recipients restarted in ${Date.now() - resumeStarted} ms`)
  const deadline = Date.now() + m.waitS * 1_000
  let traces: NodeTrace[] = []
  const arrived = (): Set<string> => new Set(traces.flatMap(t => t.arrivals.map(a => a.text)))
  while (Date.now() < deadline) {
    traces = await ctx.cluster.trace(recipients)
    await refresh(ctx, messages.filter(x => x.id != null && x.deliveredAt == null))
    const got = arrived()
    if (messages.every(x => got.has(x.text) && x.deliveredAt != null)) break
    await sleep(POLL_MS)
  }
  traces = await ctx.cluster.trace(recipients)
  const waitedMs = Date.now() - resumeStarted

  // 6. what arrived, once, and when (after the recipient's restart: createParley resolved)
  const byText = new Map(messages.map(x => [x.text, x]))
  const startOf = new Map(traces.map(t => [t.index, t.startedAt]))
  const firstArrival = new Map<string, number>()
  let duplicates = 0
  let unexpected = 0
  for (const t of traces) {
    for (const a of t.arrivals) {
      if (!byText.has(a.text)) unexpected++
      else if (firstArrival.has(a.text)) duplicates++
      else firstArrival.set(a.text, a.at - (t.startedAt ?? a.at))
    }
  }
  const counts = countBy(traces.flatMap(t => t.arrivals.map(a => a.text)).filter(text => byText.has(text)))
  const lost = messages.filter(x => !firstArrival.has(x.text))
  const collects = traces.flatMap(t => t.collects)
  const firstCollect = traces.map(t => t.collects[0])
  // the first collection's DHT lookups (one per mailbox key), from the collection's start
  const firstLookups = traces.map((t, i) => {
    const c = firstCollect[i]
    if (c == null) return undefined
    const mine = t.closestPeers.filter(l => l.at >= c.at && l.at - c.at < LOOKUP_START_SLACK_MS)
    if (mine.length === 0 || mine.some(l => l.ms == null)) return undefined
    return Math.max(...mine.map(l => l.at + (l.ms ?? 0))) - c.at
  })
  const result: ScenarioResult = {
    killSharePct: killPct,
    recipients: recipients.length,
    pairs: pairs.length,
    messages: messages.length,
    prekeyRecordFoundRate,
    ...(prekeyRecordFoundAfterWarmupRate != null ? { prekeyRecordFoundAfterWarmupRate } : {}),
    ...(unpublished.length > 0 ? { recipientsWithoutPrekeyRecord: unpublished.length } : {}),
    sendStatuses: countBy(messages.map(x => x.sendStatus)),
    sendLatencyMs: summarize(messages.map(x => x.sendMs)),
    storersAtSend: countBy(messages.map(x => x.holdersAtSend)),
    storersBeforeKill: countBy(messages.map(x => x.holders.length)),
    replicaTargetReachedRate: rate(messages.filter(x => x.holders.length >= replicas).length, messages.length),
    replicaSettleMs: settleMs,
    envelopesPerStorer: summarize(usage.map(u => u.items)),
    storersHoldingCopies: holding.length,
    storersKilled: killed.length,
    messagesWithNoStorerLeft: orphaned.length,
    ...(replicated != null ? { envelopesReplicated: replicated } : {}),
    deliveredRate: rate(firstArrival.size, messages.length),
    receivedExactlyOnceRate: rate(Object.values(counts).filter(c => c === 1).length, messages.length),
    duplicates,
    ...(unexpected > 0 ? { unexpected } : {}),
    ...(lost.length > 0 ? { notReceived: lost.length, notReceivedWithNoStorerLeft: lost.filter(x => orphaned.includes(x)).length } : {}),
    ...(orphaned.length > 0 ? { receivedWithNoStorerLeft: orphaned.filter(x => firstArrival.has(x.text)).length } : {}),
    timeToInboxMs: summarize([...firstArrival.values()]),
    receiptsRate: rate(messages.filter(x => x.deliveredAt != null).length, messages.length),
    timeToReceiptMs: summarizeDefined(messages.map(x => since(x.deliveredAt, startOf.get(x.to.index)))),
    // where the time goes, from each recipient's restart
    recipientStartMs: summarize(recipients.map(n => n.startMs)),
    recipientJoinMs: summarize(recipients.map(n => n.joinMs)),
    firstRoutingPeerMs: summarizeDefined(traces.map(t => since(t.firstRoutingPeerAt, t.startedAt))),
    firstCollectStartMs: summarizeDefined(firstCollect.map((c, i) => since(c?.at, traces[i].startedAt))),
    firstCollectLookupsMs: summarizeDefined(firstLookups),
    firstArrivalMs: summarizeDefined(traces.map(t => t.arrivals.length === 0 ? undefined : Math.min(...t.arrivals.map(a => a.at)) - (t.startedAt ?? 0))),
    firstCollectMs: summarizeDefined(firstCollect.map(c => c?.ms)),
    firstCollectFetched: summarizeDefined(firstCollect.map(c => c?.fetched)),
    firstCollectStorersAnswering: summarizeDefined(firstCollect.map(c => c?.storers)),
    collectsPerRecipient: summarize(traces.map(t => t.collects.length)),
    collectErrors: collects.filter(c => c.error != null).length,
    firstNoticeMs: summarizeDefined(traces.map(t => since(t.firstNoticeAt, t.startedAt))),
    waitedMs
  }
  return { result, killed }
}

/** Reads the senders' records: status, holders, when it became `delivered` */
async function refresh (ctx: ScenarioContext, messages: MailboxMessage[]): Promise<void> {
  await mapLimit(messages, 16, async x => {
    const state = await ctx.cluster.messageStatus(x.from, x.to, x.id ?? '')
    if (state.status != null) x.status = state.status
    if (state.holders != null) x.holders = state.holders
    if (state.deliveredAt != null) x.deliveredAt = state.deliveredAt
  })
}
