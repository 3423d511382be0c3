import type { ContentHandler } from '../content-handlers.ts'

/**
 * A peer's mailbox identities sent alone (its window moved on and it had nothing else to send):
 * the receive pipeline keeps them with the session's new state, as it does beside any content;
 * nothing goes in the history. An outgoing one carries no body: the outbox adds the identities.
 */
export function mailboxAnnouncementHandler (): ContentHandler<'mailbox'> {
  return {
    take: async (incoming) => { await incoming.commitSession() },
    fieldsOf: async () => ({})
  }
}
