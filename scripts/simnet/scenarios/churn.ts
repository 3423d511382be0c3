import { rate, summarize } from '../stats.ts'
import { awaitDelivery, isPending, measureLookups, measureMessages } from './measure.ts'
import type { Scenario } from './types.ts'

/** After the resume, queued messages get this long on top of two retry backoffs to arrive */
const REDELIVERY_SLACK_MS = 30_000

/**
 * Pauses the --churn share of user nodes (chosen at build time: they keep their identity),
 * measures lookups and messages among the survivors, sends messages to the paused nodes (they
 * queue, or go to mailbox storers), resumes those nodes with the same identity and measures how
 * long those messages take.
 */
export const churn: Scenario = {
  name: 'churn',
  description: 'pause a share of user nodes, measure among survivors, resume with the same identity',
  enabledByDefault: options => options.churn > 0,
  run: async ctx => {
    const victims = ctx.plan.churn.map(i => ctx.cluster.nodes[i]).filter(n => n.alive)
    const paused = new Set(victims.map(n => n.index))
    if (victims.length === 0) return { paused: 0, note: 'no node to pause: give --churn P > 0' }
    const pauseStarted = Date.now()
    await ctx.cluster.pause(victims)
    const pauseMs = Date.now() - pauseStarted
    const survivors = ctx.cluster.users()
    ctx.log(`churn: paused ${victims.length} nodes, ${survivors.length} user nodes left`)
    const lookups = await measureLookups(ctx, survivors, survivors, ctx.options.lookups)
    const messages = (await measureMessages(ctx, survivors, survivors, ctx.options.messages)).result
    const toPaused = await measureMessages(ctx, survivors, victims, Math.min(ctx.options.messages, victims.length))

    const resumeStarted = Date.now()
    await ctx.cluster.resume(victims)
    const resumedAt = Date.now()
    ctx.log(`churn: resumed ${victims.length} nodes in ${resumedAt - resumeStarted} ms`)
    const queued = toPaused.sent.filter(isPending)
    const deliveredAt = await awaitDelivery(ctx, toPaused.sent, resumedAt + ctx.options.retryMaxMs * 2 + REDELIVERY_SLACK_MS)
    const lookupsOfResumed = await measureLookups(ctx, ctx.cluster.users().filter(n => !paused.has(n.index)), victims, Math.min(ctx.options.lookups, victims.length * 2))
    return {
      paused: victims.length,
      survivors: survivors.length,
      pauseMs,
      resumeMs: resumedAt - resumeStarted,
      lookupsAmongSurvivors: lookups,
      messagesAmongSurvivors: messages,
      messagesToPaused: toPaused.result,
      queuedDeliveredAfterResumeRate: rate(deliveredAt.size, queued.length),
      queuedDeliveryAfterResumeMs: summarize([...deliveredAt.values()].map(at => at - resumedAt)),
      lookupsOfResumed
    }
  }
}
