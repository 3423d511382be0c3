import { logger } from '@libp2p/logger'
import { peerIdFromString } from '@libp2p/peer-id'
import { TypedEventEmitter } from 'main-event'
import { groupInfo } from '../events/group-info.ts'
import { publicMessage } from '../events/public.ts'
import { isGroupId } from '../groups/group-id.ts'
import { CoalescingRuns } from '../utils/coalescing-runs.ts'
import { TypingPeers } from './typing-peers.ts'
import type { NodeEventMap, NodeEvents } from '../events/node-events.ts'
import type { PublicMessage, TransferInfo } from '../events/public.ts'
import type { GroupInfo } from '../events/group-info.ts'
import type { FileTransfers } from '../files/transfers.ts'
import type { GroupMessaging } from '../groups/group-messaging.ts'
import type { Groups } from '../groups/groups.ts'
import type { Messenger } from '../messenger/messenger.ts'
import type { Contact, MessageRef, MessageRequest, Settings } from '../storage/types.ts'

/** A conversation as the list shows it */
export interface ConversationItem {
  /** The conversation's id (for a direct conversation, the other side's PeerId; for a group, its id) */
  id: string
  /** The other side (a group's id for a group) */
  peer: string
  /** Set for a group: its name, members and admins as they are now */
  group?: GroupInfo
  /** Incoming messages not read yet */
  unread: number
  /** The disappearing-message timer in seconds; 0 is off */
  timer: number
  /** The newest history entry */
  last?: PublicMessage
}

export type ErasedMessage = NodeEventMap['erased']['detail']

export interface AppModelEvents {
  /** A message arrived, the user sent one, or an outgoing one changed state (the message as stored now) */
  message: CustomEvent<PublicMessage>
  /** A message changed in place: a reaction, an edit, a deletion for everyone */
  changed: CustomEvent<PublicMessage>
  /** A disappearing message's time came: it is gone */
  erased: CustomEvent<ErasedMessage>
  /** A peer started or stopped typing (a stop is also announced when it went quiet for long) */
  typing: CustomEvent<{ peer: string, typing: boolean }>
  /** The conversations, latest first, after any change to them (a message, a read, a timer) */
  conversations: CustomEvent<ConversationItem[]>
  contacts: CustomEvent<Contact[]>
  requests: CustomEvent<MessageRequest[]>
  settings: CustomEvent<Settings>
  /** A file transfer was offered, changed state, or made progress (`bytes`) */
  transfer: CustomEvent<TransferInfo>
}

type ListName = 'conversations' | 'contacts' | 'requests'

const log = logger('parley:browser:model')

/** The node's groups, for the web app (absent, it shows direct conversations only) */
export interface GroupParts {
  groups: Groups
  messaging: GroupMessaging
}

/**
 * What the web UI may do with the messenger, file transfers and groups: a thin layer of actions,
 * and the node's events in the shapes the views show. A group is a conversation whose id is the
 * group's: the same actions take either, and go to the group's messaging for a group. The views subscribe to events and never hold
 * libp2p or storage objects, so what they render is always what the core announced. Actions
 * resolve once the node took them; what they change arrives as events (`message` for a sent
 * message, `changed` for a reaction, edit or deletion, `conversations` for the list).
 */
export class AppModel extends TypedEventEmitter<AppModelEvents> {
  private readonly typists = new TypingPeers((peer, typing) => { this.safeDispatchEvent('typing', { detail: { peer, typing } }) })
  /** The lists are read again on any change to them (they are short); a burst of changes reads each once more */
  private readonly refreshes = new CoalescingRuns<ListName, void>(async list => this.refresh(list), () => true)

  /**
   * `timers`: the disappearing-message timers the node allows (the choices the UI offers);
   * `self`: this node's PeerId (its own reactions are listed under it)
   */
  constructor (private readonly messenger: Messenger, private readonly files: FileTransfers, events: NodeEvents, readonly timers: readonly number[], readonly self: string, private readonly groupParts?: GroupParts) {
    super()
    events.addEventListener('message', evt => {
      // a message ends its writer's typing
      if (evt.detail.direction === 'in') this.typists.set(evt.detail.peer, false)
      this.safeDispatchEvent('message', { detail: evt.detail })
      this.changedList('conversations')
    })
    events.addEventListener('status', evt => {
      this.safeDispatchEvent('message', { detail: evt.detail })
      this.changedList('conversations')
    })
    events.addEventListener('changed', evt => {
      this.safeDispatchEvent('changed', { detail: evt.detail })
      this.changedList('conversations')
    })
    events.addEventListener('erased', evt => {
      this.safeDispatchEvent('erased', { detail: evt.detail })
      this.changedList('conversations')
    })
    events.addEventListener('typing', evt => { this.typists.set(evt.detail.peer, evt.detail.typing) })
    events.addEventListener('read', () => { this.changedList('conversations') })
    events.addEventListener('transfer', evt => { this.safeDispatchEvent('transfer', { detail: evt.detail }) })
    events.addEventListener('request', () => { this.changedList('requests'); this.changedList('conversations') })
    events.addEventListener('accepted', () => { this.changedList('requests') })
    events.addEventListener('contact', () => { this.changedList('contacts') })
    events.addEventListener('group', () => { this.changedList('conversations') })
  }

  /** Announces the contacts, requests, conversations and settings (the views' initial state) */
  async load (): Promise<void> {
    await this.refresh('contacts')
    await this.refresh('requests')
    await this.refresh('conversations')
    this.safeDispatchEvent('settings', { detail: await this.messenger.settings() })
  }

  /** The conversation with `peerId`, oldest first */
  async conversation (peerId: string): Promise<PublicMessage[]> {
    return (await this.messenger.history({ peer: peerId })).map(publicMessage)
  }

  /**
   * The conversations, latest first: direct ones and groups with messages, then the groups
   * without any yet (just made or joined)
   */
  async conversations (): Promise<ConversationItem[]> {
    const groups = new Map((await this.groupParts?.groups.list() ?? []).map(state => [state.id, groupInfo(state)]))
    const items: ConversationItem[] = (await this.messenger.conversations()).map(c => ({
      id: c.id,
      // a group's summary names whoever wrote last: the list keys it by the group
      peer: c.group === true ? c.id : c.peer,
      unread: c.unread,
      timer: c.group === true ? groups.get(c.id)?.timer ?? 0 : c.timer ?? 0,
      ...(c.group === true && groups.has(c.id) ? { group: groups.get(c.id) } : {}),
      ...(c.last != null ? { last: publicMessage(c.last) } : {})
    })).filter(c => !isGroupId(c.id) || c.group != null)
    const listed = new Set(items.map(c => c.id))
    for (const group of groups.values()) {
      if (!listed.has(group.id)) items.push({ id: group.id, peer: group.id, unread: 0, timer: group.timer, group })
    }
    return items
  }

  /** Sends a text, quoting `replyTo` if given; the message and its states arrive as `message` events */
  async send (conversation: string, text: string, replyTo?: MessageRef): Promise<void> {
    const options = replyTo != null ? { replyTo } : {}
    if (this.isGroup(conversation)) await this.requireGroups().messaging.send(conversation, text, options)
    else await this.messenger.send(conversation, text, options)
  }

  /** Sets this user's reaction to a message (replacing an earlier one); '' takes it back */
  async react (conversation: string, target: MessageRef, emoji: string): Promise<void> {
    if (this.isGroup(conversation)) await this.requireGroups().messaging.react(conversation, target, emoji)
    else await this.messenger.react(conversation, target, emoji)
  }

  /** Replaces the text of one of this user's messages */
  async edit (conversation: string, id: string, text: string): Promise<void> {
    if (this.isGroup(conversation)) await this.requireGroups().messaging.edit(conversation, id, text)
    else await this.messenger.edit(conversation, id, text)
  }

  /** Deletes one of this user's messages on both sides, or for every member (a tombstone stays) */
  async deleteForEveryone (conversation: string, id: string): Promise<void> {
    if (this.isGroup(conversation)) await this.requireGroups().messaging.deleteForEveryone(conversation, id)
    else await this.messenger.deleteForEveryone(conversation, id)
  }

  /** Sets the conversation's disappearing-message timer (one of `timers`; 0 is off; a group's: admins only) */
  async setTimer (conversation: string, seconds: number): Promise<void> {
    if (this.isGroup(conversation)) await this.requireGroups().groups.setTimer(conversation, seconds)
    else await this.messenger.setTimer(conversation, seconds)
  }

  /** Marks the conversation read (the peer, or each author in a group, hears of it if read receipts are on) */
  async markRead (conversation: string): Promise<void> {
    if (this.isGroup(conversation)) await this.requireGroups().messaging.markRead(conversation)
    else await this.messenger.markRead(conversation)
  }

  /** Tells the peer whether this user is typing (sent only with typing indicators on, while connected; not to groups) */
  async typing (conversation: string, typing: boolean): Promise<void> {
    if (isGroupId(conversation)) return
    await this.messenger.typing(conversation, typing)
  }

  /** Whether this node has groups (the web app offers them) */
  get hasGroups (): boolean {
    return this.groupParts != null
  }

  /** Makes a group with these peers (PeerIds) in it; resolves with its id */
  async createGroup (name: string, peers: string[]): Promise<string> {
    const parts = this.requireGroups()
    const group = await parts.groups.create(name)
    if (peers.length > 0) await parts.groups.add(group.id, peers.map(peer => peerIdFromString(peer)))
    return group.id
  }

  /** Adds peers (PeerIds) to a group: admins only */
  async addMembers (group: string, peers: string[]): Promise<void> {
    await this.requireGroups().groups.add(group, peers.map(peer => peerIdFromString(peer)))
  }

  /** Leaves a group: the other members are told */
  async leaveGroup (group: string): Promise<void> {
    await this.requireGroups().groups.leave(group)
  }

  /** Whether `conversation` is a group's (this node has groups, and the id is a group's) */
  private isGroup (conversation: string): boolean {
    return this.groupParts != null && isGroupId(conversation)
  }

  private requireGroups (): GroupParts {
    if (this.groupParts == null) throw new Error('this node has no groups')
    return this.groupParts
  }

  isTyping (peerId: string): boolean {
    return this.typists.isTyping(peerId)
  }

  async changeSettings (change: Partial<Settings>): Promise<Settings> {
    const settings = await this.messenger.changeSettings(change)
    this.safeDispatchEvent('settings', { detail: settings })
    return settings
  }

  /**
   * Offers a picked file to a peer or a group: copied into this browser's storage first (hashed
   * on the way), then offered; the message and the transfer's events follow. Resolves with the
   * transfer's id.
   */
  async sendFile (conversation: string, file: File): Promise<string> {
    const sent = this.isGroup(conversation) ? await this.files.sendBlobToGroup(conversation, file) : await this.files.sendBlob(conversation, file)
    return sent.transfer.id
  }

  /** A transfer as it is now, or undefined when this node has none of that id */
  async transfer (id: string): Promise<TransferInfo | undefined> {
    return this.files.get(id).catch(() => undefined)
  }

  async cancelTransfer (id: string): Promise<void> {
    await this.files.cancel(id)
  }

  /** Starts a download: one from a peer not accepted yet, or one waiting to be retried */
  async download (id: string): Promise<void> {
    await this.files.resume(id)
  }

  /**
   * A received file, verified, as `application/octet-stream` whatever the sender said it is
   * (disk-backed: never loaded whole)
   */
  async fileBlob (id: string): Promise<Blob> {
    return this.files.blob(id)
  }

  /** Deletes a received file from this browser's storage */
  async deleteFile (id: string): Promise<void> {
    await this.files.deleteFile(id)
  }

  async addContact (peer: string, name: string): Promise<Contact> {
    const contact = await this.messenger.addContact(peer, name)
    await this.refresh('contacts')
    return contact
  }

  /** Saves a requester as a contact and accepts them: files they offered start downloading */
  async accept (peerId: string, name: string): Promise<void> {
    await this.messenger.addContact(peerId, name)
    await this.messenger.accept(peerId)
    await this.refresh('contacts')
    await this.refresh('requests')
  }

  async block (peerId: string): Promise<void> {
    await this.messenger.block(peerId)
    await this.refresh('requests')
  }

  async safetyNumber (peerId: string): Promise<string> {
    return this.messenger.safetyNumber(peerId)
  }

  /** Whether the user marked the safety number with `peerId` as compared */
  async isVerified (peerId: string): Promise<boolean> {
    return (await this.verifiedPeers()).has(peerId)
  }

  /** The peers whose safety number the user marked as compared */
  async verifiedPeers (): Promise<Set<string>> {
    return new Set((await this.messenger.verifiedPeers()).map(v => v.peerId))
  }

  /** Marks the safety number with `peerId` as compared (it matched theirs), or clears the mark */
  async setVerified (peerId: string, verified: boolean): Promise<boolean> {
    return (await this.messenger.setVerified(peerId, verified)).verified
  }

  private changedList (list: ListName): void {
    // fails only when the node's storage does (it is closing as the page goes away)
    this.refreshes.run(list).catch((err: Error) => { log.error('could not read the %s - %e', list, err) })
  }

  private async refresh (list: ListName): Promise<void> {
    switch (list) {
      case 'conversations': this.safeDispatchEvent('conversations', { detail: await this.conversations() }); break
      case 'contacts': this.safeDispatchEvent('contacts', { detail: await this.messenger.contacts() }); break
      case 'requests': this.safeDispatchEvent('requests', { detail: await this.messenger.requests() }); break
    }
  }
}
