import { TypedEventEmitter } from 'main-event'
import type { Messenger } from '../messenger/messenger.ts'
import type { Contact, MessageRecord, MessageRequest } from '../storage/types.ts'

export interface AppModelEvents {
  /** A message arrived or an outgoing one changed state (the record as stored now) */
  message: CustomEvent<MessageRecord>
  contacts: CustomEvent<Contact[]>
  requests: CustomEvent<MessageRequest[]>
}

/**
 * What the web UI may do with the messenger: a thin layer of actions, and events for every
 * change the UI shows. The views subscribe to events and never hold libp2p or storage objects,
 * so what they render is always what the messenger announced.
 */
export class AppModel extends TypedEventEmitter<AppModelEvents> {
  constructor (private readonly messenger: Messenger) {
    super()
    messenger.addEventListener('message', evt => {
      this.safeDispatchEvent('message', { detail: evt.detail })
      // a stranger's first message is also a new request
      void this.refreshRequests()
    })
    messenger.addEventListener('status', evt => { this.safeDispatchEvent('message', { detail: evt.detail }) })
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

  async addContact (peer: string, name: string): Promise<Contact> {
    const contact = await this.messenger.addContact(peer, name)
    await this.refreshContacts()
    return contact
  }

  async accept (peerId: string, name: string): Promise<void> {
    await this.messenger.addContact(peerId, name)
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
