import type { Contact, Direction, MessageRecord, MessageRequest, TransferRecord } from '../storage/types.ts'

export interface MessengerEvents {
  /** A new message arrived (repeats of a stored message are not announced again) */
  message: CustomEvent<MessageRecord>
  /** An outgoing message was created or changed status */
  status: CustomEvent<MessageRecord>
  /** A peer offered a file (a new transfer), or its end of a transfer changed ours */
  transfer: CustomEvent<TransferRecord>
  /** The user accepted a peer (its offered files may now be fetched) */
  accepted: CustomEvent<string>
  /** A peer the user has not accepted wrote (its request, as stored now) */
  request: CustomEvent<MessageRequest>
  /** A contact was added or renamed (`contact` set), or removed */
  contact: CustomEvent<{ peerId: string, contact?: Contact }>
  /** A stored message changed in place: a reaction, an edit, a deletion for everyone */
  changed: CustomEvent<MessageRecord>
  /**
   * A message was deleted for everyone (a `changed` with its tombstone follows): the record as it
   * was, for the parts that erase what it carried (file transfers, its file). Not for interfaces.
   */
  deleted: CustomEvent<MessageRecord>
  /** A disappearing message's time came: it is gone from history, outbox and disk */
  erased: CustomEvent<{ conversation: string, id: string, direction: Direction }>
  /** A peer started or stopped typing (only while both sides have typing indicators on) */
  typing: CustomEvent<{ peer: string, typing: boolean }>
  /** A conversation was read here (its unread count is 0 now) */
  read: CustomEvent<{ conversation: string }>
}

/**
 * How the messenger's parts announce what changed: through the one messenger's events. A
 * listener that throws does not reach the part (delivery goes on).
 */
export type Emit = <K extends keyof MessengerEvents>(type: K, detail: MessengerEvents[K]['detail']) => void
