import qrcode from 'qrcode-generator'
import { action, fill, h, shortId } from './dom.ts'
import type { AppModel } from '../model.ts'
import type { Contact, MessageRequest } from '../../storage/types.ts'

export interface SidebarInit {
  model: AppModel
  peerId: string
  /** `parley://<PeerId>` */
  invite: string
  /** A link to this page that opens the add-contact form with this node's address filled in */
  inviteLink: string
  /** An address to prefill the add-contact form with (from an invite link) */
  prefill?: string
  onOpen(peerId: string): void
}

/**
 * The left column: this node's invite (text, link, QR code), the contacts, a form to add one,
 * and message requests from people not yet accepted.
 */
export class Sidebar {
  readonly el: HTMLElement
  private readonly contactList = h('ul', { class: 'contacts' })
  private readonly requestList = h('ul', { class: 'requests' })
  private readonly unread = new Set<string>()
  private contacts: Contact[] = []
  private active?: string

  constructor (private readonly init: SidebarInit) {
    const qr = qrcode(0, 'M')
    qr.addData(init.invite)
    qr.make()
    const peerInput = h('input', { name: 'peer', placeholder: 'parley://… or PeerId', value: init.prefill }) as HTMLInputElement
    const nameInput = h('input', { name: 'name', placeholder: 'Name' }) as HTMLInputElement
    const addError = h('div', { class: 'error' })
    const add = h('form', {
      class: 'col add-contact',
      onsubmit: (evt: Event) => {
        evt.preventDefault()
        action(addError, async () => {
          const contact = await init.model.addContact(peerInput.value, nameInput.value)
          peerInput.value = nameInput.value = ''
          init.onOpen(contact.peerId)
        })
      }
    }, peerInput, nameInput, h('button', { type: 'submit', class: 'primary' }, 'Add contact'), addError)

    this.el = h('section', { class: 'sidebar' },
      h('h2', {}, 'You'),
      h('div', { class: 'mono own-id', title: init.peerId }, init.invite),
      h('div', { class: 'qr' }, h('img', { src: qr.createDataURL(4, 2), alt: 'QR code of your invite' })),
      h('div', {}, h('a', { href: init.inviteLink, class: 'invite-link' }, 'Invite link')),
      h('h2', {}, 'Contacts'), this.contactList, add,
      h('h2', {}, 'Message requests'), this.requestList
    )
    init.model.addEventListener('contacts', evt => { this.contacts = evt.detail; this.renderContacts() })
    init.model.addEventListener('requests', evt => { this.renderRequests(evt.detail) })
    init.model.addEventListener('message', evt => {
      const m = evt.detail
      if (m.direction === 'in' && m.peer !== this.active) { this.unread.add(m.peer); this.renderContacts() }
    })
  }

  setActive (peerId: string): void {
    this.active = peerId
    this.unread.delete(peerId)
    this.renderContacts()
  }

  private renderContacts (): void {
    fill(this.contactList, ...this.contacts.map(c => h('li', {
      class: `contact${c.peerId === this.active ? ' active' : ''}`,
      'data-peer': c.peerId,
      onclick: () => { this.init.onOpen(c.peerId) }
    }, h('span', { class: this.unread.has(c.peerId) ? 'unread' : undefined }, c.name), ' ', h('span', { class: 'dim mono' }, shortId(c.peerId)))))
    if (this.contacts.length === 0) fill(this.contactList, h('li', { class: 'dim' }, 'No contacts yet'))
  }

  private renderRequests (requests: MessageRequest[]): void {
    fill(this.requestList, ...requests.map(r => {
      const name = h('input', { placeholder: 'Name to save them as' }) as HTMLInputElement
      const error = h('div', { class: 'error' })
      return h('li', { class: 'request', 'data-peer': r.peerId },
        h('a', { href: '#', onclick: (evt: Event) => { evt.preventDefault(); this.init.onOpen(r.peerId) } }, h('span', { class: 'mono' }, shortId(r.peerId))),
        h('form', {
          class: 'row',
          onsubmit: (evt: Event) => {
            evt.preventDefault()
            action(error, async () => { await this.init.model.accept(r.peerId, name.value) })
          }
        }, name, h('button', { type: 'submit' }, 'Accept'),
        h('button', { type: 'button', onclick: () => { action(error, async () => { await this.init.model.block(r.peerId) }) } }, 'Block')),
        error)
    }))
    if (requests.length === 0) fill(this.requestList, h('li', { class: 'dim' }, 'None'))
  }
}
