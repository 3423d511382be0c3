import { TypedEventEmitter } from 'main-event'
import { groupInfo } from './group-info.ts'
import { publicMessage, transferInfo } from './public.ts'
import type { PublicMessage, TransferInfo } from './public.ts'
import type { FileTransfers } from '../files/transfers.ts'
import type { Messenger, MessengerEvents } from '../messenger/messenger.ts'
import type { GroupInfo } from './group-info.ts'
import type { CallInfo, Calls } from '../calls/calls.ts'
import type { GroupState } from '../groups/group-log.ts'
import type { GroupMessaging } from '../groups/group-messaging.ts'
import type { Groups } from '../groups/groups.ts'
import type { Contact, Direction, MessageRecord, MessageRequest } from '../storage/types.ts'

export interface NodeEventMap {
  /** A message arrived (a repeat of a stored one is not announced again) */
  message: CustomEvent<PublicMessage>
  /** The user sent a message (`sending`), or an outgoing one changed status */
  status: CustomEvent<PublicMessage>
  /** A file transfer was offered, changed state, or made progress (`bytes`) */
  transfer: CustomEvent<TransferInfo>
  /** A peer the user has not accepted wrote: a new message request, or another message in one */
  request: CustomEvent<MessageRequest>
  /** The user accepted a peer (added it, accepted its request, or wrote to it) */
  accepted: CustomEvent<{ peerId: string }>
  /** A contact was added or renamed (`contact` set), or removed */
  contact: CustomEvent<{ peerId: string, contact?: Contact }>
  /** A message changed in place: a reaction, an edit, a deletion for everyone */
  changed: CustomEvent<PublicMessage>
  /** A disappearing message's time came: it is gone */
  erased: CustomEvent<{ conversation: string, id: string, direction: Direction }>
  /** A peer started or stopped typing (with typing indicators on) */
  typing: CustomEvent<{ peer: string, typing: boolean }>
  /** A conversation was read here: its unread count is 0 */
  read: CustomEvent<{ conversation: string }>
  /** A group was created, joined or changed here (as `GET /v1/groups/GROUP` shows it) */
  group: CustomEvent<GroupInfo>
  /** A call rings (here or at the peer), connects, or ends (`reason`) */
  call: CustomEvent<CallInfo>
}

export type NodeEventType = keyof NodeEventMap

/** One event as data: what the control API's `/events` carries (`event: type`, `data: detail`) */
export type NodeEvent = { [K in NodeEventType]: { type: K, detail: NodeEventMap[K]['detail'] } }[NodeEventType]

/** Every event type, in the order the control API documents them */
export const NODE_EVENT_TYPES: readonly NodeEventType[] = ['message', 'status', 'transfer', 'request', 'accepted', 'contact', 'changed', 'erased', 'typing', 'read', 'group', 'call']

/**
 * The one event stream of a node, for every interface alike (the control API's `/events`, and
 * through it the CLI's chat; the web app): what the messenger, file transfers, groups and calls
 * announce, in the shapes the interfaces show, free of secrets (no file keys, no store
 * internals) before it reaches any listener.
 */
export class NodeEvents extends TypedEventEmitter<NodeEventMap> {
  private readonly unsubscribe: Array<() => void> = []

  constructor (messenger: Messenger, files?: FileTransfers, groups?: { groups: Groups, messaging: GroupMessaging }, calls?: Calls) {
    super()
    this.forward(messenger, 'message', record => ['message', publicMessage(record)])
    this.forward(messenger, 'status', record => ['status', publicMessage(record)])
    this.forward(messenger, 'request', request => ['request', request])
    this.forward(messenger, 'accepted', peerId => ['accepted', { peerId }])
    this.forward(messenger, 'contact', change => ['contact', change])
    this.forward(messenger, 'changed', record => ['changed', publicMessage(record)])
    this.forward(messenger, 'erased', gone => ['erased', gone])
    this.forward(messenger, 'typing', typing => ['typing', typing])
    this.forward(messenger, 'read', read => ['read', read])
    if (files != null) {
      // the transfers' own events, which carry progress; the messenger's are the same records
      const onTransfer = (evt: CustomEvent): void => { this.safeDispatchEvent('transfer', { detail: transferInfo(evt.detail) }) }
      files.addEventListener('transfer', onTransfer)
      this.unsubscribe.push(() => { files.removeEventListener('transfer', onTransfer) })
    }
    if (groups != null) {
      // a group's messages are messages like any other: their conversation is the group's id
      const onMessage = (evt: CustomEvent<MessageRecord>): void => { this.safeDispatchEvent('message', { detail: publicMessage(evt.detail) }) }
      const onStatus = (evt: CustomEvent<MessageRecord>): void => { this.safeDispatchEvent('status', { detail: publicMessage(evt.detail) }) }
      const onChanged = (evt: CustomEvent<MessageRecord>): void => { this.safeDispatchEvent('changed', { detail: publicMessage(evt.detail) }) }
      const onGroup = (evt: CustomEvent<GroupState>): void => { this.safeDispatchEvent('group', { detail: groupInfo(evt.detail) }) }
      groups.messaging.addEventListener('message', onMessage)
      groups.messaging.addEventListener('status', onStatus)
      groups.messaging.addEventListener('changed', onChanged)
      groups.groups.addEventListener('group', onGroup)
      this.unsubscribe.push(() => {
        groups.messaging.removeEventListener('message', onMessage)
        groups.messaging.removeEventListener('status', onStatus)
        groups.messaging.removeEventListener('changed', onChanged)
        groups.groups.removeEventListener('group', onGroup)
      })
    }
    if (calls != null) {
      // a call's history entry is a message like any other
      const onCall = (evt: CustomEvent<CallInfo>): void => { this.safeDispatchEvent('call', { detail: evt.detail }) }
      const onMessage = (evt: CustomEvent<MessageRecord>): void => { this.safeDispatchEvent('message', { detail: publicMessage(evt.detail) }) }
      const onStatus = (evt: CustomEvent<MessageRecord>): void => { this.safeDispatchEvent('status', { detail: publicMessage(evt.detail) }) }
      calls.addEventListener('call', onCall)
      calls.addEventListener('message', onMessage)
      calls.addEventListener('status', onStatus)
      this.unsubscribe.push(() => {
        calls.removeEventListener('call', onCall)
        calls.removeEventListener('message', onMessage)
        calls.removeEventListener('status', onStatus)
      })
    }
  }

  /** Stops forwarding (the node is stopping) */
  close (): void {
    for (const off of this.unsubscribe.splice(0)) off()
  }

  private forward<K extends keyof MessengerEvents, T extends NodeEventType> (messenger: Messenger, type: K, shape: (detail: MessengerEvents[K]['detail']) => [T, NodeEventMap[T]['detail']]): void {
    const listener = (evt: MessengerEvents[K]): void => {
      const [out, detail] = shape(evt.detail)
      this.safeDispatchEvent(out, { detail })
    }
    messenger.addEventListener(type, listener as any)
    this.unsubscribe.push(() => { messenger.removeEventListener(type, listener as any) })
  }
}
