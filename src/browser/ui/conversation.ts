import { action, fill, h, shortId } from './dom.ts'
import type { AppModel } from '../model.ts'
import type { Contact, MessageRecord } from '../../storage/types.ts'

/** How a message's delivery state reads in the conversation */
export function statusLabel (m: MessageRecord): string {
  switch (m.status) {
    case 'stored': return `stored (${m.holders?.length ?? 0} replicas)`
    case 'failed': return `failed${m.error != null ? `: ${m.error}` : ''}`
    default: return m.status
  }
}

/**
 * The middle column: one conversation, updated live by the model's `message` events (new
 * messages appear, outgoing ones change state in place), a composer, and the safety number.
 */
export class ConversationView {
  readonly el: HTMLElement
  private readonly header = h('header')
  private readonly list = h('div', { class: 'messages', 'aria-live': 'polite' })
  private readonly input = h('textarea', { rows: '2', placeholder: 'Write a message', name: 'text' }) as HTMLTextAreaElement
  private readonly error = h('div', { class: 'error' })
  private readonly composer: HTMLElement
  private peer?: string
  private contacts: Contact[] = []
  /** One element per message id, so a state change updates the message where it is */
  private readonly rows = new Map<string, HTMLElement>()

  constructor (private readonly model: AppModel) {
    this.composer = h('form', {
      class: 'composer row',
      onsubmit: (evt: Event) => { evt.preventDefault(); this.send() }
    }, this.input, h('button', { type: 'submit', class: 'primary' }, 'Send'))
    this.input.addEventListener('keydown', evt => {
      if (evt.key === 'Enter' && !evt.shiftKey) { evt.preventDefault(); this.send() }
    })
    this.el = h('section', { class: 'conversation' }, this.header, this.list, this.error, this.composer)
    this.composer.hidden = true
    fill(this.list, h('p', { class: 'dim' }, 'Choose a contact, or add one with their invite.'))
    model.addEventListener('message', evt => { if (evt.detail.peer === this.peer) this.show(evt.detail) })
    model.addEventListener('contacts', evt => { this.contacts = evt.detail; this.renderHeader() })
  }

  async open (peerId: string): Promise<void> {
    this.peer = peerId
    this.rows.clear()
    fill(this.list)
    this.composer.hidden = false
    this.renderHeader()
    const history = await this.model.conversation(peerId)
    // another conversation may have been opened while this one loaded
    if (this.peer !== peerId) return
    for (const m of history) this.show(m)
    this.input.focus()
  }

  private renderHeader (): void {
    const peer = this.peer
    if (peer == null) return
    const name = this.contacts.find(c => c.peerId === peer)?.name
    const safety = h('div', { class: 'safety dim' })
    fill(this.header,
      h('strong', { class: 'peer-name' }, name ?? shortId(peer)), ' ',
      h('span', { class: 'mono dim' }, peer), ' ',
      h('button', {
        type: 'button',
        class: 'show-safety',
        onclick: () => { action(this.error, async () => { safety.textContent = await this.model.safetyNumber(peer) }) }
      }, 'Safety number'),
      safety)
  }

  private show (m: MessageRecord): void {
    const row = h('div', { class: `message ${m.direction}`, 'data-id': m.id, 'data-status': m.status },
      m.text,
      h('div', { class: 'meta' }, new Date(m.timestamp).toLocaleTimeString(), ' ',
        m.direction === 'out' ? h('span', { class: `status status-${m.status}` }, statusLabel(m)) : null))
    const existing = this.rows.get(m.id)
    if (existing != null) existing.replaceWith(row)
    else {
      if (this.rows.size === 0) fill(this.list)
      this.list.append(row)
    }
    this.rows.set(m.id, row)
    this.list.scrollTop = this.list.scrollHeight
  }

  private send (): void {
    const peer = this.peer
    const text = this.input.value
    if (peer == null || text.trim() === '') return
    this.input.value = ''
    action(this.error, async () => { await this.model.send(peer, text) })
  }
}
