import { TypedEventEmitter } from 'main-event'
import { publicMessage } from '../events/public.ts'
import type { NodeEvents } from '../events/node-events.ts'
import type { PublicMessage, TransferInfo } from '../events/public.ts'
import type { FileTransfers } from '../files/transfers.ts'
import type { Messenger } from '../messenger/messenger.ts'
import type { Contact, MessageRequest } from '../storage/types.ts'

export interface AppModelEvents {
  /** A message arrived or an outgoing one changed state (the message as stored now) */
  message: CustomEvent<PublicMessage>
  contacts: CustomEvent<Contact[]>
  requests: CustomEvent<MessageRequest[]>
  /** A file transfer was offered, changed state, or made progress (`bytes`) */
  transfer: CustomEvent<TransferInfo>
}

/**
 * What the web UI may do with the messenger and file transfers: a thin layer of actions, and
 * the node's events in the shapes the views show. The views subscribe to events and never hold
 * libp2p or storage objects, so what they render is always what the core announced.
 */
export class AppModel extends TypedEventEmitter<AppModelEvents> {
  constructor (private readonly messenger: Messenger, private readonly files: FileTransfers, events: NodeEvents) {
    super()
    events.addEventListener('message', evt => { this.safeDispatchEvent('message', { detail: evt.detail }) })
    events.addEventListener('status', evt => { this.safeDispatchEvent('message', { detail: evt.detail }) })
    events.addEventListener('transfer', evt => { this.safeDispatchEvent('transfer', { detail: evt.detail }) })
    // the lists are read again on any change to them (they are short)
    events.addEventListener('request', () => { void this.refreshRequests() })
    events.addEventListener('accepted', () => { void this.refreshRequests() })
    events.addEventListener('contact', () => { void this.refreshContacts() })
  }

  /** Announces the current contacts and requests (the views' initial state) */
  async load (): Promise<void> {
    await this.refreshContacts()
    await this.refreshRequests()
  }

  async conversation (peerId: string): Promise<PublicMessage[]> {
    return (await this.messenger.history({ peer: peerId })).map(publicMessage)
  }

  async send (peerId: string, text: string): Promise<void> {
    // the result arrives as `status` events: sending, then delivered / stored / queued / failed
    await this.messenger.send(peerId, text)
  }

  /**
   * Offers a picked file: copied into this browser's storage first (hashed on the way), then
   * offered; the message and the transfer's events follow
   */
  async sendFile (peerId: string, file: File): Promise<void> {
    await this.files.sendBlob(peerId, file)
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

  /** A received file, for a save link (disk-backed: never loaded whole) */
  async fileBlob (id: string): Promise<Blob> {
    return this.files.blob(id)
  }

  /** Deletes a received file from this browser's storage */
  async deleteFile (id: string): Promise<void> {
    await this.files.deleteFile(id)
  }

  async addContact (peer: string, name: string): Promise<Contact> {
    const contact = await this.messenger.addContact(peer, name)
    await this.refreshContacts()
    return contact
  }

  /** Saves a requester as a contact and accepts them: files they offered start downloading */
  async accept (peerId: string, name: string): Promise<void> {
    await this.messenger.addContact(peerId, name)
    await this.messenger.accept(peerId)
    await this.refreshContacts()
    await this.refreshRequests()
  }

  async block (peerId: string): Promise<void> {
    await this.messenger.block(peerId)
    await this.refreshRequests()
  }

  async safetyNumber (peerId: string): Promise<string> {
    return this.messenger.safetyNumber(peerId)
  }

  private async refreshContacts (): Promise<void> {
    this.safeDispatchEvent('contacts', { detail: await this.messenger.contacts() })
  }

  private async refreshRequests (): Promise<void> {
    this.safeDispatchEvent('requests', { detail: await this.messenger.requests() })
  }
}
