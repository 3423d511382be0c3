import type { Scenario } from './types.ts'

/**
 * Placeholder for the mailbox issue: messages to paused nodes stored on R replicas and fetched
 * when they come back. Until then `--replicas` is accepted and ignored.
 */
export const mailbox: Scenario = {
  name: 'mailbox',
  description: 'offline delivery through R mailbox replicas (not implemented yet)',
  enabledByDefault: options => options.replicas != null,
  run: async ctx => ({
    implemented: false,
    replicas: ctx.options.replicas ?? null,
    note: 'mailboxes are not implemented yet: --replicas was ignored'
  })
}
