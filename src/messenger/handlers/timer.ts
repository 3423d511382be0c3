import { MessageRefusedError } from '../../protocols/chat/index.ts'
import type { ContentHandler } from '../content-handlers.ts'

/**
 * A peer set the conversation's disappearing-message timer: a history entry ("disappearing
 * messages: 1 hour"), and the conversation's timer from now on, for both sides. A timer
 * outside `timers` (the allowed ones, TIMER_SECONDS unless configured) is refused.
 */
export function timerHandler (timers: readonly number[]): ContentHandler<'timer'> {
  return {
    take: async (incoming) => {
      const seconds = incoming.body.timer.seconds
      if (!timers.includes(seconds)) throw new MessageRefusedError(`a timer of ${seconds} s is not one of the allowed ones`)
      await incoming.addMessage({ text: '', timer: seconds })
    },
    fieldsOf: async (record) => ({ timer: { seconds: record.timer ?? 0 } })
  }
}
