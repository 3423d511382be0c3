import { MessageRefusedError } from '../../protocols/chat/index.ts'
import { MAX_REACTION_BYTES } from '../constants.ts'
import { decodeRef, encodeRef } from '../message-ref.ts'
import type { ContentHandler } from '../content-handlers.ts'
import type { MessageRecord, MessageStore } from '../../storage/types.ts'

const encoder = new TextEncoder()

/** Whether `emoji` can be a reaction: one short emoji, or empty to take a reaction back */
export function isReaction (emoji: string): boolean {
  if (emoji === '') return true
  if (encoder.encode(emoji).byteLength > MAX_REACTION_BYTES) return false
  // one grapheme, and a pictograph in it (no plain letters or digits)
  const graphemes = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(emoji)]
  return graphemes.length === 1 && /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(emoji)
}

/** `record` with `who`'s reaction set to `emoji` (one per person; empty removes it) */
export function withReaction (record: MessageRecord, who: string, emoji: string): MessageRecord {
  const { reactions: previous, ...rest } = record
  const reactions = { ...previous }
  if (emoji === '') delete reactions[who]
  else reactions[who] = emoji
  return Object.keys(reactions).length === 0 ? rest : { ...rest, reactions }
}

/**
 * A peer's reaction to a message of the conversation (either side's, any member's in a group): set on that message, or
 * taken back. A reaction naming a message of someone outside the conversation is refused; one
 * whose message is not here (gone, or deleted) changes nothing.
 */
export function reactionHandler (messages: MessageStore): ContentHandler<'reaction'> {
  return {
    take: async (incoming, options) => {
      const { reaction } = incoming.body
      const target = decodeRef(reaction.message)
      if (!isReaction(reaction.emoji)) throw new MessageRefusedError('a reaction is one emoji')
      const mayBeAuthor = incoming.members?.has(target.author) ?? (target.author === incoming.self || target.author === incoming.peer)
      if (!mayBeAuthor) {
        throw new MessageRefusedError('the reaction names a message from outside the conversation')
      }
      const direction = target.author === incoming.self ? 'out' : 'in'
      const changed = await messages.update(incoming.conversation, direction, target.id,
        record => record.deleted === true ? undefined : withReaction(record, incoming.peer, reaction.emoji),
        { ...options, also: incoming.sessionWrites })
      if (changed != null) incoming.emit('changed', changed)
    },
    fieldsOf: async (record) => ({ reaction: { message: encodeRef(record.target!), emoji: record.emoji ?? '' } })
  }
}
