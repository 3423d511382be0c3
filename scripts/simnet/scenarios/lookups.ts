import { measureLookups } from './measure.ts'
import type { Scenario } from './types.ts'

export const lookups: Scenario = {
  name: 'lookups',
  description: 'DHT findPeer between random user nodes, skipping the local peer store',
  enabledByDefault: options => options.lookups > 0,
  run: async ctx => {
    const users = ctx.cluster.users()
    return measureLookups(ctx, users, users, ctx.options.lookups)
  }
}
