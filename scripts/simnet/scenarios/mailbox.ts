/**
 * Offline delivery through mailboxes, under storer loss. Each round (one per --kill-storers
 * share): each sender greets its recipient (unless --mailbox-first-contact), the recipients go
 * offline (same identity kept), senders write to them (the messages go to R mailbox storers), a share of the storers holding the round's copies is stopped for good,
 * the recipients come back, and the round measures what reached their inbox (once), by which
 * path, how long after their restart, and when the senders saw it `delivered` (the recipient's
 * receipt, or the ack of a direct send).
 */

import { REPLICAS } from '../../../src/protocols/mailbox/index.ts'
import { mapLimit, rate, summarize } from '../stats.ts'
import { SEND_TIMEOUT_MS } from './measure.ts'
import type { SimNodeRef } from '../cluster.ts'
import type { MessageState, NodeTrace } from '../protocol.ts'
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
/** Recipients restarted one after the other: the next starts once the previous has all, or this passed */
const RESTART_GAP_MAX_MS = 10_000
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
  /** Storers (PeerIds) holding it, as the sender's record says */
  holders: string[]
  status: string
  deliveredAt?: number
  directSends: NonNullable<MessageState['directSends']>
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
    const rounds: Record<string, ScenarioResult> = {}
    let killed: SimNodeRef[] = []
    for (const [round, killPct] of m.killStorers.entries()) {
      if (killed.length > 0) {
        // each round starts with every storer up: last round's killed ones come back, same
        // identity, with what they held
        await ctx.cluster.resume(killed)
        ctx.log(`mailbox: the ${killed.length} storers killed last round restarted`)
        killed = []
      }
      const name = `killed${killPct}pct`
      if (Date.now() > ctx.deadline) {
        rounds[name] = { notRunPastDeadline: true }
        continue
      }
      const result = await runRound(ctx, round, killPct, replicas)
      killed = result.killed
      rounds[name] = result.result
    }
    const result: ScenarioResult = {
      replicas,
      storers: ctx.plan.storers.length,
      stampBits: ctx.options.stampBits,
      recipientsPerRound: m.recipients,
      sendersPerRecipient: m.senders,
      messagesPerPair: m.messages,
      sendersOffline: m.sendersOffline,
      firstContact: m.firstContact,
      recipientsWarmedUp: m.warmup,
      recipientsRestartedTogether: m.restartTogether,
      replicateAfterKill: m.replicate,
      rounds
    }
    const target = rounds[`killed${TARGET.killPct}pct`]
    if (replicas === TARGET.replicas && target?.deliveredRate != null) {
      const delivered = target.deliveredRate as number
      const p99 = (target.timeToInboxMs as Summary | undefined)?.p99
      const met = delivered >= TARGET.deliveredRate && p99 != null && p99 <= TARGET.p99Ms
      result.target = `R=5, 50% of storers killed: delivery 100% and p99 time-to-inbox <= 2 s: ${met ? 'met' : 'MISSED'} ` +
        `(delivery ${(delivered * 100).toFixed(1)}%, p99 ${p99 == null ? '-' : `${Math.round(p99)} ms`})`
    }
    return result
  }
}

async function runRound (ctx: ScenarioContext, round: number, killPct: number, replicas: number): Promise<{ result: ScenarioResult, killed: SimNodeRef[] }> {
  const m = ctx.options.mailbox
  const tag = `mailbox round ${round + 1} (${killPct}% killed)`
  const allRecipients = new Set(ctx.plan.mailboxRecipients.flat())
  const recipients = ctx.plan.mailboxRecipients[round].map(i => ctx.cluster.nodes[i]).filter(n => n.alive)
  const restartableSenders = new Set(ctx.plan.mailboxSenders)
  const senderPool = ctx.cluster.users().filter(n => !n.storer && !allRecipients.has(n.index) && (!m.sendersOffline || restartableSenders.has(n.index)))
  if (recipients.length === 0 || senderPool.length < m.senders) return { result: { error: 'not enough recipients or senders alive' }, killed: [] }
  const pairs = recipients.flatMap(to => ctx.rng.sample(senderPool, m.senders).map(from => ({ from, to })))
  const senders = [...new Set(pairs.map(p => p.from))]

  // 1. a first message to an offline recipient is encrypted with its prekey record from the
  // DHT: can a node other than its senders find it? (The record a node put when it joined went
  // to the few peers it knew then; a restart puts it again, into the DHT as it is now.)
  const prekeyErrors: string[] = []
  const prekeyLookups = async (): Promise<number> => {
    const found = await mapLimit(recipients, ctx.options.concurrency, async to => {
      const others = senderPool.filter(n => !pairs.some(p => p.to === to && p.from === n))
      const result = await ctx.cluster.prekeyLookup(ctx.rng.pick(others.length > 0 ? others : senderPool), to, PREKEY_LOOKUP_TIMEOUT_MS)
      if (!result.ok) prekeyErrors.push(result.error ?? 'unknown')
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
  // unless it is first contact, each sender wrote to its recipient before: they have a session
  let greetings: Record<string, number> | undefined
  if (!m.firstContact) {
    const greeted = await mapLimit(pairs, ctx.options.concurrency, async ({ from, to }) => {
      return (await ctx.cluster.send(from, to, `simnet mailbox round ${round + 1}: hello from ${from.index}`, SEND_TIMEOUT_MS)).status
    })
    greetings = countBy(greeted)
  }

  // 2. the recipients go offline; senders write to them, each pair's messages in order
  await ctx.cluster.pause(recipients)
  ctx.log(`${tag}: ${recipients.length} recipients offline, ${pairs.length} senders writing to them`)
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
        status: sent.status,
        directSends: []
      })
    }
  })
  const sendMs = Date.now() - sendStarted

  // 3. the messenger tops partial deposits up on its retries: wait for R storers (or give up)
  const settleStarted = Date.now()
  const short = (): MailboxMessage[] => messages.filter(x => x.id != null && x.status !== 'delivered' && x.status !== 'failed' && x.holders.length < replicas)
  while (short().length > 0 && Date.now() - settleStarted < REPLICA_SETTLE_MS) {
    await sleep(POLL_MS)
    await refresh(ctx, short())
  }
  const settleMs = Date.now() - settleStarted
  ctx.log(`${tag}: ${messages.length} messages sent in ${sendMs} ms, ${messages.filter(x => x.holders.length >= replicas).length} with ${replicas} storers ${settleMs} ms later`)
  if (m.sendersOffline) await ctx.cluster.pause(senders)

  // 4. a share of the storers holding copies stops for good (for this round)
  const holding = [...new Set(messages.flatMap(x => x.holders))]
    .map(p => ctx.cluster.byPeerId(p))
    .filter((n): n is SimNodeRef => n != null && n.alive)
    .sort((a, b) => a.index - b.index)
  const usage = await ctx.cluster.mailboxUsage(ctx.cluster.nodes.filter(n => n.storer && n.alive))
  const killed = ctx.rng.sample(holding, Math.round(killPct / 100 * holding.length))
  if (killed.length > 0) await ctx.cluster.pause(killed)
  const dead = new Set(killed.map(n => n.peerId))
  const orphaned = new Set(messages.filter(x => x.holders.every(h => dead.has(h))))
  ctx.log(`${tag}: killed ${killed.length} of the ${holding.length} storers holding copies; ${orphaned.size} messages have no storer left`)
  let replicated: number | undefined
  if (m.replicate) {
    replicated = await ctx.cluster.replicate(ctx.cluster.nodes.filter(n => n.storer && n.alive), REPLICATE_TIMEOUT_MS)
    ctx.log(`${tag}: the surviving storers handed on ${replicated} envelopes`)
  }

  // 5. the recipients come back, all at once or one after the other (each restart sets off a
  // burst of DHT queries: a handful of recipients at once is a sizeable share of a small
  // network); wait for their messages (and, senders online, the receipts)
  const resumeStarted = Date.now()
  let traces: NodeTrace[] = []
  const allArrived = (): boolean => {
    const got = new Set(traces.flatMap(t => t.arrivals.map(a => a.text)))
    return messages.every(x => got.has(x.text))
  }
  if (m.restartTogether) {
    await ctx.cluster.resume(recipients)
  } else {
    for (const recipient of recipients) {
      await ctx.cluster.resume([recipient])
      const expected = messages.filter(x => x.to === recipient).map(x => x.text)
      const until = Date.now() + RESTART_GAP_MAX_MS
      while (Date.now() < until) {
        const [trace] = await ctx.cluster.trace([recipient])
        const got = new Set(trace.arrivals.map(a => a.text))
        if (expected.every(text => got.has(text))) break
        await sleep(POLL_MS / 5)
      }
    }
  }
  ctx.log(`${tag}: recipients restarted ${m.restartTogether ? 'together' : 'one after the other'} in ${Date.now() - resumeStarted} ms`)
  let deadline = Date.now() + m.waitS * 1_000
  while (Date.now() < deadline) {
    traces = await ctx.cluster.trace(recipients)
    if (!m.sendersOffline) await refresh(ctx, messages.filter(x => x.id != null && x.deliveredAt == null))
    if (allArrived() && (m.sendersOffline || messages.every(x => x.deliveredAt != null))) break
    await sleep(POLL_MS)
  }
  traces = await ctx.cluster.trace(recipients)
  const waitedMs = Date.now() - resumeStarted

  // 6. offline senders come back and collect the receipts from their own mailboxes
  let senderTraces: NodeTrace[] = []
  if (m.sendersOffline) {
    await ctx.cluster.resume(senders)
    ctx.log(`${tag}: senders restarted`)
    deadline = Date.now() + m.waitS * 1_000
    while (Date.now() < deadline) {
      await refresh(ctx, messages.filter(x => x.id != null && x.deliveredAt == null))
      if (messages.every(x => x.deliveredAt != null)) break
      await sleep(POLL_MS)
    }
    senderTraces = await ctx.cluster.trace(senders)
  }
  await refresh(ctx, messages.filter(x => x.id != null))

  // 7. what arrived, once, how, and when: from the recipient's restart (createParley resolved)
  const byText = new Map(messages.map(x => [x.text, x]))
  const firstArrival = new Map<MailboxMessage, number>()
  const times = { mailbox: [] as number[], direct: [] as number[] }
  let duplicates = 0
  let unexpected = 0
  for (const t of traces) {
    for (const a of t.arrivals) {
      const x = byText.get(a.text)
      if (x == null) {
        unexpected++
      } else if (firstArrival.has(x)) {
        duplicates++
      } else {
        const ms = a.at - (t.startedAt ?? a.at)
        firstArrival.set(x, ms)
        // taken while a direct send of it was under way: it came over chat, else from a mailbox
        const direct = x.directSends.some(s => s.start <= a.at && a.at <= s.end)
        times[direct ? 'direct' : 'mailbox'].push(ms)
      }
    }
  }
  const counts = countBy(traces.flatMap(t => t.arrivals.map(a => a.text)).filter(text => byText.has(text)))
  const lost = messages.filter(x => !firstArrival.has(x))
  const firstCollect = traces.map(t => t.collects[0])
  // the first collection's DHT lookups (one per mailbox key), from the collection's start
  const firstLookups = traces.map((t, i) => {
    const c = firstCollect[i]
    if (c == null) return undefined
    const mine = t.closestPeers.filter(l => l.at >= c.at && l.at - c.at < LOOKUP_START_SLACK_MS)
    if (mine.length === 0 || mine.some(l => l.ms == null)) return undefined
    return Math.max(...mine.map(l => l.at + (l.ms ?? 0))) - c.at
  })
  const restartOf = new Map([...traces, ...senderTraces].map(t => [t.index, t.startedAt]))
  const result: ScenarioResult = {
    killSharePct: killPct,
    recipients: recipients.length,
    pairs: pairs.length,
    messages: messages.length,
    prekeyRecordFoundRate,
    ...(prekeyRecordFoundAfterWarmupRate != null ? { prekeyRecordFoundAfterWarmupRate } : {}),
    ...(prekeyErrors.length > 0 ? { prekeyLookupErrors: countBy(prekeyErrors) } : {}),
    ...(unpublished.length > 0 ? { recipientsWithoutPrekeyRecord: unpublished.length } : {}),
    ...(greetings != null ? { greetings } : {}),
    sendStatuses: countBy(messages.map(x => x.sendStatus)),
    sendLatencyMs: summarize(messages.map(x => x.sendMs)),
    messagesByStorersAtSend: countBy(messages.map(x => x.holdersAtSend)),
    messagesByStorersBeforeKill: countBy(messages.map(x => x.holders.length)),
    replicaTargetReachedRate: rate(messages.filter(x => x.holders.length >= replicas).length, messages.length),
    replicaSettleMs: settleMs,
    envelopesPerStorer: summarize(usage.map(u => u.items)),
    storersHoldingCopies: holding.length,
    storersKilled: killed.length,
    messagesWithNoStorerLeft: orphaned.size,
    ...(replicated != null ? { envelopesReplicated: replicated } : {}),
    deliveredRate: rate(firstArrival.size, messages.length),
    receivedExactlyOnceRate: rate(Object.values(counts).filter(c => c === 1).length, messages.length),
    duplicates,
    ...(unexpected > 0 ? { unexpected } : {}),
    ...(lost.length > 0 ? { notReceived: lost.length, notReceivedWithNoStorerLeft: lost.filter(x => orphaned.has(x)).length } : {}),
    ...(orphaned.size > 0 ? { receivedWithNoStorerLeft: [...orphaned].filter(x => firstArrival.has(x)).length } : {}),
    arrivedBy: { mailbox: times.mailbox.length, direct: times.direct.length },
    timeToInboxMs: summarize([...firstArrival.values()]),
    timeToInboxViaMailboxMs: summarize(times.mailbox),
    ...(times.direct.length > 0 ? { timeToInboxDirectMs: summarize(times.direct) } : {}),
    receiptsRate: rate(messages.filter(x => x.deliveredAt != null).length, messages.length),
    // senders online: from the recipient's restart; senders offline: from the sender's own
    [m.sendersOffline ? 'timeToDeliveredAfterSenderRestartMs' : 'timeToDeliveredMs']: summarizeDefined(messages.map(x => {
      return since(x.deliveredAt, restartOf.get(m.sendersOffline ? x.from.index : x.to.index))
    })),
    // where the time goes, from each recipient's restart
    recipientStartMs: summarize(recipients.map(n => n.startMs)),
    recipientJoinMs: summarize(recipients.map(n => n.joinMs)),
    firstRoutingPeerMs: summarizeDefined(traces.map(t => since(t.firstRoutingPeerAt, t.startedAt))),
    firstNoticeMs: summarizeDefined(traces.map(t => since(t.firstNoticeAt, t.startedAt))),
    firstCollectStartMs: summarizeDefined(firstCollect.map((c, i) => since(c?.at, traces[i].startedAt))),
    firstCollectLookupsMs: summarizeDefined(firstLookups),
    firstCollectMs: summarizeDefined(firstCollect.map(c => c?.ms)),
    firstCollectsUnfinished: firstCollect.filter(c => c != null && c.ms == null).length,
    firstCollectFetched: summarizeDefined(firstCollect.map(c => c?.fetched)),
    firstCollectStorersAnswering: summarizeDefined(firstCollect.map(c => c?.storers)),
    firstArrivalMs: summarizeDefined(traces.map(t => t.arrivals.length === 0 ? undefined : Math.min(...t.arrivals.map(a => a.at)) - (t.startedAt ?? 0))),
    collectsPerRecipient: summarize(traces.map(t => t.collects.length)),
    collectErrors: traces.flatMap(t => t.collects).filter(c => c.error != null).length,
    waitedMs,
    // JSON only: each recipient's timeline, ms from its restart
    recipientTimelines: traces.map(t => timeline(t))
  }
  return { result, killed }
}

/** A recipient's trace as offsets from its restart, rounded to the millisecond */
function timeline (t: NodeTrace): ScenarioResult {
  const from = t.startedAt ?? 0
  const ms = (at: number | undefined): number | undefined => at == null ? undefined : Math.round(at - from)
  const round = (v: number | undefined): number | undefined => v == null ? undefined : Math.round(v)
  return {
    index: t.index,
    firstRoutingPeer: ms(t.firstRoutingPeerAt),
    firstNotice: ms(t.firstNoticeAt),
    collects: t.collects.map(c => ({ ...c, at: ms(c.at), ms: round(c.ms) })),
    closestPeers: t.closestPeers.map(l => ({ at: ms(l.at), ms: round(l.ms), peers: l.peers })),
    arrivals: t.arrivals.map(a => ms(a.at))
  }
}

/** Reads the senders' records: status, holders, when it became `delivered`, direct sends */
async function refresh (ctx: ScenarioContext, messages: MailboxMessage[]): Promise<void> {
  await mapLimit(messages.filter(x => x.from.alive), 16, async x => {
    const state = await ctx.cluster.messageStatus(x.from, x.to, x.id ?? '')
    if (state.status != null) x.status = state.status
    if (state.holders != null) x.holders = state.holders
    if (state.deliveredAt != null) x.deliveredAt = state.deliveredAt
    if (state.directSends != null) x.directSends = state.directSends
  })
}
