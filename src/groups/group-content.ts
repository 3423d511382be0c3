import { fromString as fromBase64 } from 'uint8arrays/from-string'
import { GroupReceipt, GroupUpdate, SenderKey } from '../messenger/pb/content.ts'
import type { GroupMessaging } from './group-messaging.ts'
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
      if (record.payload == null) throw new Error('a group record without its update')
      return { group: GroupUpdate.decode(fromBase64(record.payload, 'base64')) }
    }
  }
}

/**
 * Sender keys inside end-to-end encrypted messages: a member's key, or its request for this
 * node's, is taken by `messaging` (the session's new state lands first: a key is worth keeping
 * even if taking it fails)
 */
export function senderKeyHandler (messaging: GroupMessaging): ContentHandler<'sender-key'> {
  return {
    take: async (incoming, options) => {
      await incoming.commitSession()
      await messaging.takeSenderKey(incoming.peer, incoming.body.key, options).catch((err: any) => {
        messaging.log('a sender key from %s not taken - %s', incoming.peer, err.message)
      })
    },
    fieldsOf: async (record) => {
      if (record.payload == null) throw new Error('a sender-key record without its key')
      return { senderKey: SenderKey.decode(fromBase64(record.payload, 'base64')) }
    }
  }
}

/**
 * Receipts for this node's group messages, from the members they reached or who read them
 * (the session's new state lands first: a receipt is not worth refusing a session over)
 */
export function groupReceiptHandler (messaging: GroupMessaging): ContentHandler<'group-receipt'> {
  return {
    take: async (incoming, options) => {
      await incoming.commitSession()
      await messaging.takeReceipt(incoming.peer, incoming.body.receipt, options).catch((err: any) => {
        messaging.log('a group receipt from %s not taken - %s', incoming.peer, err.message)
      })
    },
    fieldsOf: async (record) => {
      if (record.payload == null) throw new Error('a group receipt record without its receipt')
      return { groupReceipt: GroupReceipt.decode(fromBase64(record.payload, 'base64')) }
    }
  }
}
