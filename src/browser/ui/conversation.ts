import { action, fill, h, shortId } from './dom.ts'
import { FileCard, formatBytes } from './file-card.ts'
import { shownText } from '../../messenger/shown-text.ts'
import type { AppModel } from '../model.ts'
import type { PublicMessage } from '../../events/public.ts'
import type { Contact, FileSummary } from '../../storage/types.ts'

/** How a message's delivery state reads in the conversation */
export function statusLabel (m: PublicMessage): string {
  switch (m.status) {
    case 'stored': return `stored (${m.replicas ?? 0} replicas)`
    case 'failed': return `failed${m.error != null ? `: ${m.error}` : ''}`
    default: return m.status
  }
}

/**
 * The middle column: one conversation, updated live by the model's `message` events (new
 * messages appear, outgoing ones change state in place) and `transfer` events (a file's state
 * and progress), a composer that also sends files (picked, or dropped on the conversation), and
 * the safety number.
 */
export class ConversationView {
  readonly el: HTMLElement
  private readonly header = h('header')
  private readonly list = h('div', { class: 'messages', 'aria-live': 'polite' })
  private readonly input = h('textarea', { rows: '2', placeholder: 'Write a message', name: 'text' }) as HTMLTextAreaElement
  private readonly error = h('div', { class: 'error' })
  private readonly fileInput = h('input', { type: 'file', multiple: true, name: 'file', hidden: true }) as HTMLInputElement
  /** Files being copied into this browser's storage before they are offered */
  private readonly preparing = h('div', { class: 'preparing dim' })
  private readonly composer: HTMLElement
  private peer?: string
  private contacts: Contact[] = []
  /** One element per message id, so a state change updates the message where it is */
  private readonly rows = new Map<string, HTMLElement>()
  /** One card per file transfer of the open conversation, kept across its message's re-renders */
  private readonly cards = new Map<string, FileCard>()

  constructor (private readonly model: AppModel) {
    this.composer = h('form', {
      class: 'composer row',
      onsubmit: (evt: Event) => { evt.preventDefault(); this.send() }
    }, this.input,
    h('label', { class: 'attach button', title: 'Send a file (or drop one on the conversation)' }, 'File', this.fileInput),
    h('button', { type: 'submit', class: 'primary' }, 'Send'))
    this.input.addEventListener('keydown', evt => {
      if (evt.key === 'Enter' && !evt.shiftKey) { evt.preventDefault(); this.send() }
    })
    this.fileInput.addEventListener('change', () => {
      const files = [...(this.fileInput.files ?? [])]
      this.fileInput.value = ''
      this.sendFiles(files)
    })
    this.el = h('section', { class: 'conversation' }, this.header, this.list, this.preparing, this.error, this.composer)
    this.composer.hidden = true
    this.acceptDrops()
    fill(this.list, h('p', { class: 'dim' }, 'Choose a contact, or add one with their invite.'))
    model.addEventListener('message', evt => { if (evt.detail.peer === this.peer) this.show(evt.detail) })
    model.addEventListener('contacts', evt => { this.contacts = evt.detail; this.renderHeader() })
    model.addEventListener('transfer', evt => { this.cards.get(evt.detail.id)?.update(evt.detail) })
  }

  async open (peerId: string): Promise<void> {
    this.peer = peerId
    this.rows.clear()
    for (const card of this.cards.values()) card.dispose()
    this.cards.clear()
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

  private show (m: PublicMessage): void {
    const row = h('div', { class: `message ${m.direction}${m.unsupported === true ? ' unsupported' : ''}`, 'data-id': m.id, 'data-status': m.status },
      shownText(m),
      m.file != null ? this.cardOf(m.file).el : null,
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

  /** The card of a file a message offers: made once, then its state fetched (events keep it current) */
  private cardOf (file: FileSummary): FileCard {
    const existing = this.cards.get(file.id)
    if (existing != null) return existing
    const card = new FileCard(file, this.model, this.error)
    this.cards.set(file.id, card)
    void this.model.transfer(file.id).then(t => { if (t != null) card.update(t) })
    return card
  }

  private sendFiles (files: File[]): void {
    const peer = this.peer
    if (peer == null) return
    for (const file of files) {
      const note = h('div', {}, `Preparing ${file.name} (${formatBytes(file.size)})…`)
      this.preparing.append(note)
      action(this.error, async () => {
        try {
          await this.model.sendFile(peer, file)
        } finally {
          note.remove()
        }
      })
    }
  }

  /** Files dropped on the open conversation are sent like picked ones */
  private acceptDrops (): void {
    const carriesFiles = (evt: DragEvent): boolean => this.peer != null && (evt.dataTransfer?.types.includes('Files') ?? false)
    this.el.addEventListener('dragover', evt => {
      if (!carriesFiles(evt)) return
      evt.preventDefault()
      this.el.classList.add('dropping')
    })
    this.el.addEventListener('dragleave', () => { this.el.classList.remove('dropping') })
    this.el.addEventListener('drop', evt => {
      this.el.classList.remove('dropping')
      if (!carriesFiles(evt)) return
      evt.preventDefault()
      this.sendFiles([...(evt.dataTransfer?.files ?? [])])
    })
  }

  private send (): void {
    const peer = this.peer
    const text = this.input.value
    if (peer == null || text.trim() === '') return
    this.input.value = ''
    action(this.error, async () => { await this.model.send(peer, text) })
  }
}
