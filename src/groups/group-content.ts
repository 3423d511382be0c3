import { fromString as fromBase64 } from 'uint8arrays/from-string'
import { GroupUpdate } from '../messenger/pb/content.ts'
import type { Groups } from './groups.ts'
import type { ContentHandler } from '../messenger/content-handlers.ts'

/**
 * Group updates inside end-to-end encrypted messages: a member's update is taken by `groups`
 * with the session's new state; an outgoing group record carries the update it was made with
 */
export function groupUpdateHandler (groups: Groups): ContentHandler<'group'> {
  return {
    take: async (incoming, options) => {
      await groups.receive(incoming.peer, incoming.body.update, { ...options, known: incoming.known, also: incoming.sessionWrites })
    },
    fieldsOf: async (record) => {
      if (record.groupUpdate == null) throw new Error('a group record without its update')
      return { group: GroupUpdate.decode(fromBase64(record.groupUpdate, 'base64')) }
    }
  }
}
