import { summarize } from '../stats.ts'
import type { Scenario, ScenarioResult } from './types.ts'

const TOPIC = 'parley-simnet'
/** Publishes, each from a random user node; the report gives the median of each figure */
const PUBLISHES = 3
/** Subscribing counts as done once this share of nodes has gossipsub mesh peers for the topic */
const MESH_READY_SHARE = 0.99
const MESH_TIMEOUT_MS = 30_000
const PROPAGATION_TIMEOUT_MS = 20_000
const POLL_MS = 250
const SHARES = [50, 90, 99, 100] as const

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

function median (values: Array<number | undefined>): number | undefined {
  return values.some(v => v == null) ? undefined : summarize(values as number[])?.p50
}

export const gossip: Scenario = {
  name: 'gossip',
  description: 'every node subscribes to one gossipsub topic; time until X% received a publish',
  enabledByDefault: () => true,
  run: async ctx => {
    const started = Date.now()
    let subscription = await ctx.cluster.subscribeAll(TOPIC)
    while (subscription.withMesh < subscription.subscribed * MESH_READY_SHARE && Date.now() - started < MESH_TIMEOUT_MS) {
      await sleep(POLL_MS)
      subscription = await ctx.cluster.subscribeAll(TOPIC)
    }
    const meshMs = Date.now() - started
    if (subscription.withMesh < subscription.subscribed * MESH_READY_SHARE) {
      ctx.log(`gossip: after ${meshMs} ms only ${subscription.withMesh}/${subscription.subscribed} nodes have mesh peers (${subscription.withTopicPeers} know a subscriber, ${subscription.withPubsubPeers} have pubsub peers)`)
    }
    const runs: ScenarioResult[] = []
    for (let p = 0; p < PUBLISHES; p++) {
      const from = ctx.rng.pick(ctx.cluster.users())
      const key = `simnet-gossip-${ctx.options.seed}-${p}`
      const expected = ctx.cluster.nodes.filter(n => n.alive).length - 1
      let published
      try {
        published = await ctx.cluster.publish(from, TOPIC, key)
      } catch (err: any) {
        runs.push({ publisher: from.index, coverageRate: 0, error: err.message })
        continue
      }
      const { at, recipients } = published
      let receipts = await ctx.cluster.gossipReport(key)
      while (receipts.length < expected && now() - at < PROPAGATION_TIMEOUT_MS) {
        await sleep(POLL_MS)
        receipts = await ctx.cluster.gossipReport(key)
      }
      const offsets = receipts.map(r => r.at - at).sort((a, b) => a - b)
      const run: ScenarioResult = { publisher: from.index, directRecipients: recipients, coverageRate: receipts.length / expected }
      for (const share of SHARES) {
        const needed = Math.ceil(share / 100 * expected)
        run[`t${share}Ms`] = needed <= offsets.length ? offsets[Math.max(0, needed - 1)] : undefined
      }
      runs.push(run)
    }
    const result: ScenarioResult = {
      subscribed: subscription.subscribed,
      pubsubPeersShare: subscription.withPubsubPeers / subscription.subscribed,
      topicPeersShare: subscription.withTopicPeers / subscription.subscribed,
      meshShare: subscription.withMesh / subscription.subscribed,
      meshFormedMs: meshMs,
      publishes: PUBLISHES,
      coverageRate: Math.min(...runs.map(r => r.coverageRate as number))
    }
    for (const share of SHARES) {
      // median over the publishes; missing when some publish never reached that share
      result[`t${share}Ms`] = median(runs.map(r => r[`t${share}Ms`] as number | undefined)) ?? 'not reached'
    }
    result.runs = runs
    if (ctx.options.transport === 'tcp' && subscription.withTopicPeers < subscription.subscribed / 2) {
      result.note = 'gossipsub graylists peers when more than 10 share an IP (score P6, IP colocation): on loopback all do; ' +
        'try --what-if \'{"gossipIpColocationWeight":0}\' (docs/SIMNET.md)'
    }
    return result
  }
}

function now (): number {
  return performance.timeOrigin + performance.now()
}
