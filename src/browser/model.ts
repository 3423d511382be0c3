import { logger } from '@libp2p/logger'
import { isGroupId } from '../groups/group-id.ts'
import { TypedEventEmitter } from 'main-event'
import { publicMessage } from '../events/public.ts'
import { CoalescingRuns } from '../utils/coalescing-runs.ts'
import { TypingPeers } from './typing-peers.ts'
import type { NodeEventMap, NodeEvents } from '../events/node-events.ts'
import type { PublicMessage, TransferInfo } from '../events/public.ts'
import type { FileTransfers } from '../files/transfers.ts'
import type { Messenger } from '../messenger/messenger.ts'
import type { Contact, MessageRef, MessageRequest, Settings } from '../storage/types.ts'

/** A conversation as the list shows it */
export interface ConversationItem {
  /** The conversation's id (for a direct conversation, the other side's PeerId) */
  id: string
  /** The other side */
  peer: string
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

/**
 * What the web UI may do with the messenger and file transfers: a thin layer of actions, and
 * the node's events in the shapes the views show. The views subscribe to events and never hold
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
  constructor (private readonly messenger: Messenger, private readonly files: FileTransfers, events: NodeEvents, readonly timers: readonly number[], readonly self: string) {
    super()
    events.addEventListener('message', evt => {
      // groups are not in the web app yet (issue 17): their messages stay out of the direct views
      if (isGroupId(evt.detail.conversation)) return
      // a message ends its writer's typing
      if (evt.detail.direction === 'in') this.typists.set(evt.detail.peer, false)
      this.safeDispatchEvent('message', { detail: evt.detail })
      this.changedList('conversations')
    })
    events.addEventListener('status', evt => {
      if (isGroupId(evt.detail.conversation)) return
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

  async conversations (): Promise<ConversationItem[]> {
    return (await this.messenger.conversations()).filter(c => c.group !== true).map(c => ({
      id: c.id,
      peer: c.peer,
      unread: c.unread,
      timer: c.timer ?? 0,
      ...(c.last != null ? { last: publicMessage(c.last) } : {})
    }))
  }

  /** Sends a text, quoting `replyTo` if given; the message and its states arrive as `message` events */
  async send (peerId: string, text: string, replyTo?: MessageRef): Promise<void> {
    await this.messenger.send(peerId, text, replyTo != null ? { replyTo } : {})
  }

  /** Sets this user's reaction to a message (replacing an earlier one); '' takes it back */
  async react (peerId: string, target: MessageRef, emoji: string): Promise<void> {
    await this.messenger.react(peerId, target, emoji)
  }

  /** Replaces the text of one of this user's messages */
  async edit (peerId: string, id: string, text: string): Promise<void> {
    await this.messenger.edit(peerId, id, text)
  }

  /** Deletes one of this user's messages on both sides (a tombstone stays) */
  async deleteForEveryone (peerId: string, id: string): Promise<void> {
    await this.messenger.deleteForEveryone(peerId, id)
  }

  /** Sets the conversation's disappearing-message timer (one of `timers`; 0 is off) */
  async setTimer (peerId: string, seconds: number): Promise<void> {
    await this.messenger.setTimer(peerId, seconds)
  }

  /** Marks the conversation read (the peer hears of it if read receipts are on) */
  async markRead (peerId: string): Promise<void> {
    await this.messenger.markRead(peerId)
  }

  /** Tells the peer whether this user is typing (sent only with typing indicators on, while connected) */
  async typing (peerId: string, typing: boolean): Promise<void> {
    await this.messenger.typing(peerId, typing)
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
   * Offers a picked file: copied into this browser's storage first (hashed on the way), then
   * offered; the message and the transfer's events follow. Resolves with the transfer's id.
   */
  async sendFile (peerId: string, file: File): Promise<string> {
    return (await this.files.sendBlob(peerId, file)).transfer.id
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
