import { rate, summarize } from '../stats.ts'
import type { Scenario, ScenarioContext, ScenarioResult } from './types.ts'
import type { SimNodeRef } from '../cluster.ts'

/** Every member holds the group with all its members within this long, or the run says how many do */
const FORM_TIMEOUT_MS = 120_000
/** After the last message, the members online get this long to read every one */
const ONLINE_WAIT_MS = 60_000
const POLL_MS = 250

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/**
 * One group per --group-members size: its first member makes it with the others, a share of
 * them (--group-offline) goes offline, --group-messages messages go out each from a random
 * member online, then the offline members come back and catch up from the group's mailbox.
 * Measured: the share delivered to the members online and to those back, each message stored
 * exactly once and in order; send to every online member (p50, p99); and the bytes each sender
 * wrote per message until every online member had it: on gossipsub's and the mailbox's streams
 * (its publish to its mesh, its deposit, and what its mesh peers asked for), which should not
 * grow with the group, and in all (the delivery receipts of earlier messages, one from each
 * member, each acknowledged, and the connections' upkeep, do).
 */
export const groups: Scenario = {
  name: 'groups',
  description: 'groups: a share of members offline, messages from the rest, catch-up from the group mailbox',
  enabledByDefault: options => options.groups.sizes.length > 0,
  run: async ctx => {
    const results: ScenarioResult[] = []
    for (const [i, plan] of ctx.plan.groups.entries()) {
      results.push(await oneGroup(ctx, i, plan))
    }
    return results.length === 1 ? results[0] : { groups: results }
  }
}

async function oneGroup (ctx: ScenarioContext, n: number, plan: { members: number[], offline: number[] }): Promise<ScenarioResult> {
  const members = plan.members.map(i => ctx.cluster.nodes[i]).filter(m => m.alive)
  const creator = members[0]
  const offline = new Set(plan.offline)
  const started = Date.now()
  const group = await ctx.cluster.groupCreate(creator, `simnet ${n}`, members.slice(1))
  const formed = await until(async () => {
    const seen = await ctx.cluster.groupMembers(members, group)
    return seen.filter(s => s.members === members.length).length
  }, members.length, FORM_TIMEOUT_MS)
  const formMs = Date.now() - started
  ctx.log(`groups: ${members.length} members; ${formed} hold the whole group after ${formMs} ms`)

  const away = members.filter(m => offline.has(m.index))
  await ctx.cluster.pause(away)
  const online = members.filter(m => !offline.has(m.index))
  ctx.log(`groups: ${away.length} members offline, ${ctx.options.groups.messages} messages from the ${online.length} online`)

  const sent: Array<{ text: string, at: number, from: SimNodeRef, delivered: number, bytes?: number, groupBytes?: number, error?: string }> = []
  for (let k = 0; k < ctx.options.groups.messages && Date.now() < ctx.deadline; k++) {
    const from = ctx.rng.pick(online)
    const text = `simnet group ${n} message ${k}`
    const before = await ctx.cluster.bytesSent(from)
    try {
      const { at, delivered } = await ctx.cluster.groupSend(from, group, text)
      const entry: (typeof sent)[number] = { text, at, from, delivered }
      sent.push(entry)
      // the sender's bytes for this message: until every online member has it (its deposit
      // and gossip's forwarding included), less nothing: the background is part of the cost
      await until(async () => (await arrivedAt(ctx, online, group, text)).size, online.length - 1, ONLINE_WAIT_MS)
      const after = await ctx.cluster.bytesSent(from)
      entry.bytes = after.bytes - before.bytes
      entry.groupBytes = groupStreamBytes(after.byProtocol) - groupStreamBytes(before.byProtocol)
    } catch (err: any) {
      sent.push({ text, at: Date.now(), from, delivered: 0, error: err.message })
    }
  }

  const onlineView = await ctx.cluster.groupArrivals(online, group)
  const latencies: number[] = []
  let onlineDelivered = 0
  let duplicates = 0
  for (const message of sent) {
    const others = onlineView.filter(v => v.index !== message.from.index)
    const copies = others.map(v => v.messages.find(m => m.text === message.text))
    duplicates += copies.filter(c => (c?.copies ?? 0) > 1).length
    const all = copies.every(c => c != null && c.at != null)
    onlineDelivered += copies.filter(c => c != null).length
    if (all) latencies.push(Math.max(...copies.map(c => c!.at! - message.at)))
  }

  const resumedAt = Date.now()
  await ctx.cluster.resume(away)
  const backIn = Date.now() - resumedAt
  const waitUntil = Date.now() + ctx.options.groups.waitS * 1_000
  let backView = await ctx.cluster.groupArrivals(away, group)
  const complete = (view: typeof backView): number => view.filter(v => sent.every(s => v.messages.some(m => m.text === s.text))).length
  while (complete(backView) < away.length && Date.now() < waitUntil) {
    await sleep(POLL_MS * 4)
    backView = await ctx.cluster.groupArrivals(away, group)
  }
  const caughtUpMs = Date.now() - resumedAt
  let backDelivered = 0
  let backDuplicates = 0
  let outOfOrder = 0
  for (const view of backView) {
    const texts = view.messages.map(m => m.text)
    backDelivered += sent.filter(s => texts.includes(s.text)).length
    backDuplicates += view.messages.filter(m => m.copies > 1).length
    // as stored: the order each member's history shows them in
    const order = sent.map(s => texts.indexOf(s.text)).filter(i => i >= 0)
    outOfOrder += order.filter((v, i) => i > 0 && v < order[i - 1]).length
  }
  const bytes = sent.flatMap(s => s.bytes != null ? [s.bytes] : [])
  const groupBytes = sent.flatMap(s => s.groupBytes != null ? [s.groupBytes] : [])
  return {
    members: members.length,
    formedRate: formed / members.length,
    formMs,
    offline: away.length,
    messages: sent.length,
    sendErrors: sent.filter(s => s.error != null).length,
    onlineDeliveredRate: rate(onlineDelivered, sent.length * (online.length - 1)),
    onlineDuplicates: duplicates,
    toEveryOnlineMemberMs: summarize(latencies),
    gossipDirectRecipients: summarize(sent.map(s => s.delivered)),
    senderGroupBytesPerMessage: summarize(groupBytes),
    senderAllBytesPerMessage: summarize(bytes),
    backOnlineInMs: backIn,
    caughtUpRate: rate(backDelivered, sent.length * away.length),
    caughtUpMembers: complete(backView),
    caughtUpMs,
    caughtUpDuplicates: backDuplicates,
    caughtUpOutOfOrder: outOfOrder
  }
}

/**
 * What a node wrote on the streams that carry a group message itself: gossipsub's (its own
 * publish, and passing on what its mesh peers ask for) and the mailbox's (the deposit)
 */
function groupStreamBytes (byProtocol: Record<string, number>): number {
  return Object.entries(byProtocol).filter(([protocol]) => protocol.startsWith('/meshsub/') || protocol.startsWith('/floodsub/') || protocol.startsWith('/parley/mailbox/'))
    .reduce((sum, [, bytes]) => sum + bytes, 0)
}

/** The online members (but the sender) that hold `text` */
async function arrivedAt (ctx: ScenarioContext, online: SimNodeRef[], group: string, text: string): Promise<Set<number>> {
  const view = await ctx.cluster.groupArrivals(online, group)
  return new Set(view.filter(v => v.messages.some(m => m.text === text && m.at != null)).map(v => v.index))
}

/** Polls `count` until it reaches `target` or `timeoutMs` passes; resolves with the last count */
async function until (count: () => Promise<number>, target: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs
  let last = await count()
  while (last < target && Date.now() < deadline) {
    await sleep(POLL_MS)
    last = await count()
  }
  return last
}
