import { rate, summarize } from '../stats.ts'
import { awaitDelivery, isPending, measureMessages } from './measure.ts'
import type { Scenario } from './types.ts'

/** How long the messenger's retries get to deliver what the first attempt left queued */
const RETRY_WINDOW_MS = 30_000

export const messages: Scenario = {
  name: 'messages',
  description: 'chat messages between random user pairs with no connection yet',
  enabledByDefault: options => options.messages > 0,
  run: async ctx => {
    const users = ctx.cluster.users()
    const { result, sent } = await measureMessages(ctx, users, users, ctx.options.messages)
    const queued = sent.filter(isPending)
    if (queued.length === 0) return result
    const deliveredAt = await awaitDelivery(ctx, sent, Date.now() + RETRY_WINDOW_MS)
    const byId = new Map(sent.map(m => [m.id, m]))
    return {
      ...result,
      // within RETRY_WINDOW_MS of the end of the sends, by the messenger's own retries
      deliveredAfterRetriesRate: rate(sent.filter(m => m.status === 'delivered').length + deliveredAt.size, sent.length),
      retriedDeliveryLatencyMs: summarize([...deliveredAt].map(([id, at]) => at - (byId.get(id)?.at ?? at)))
    }
  }
}
