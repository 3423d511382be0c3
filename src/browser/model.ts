import { TypedEventEmitter } from 'main-event'
import { transferInfo } from '../files/transfers.ts'
import type { FileTransfers, TransferInfo } from '../files/transfers.ts'
import type { Messenger } from '../messenger/messenger.ts'
import type { Contact, MessageRecord, MessageRequest } from '../storage/types.ts'

export interface AppModelEvents {
  /** A message arrived or an outgoing one changed state (the record as stored now) */
  message: CustomEvent<MessageRecord>
  contacts: CustomEvent<Contact[]>
  requests: CustomEvent<MessageRequest[]>
  /** A file transfer was offered, changed state, or made progress (`bytes`) */
  transfer: CustomEvent<TransferInfo>
}

/**
 * What the web UI may do with the messenger and file transfers: a thin layer of actions, and
 * events for every change the UI shows. The views subscribe to events and never hold libp2p or
 * storage objects, so what they render is always what the core announced.
 */
export class AppModel extends TypedEventEmitter<AppModelEvents> {
  constructor (private readonly messenger: Messenger, private readonly files: FileTransfers) {
    super()
    messenger.addEventListener('message', evt => {
      this.safeDispatchEvent('message', { detail: evt.detail })
      // a stranger's first message is also a new request
      void this.refreshRequests()
    })
    messenger.addEventListener('status', evt => { this.safeDispatchEvent('message', { detail: evt.detail }) })
    // the record carries the file's key: the views get the info without it
    files.addEventListener('transfer', evt => { this.safeDispatchEvent('transfer', { detail: transferInfo(evt.detail) }) })
  }

  /** Announces the current contacts and requests (the views' initial state) */
  async load (): Promise<void> {
    await this.refreshContacts()
    await this.refreshRequests()
  }

  async conversation (peerId: string): Promise<MessageRecord[]> {
    return this.messenger.history({ peer: peerId })
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
