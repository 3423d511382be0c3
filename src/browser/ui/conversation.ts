import { isGroupId } from '../../groups/group-id.ts'
import { Attachment } from './attachment.ts'
import { Composer } from './composer.ts'
import { ConversationHeader } from './conversation-header.ts'
import { action, fill, h, unasked } from './dom.ts'
import { formatBytes } from './file-card.ts'
import { messageRow } from './message-row.ts'
import type { MessageContext } from './message-row.ts'
import type { AppModel, ConversationItem } from '../model.ts'
import type { PublicMessage } from '../../events/public.ts'
import type { Direction, MessageRef } from '../../storage/types.ts'

export interface ConversationViewInit {
  model: AppModel
  /** A PeerId as the user knows it: a contact's name, "You", or a short id */
  nameOf(peerId: string): string
  /** Whether the conversation is in front of the user now (the tab visible, the list not in its place) */
  isShown(): boolean
  /** The user asked to go back to the list */
  onBack(): void
  /** The user called the peer of the open direct conversation (with the camera if `video`) */
  onCall?(peer: string, video: boolean): Promise<void>
}

/** Rows are keyed by direction and id: ids are chosen by each sender, so only the pair is unique */
const keyOf = (direction: Direction, id: string): string => `${direction}/${id}`

/** A scroll position this close to the end counts as "at the newest message" */
const NEAR_END_PX = 80

/**
 * One conversation, kept live by the model's events: new messages appear (and are read at once
 * while the conversation is in front of the user), outgoing ones change state in place, changed
 * ones (reactions, edits, deletions) are redrawn, erased ones vanish, and files show their
 * transfer's progress or, for pictures, video and sound, the media. A composer writes, replies,
 * edits and sends files (picked, or dropped on the conversation).
 */
export class ConversationView {
  readonly el: HTMLElement
  private readonly list = h('div', { class: 'messages', 'aria-live': 'polite' })
  private readonly error = h('div', { class: 'error', role: 'alert' })
  /** Files being copied into this browser's storage before they are offered */
  private readonly preparing = h('div', { class: 'preparing dim' })
  private readonly header: ConversationHeader
  private readonly composer: Composer
  private readonly rows = new Map<string, { message: PublicMessage, el: HTMLElement }>()
  /** One attachment per file transfer of the open conversation, kept across its message's re-renders */
  private readonly attachments = new Map<string, Attachment>()
  /** Files the user sent from this page, by transfer id, to show their media without reading them back */
  private readonly picked = new Map<string, Blob>()
  private readonly context: MessageContext
  private peer?: string
  /** The open conversation's history is being read: events for it are left to a second read */
  private loading = false
  private changedWhileLoading = false

  constructor (private readonly init: ConversationViewInit) {
    const { model } = init
    this.header = new ConversationHeader(model, this.error, init.onBack, init.nameOf, init.onCall)
    this.composer = new Composer({ model, error: this.error, nameOf: init.nameOf, onFiles: (peer, files) => { this.sendFiles(peer, files) } })
    this.context = {
      self: model.self,
      inGroup: () => this.peer != null && isGroupId(this.peer),
      nameOf: init.nameOf,
      quoted: ref => this.rows.get(keyOf(ref.author === model.self ? 'out' : 'in', ref.id))?.message,
      attachment: m => this.attachmentOf(m),
      actions: {
        reply: m => { this.composer.replyTo(m) },
        edit: m => { this.composer.edit(m) },
        react: (m, emoji) => { this.act(async peer => { await model.react(peer, { id: m.id, author: m.direction === 'out' ? model.self : m.peer }, emoji) }) },
        remove: m => { this.act(async peer => { await model.deleteForEveryone(peer, m.id) }) },
        showQuoted: ref => { this.reveal(ref) }
      }
    }
    this.el = h('section', { class: 'conversation', 'aria-label': 'Conversation' },
      this.header.el, this.list, this.preparing, this.error, this.composer.el)
    this.el.dataset.open = 'false'
    this.acceptDrops()
    fill(this.list, h('p', { class: 'placeholder dim' }, 'Choose a chat, or start a new one.'))

    model.addEventListener('message', evt => {
      const m = evt.detail
      if (m.conversation !== this.peer || this.deferred()) return
      this.show(m)
      if (m.direction === 'in') this.readIfShown()
    })
    model.addEventListener('changed', evt => {
      const m = evt.detail
      if (m.conversation !== this.peer || this.deferred() || !this.rows.has(keyOf(m.direction, m.id))) return
      if (m.deleted === true) this.composer.forget(m.id)
      this.show(m)
    })
    model.addEventListener('erased', evt => {
      const { conversation, id, direction } = evt.detail
      if (conversation === this.peer && !this.deferred()) this.remove(direction, id)
    })
    model.addEventListener('typing', evt => { if (evt.detail.peer === this.peer) this.header.setTyping(evt.detail.typing) })
    model.addEventListener('conversations', evt => {
      const open = evt.detail.find(c => c.id === this.peer)
      this.header.setTimer(open?.timer ?? 0)
      this.header.setGroup(open?.group)
    })
    model.addEventListener('contacts', () => { this.renderHeader() })
    model.addEventListener('transfer', evt => { this.attachments.get(evt.detail.id)?.update(evt.detail) })
  }

  /** The open conversation's peer */
  get current (): string | undefined {
    return this.peer
  }

  /** Opens `peer`'s conversation: its history, read at once if shown */
  async open (peer: string): Promise<void> {
    this.composer.leave()
    this.peer = peer
    this.el.dataset.open = 'true'
    this.rows.clear()
    for (const attachment of this.attachments.values()) attachment.dispose()
    this.attachments.clear()
    fill(this.list)
    this.error.textContent = ''
    this.renderHeader()
    this.header.setTimer(0)
    this.composer.open(peer)
    this.loading = true
    let history: PublicMessage[]
    let conversations: ConversationItem[]
    do {
      // what changed while the history was read is in the next read
      this.changedWhileLoading = false
      ;[history, conversations] = await Promise.all([this.init.model.conversation(peer), this.init.model.conversations()])
    } while (this.changedWhileLoading && this.peer === peer)
    // another conversation may have been opened while this one loaded
    if (this.peer !== peer) return
    this.loading = false
    this.header.setTimer(conversations.find(c => c.id === peer)?.timer ?? 0)
    this.header.setGroup(conversations.find(c => c.id === peer)?.group)
    for (const m of history) this.show(m, false, false)
    this.list.scrollTop = this.list.scrollHeight
    this.readIfShown()
  }

  /** The user left the conversation for the list (narrow screens): it stays open, unread from now on */
  leave (): void {
    this.composer.leave()
  }

  /** Marks the open conversation read if the user can see it (call when that may have changed) */
  readIfShown (): void {
    const peer = this.peer
    if (peer == null || this.loading || !this.init.isShown()) return
    unasked(this.error, async () => { await this.init.model.markRead(peer) })
  }

  /** Whether an event for the open conversation waits for the history being read */
  private deferred (): boolean {
    if (this.loading) this.changedWhileLoading = true
    return this.loading
  }

  private renderHeader (): void {
    const peer = this.peer
    if (peer == null) return
    this.header.show(peer, this.init.nameOf(peer), this.init.model.isTyping(peer))
  }

  /**
   * Adds `m`, or redraws it where it is. `follow`: scroll to it if the user was reading the
   * newest; `quotes`: redraw the replies quoting it (not when redrawing a reply itself, as a
   * peer may send a message quoting itself)
   */
  private show (m: PublicMessage, follow = true, quotes = true): void {
    const key = keyOf(m.direction, m.id)
    const atEnd = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < NEAR_END_PX
    const el = messageRow(m, this.context)
    const existing = this.rows.get(key)
    this.rows.set(key, { message: m, el })
    if (existing != null) {
      existing.el.replaceWith(el)
    } else {
      this.list.append(el)
      // the user's own messages, and new ones while reading the newest, bring the end into view
      if (follow && (atEnd || m.direction === 'out')) this.list.scrollTop = this.list.scrollHeight
    }
    // replies quoting it show its new text, or, arrived before it, the text at last
    if (quotes) this.redrawQuotesOf(m.id)
  }

  private remove (direction: Direction, id: string): void {
    const key = keyOf(direction, id)
    const row = this.rows.get(key)
    if (row == null) return
    this.rows.delete(key)
    row.el.remove()
    const file = row.message.file
    if (file != null) {
      this.attachments.get(file.id)?.dispose()
      this.attachments.delete(file.id)
    }
    this.composer.forget(id)
    this.redrawQuotesOf(id)
  }

  private redrawQuotesOf (id: string): void {
    for (const { message } of [...this.rows.values()]) {
      if (message.replyTo?.id === id) this.show(message, false, false)
    }
  }

  /** Scrolls to a quoted message and marks it for a moment */
  private reveal (ref: MessageRef): void {
    const row = this.rows.get(keyOf(ref.author === this.init.model.self ? 'out' : 'in', ref.id))
    if (row == null) return
    row.el.scrollIntoView({ block: 'center', behavior: 'smooth' })
    row.el.classList.remove('flash')
    // restarts the animation (a reflow between removing and adding the class)
    void row.el.offsetWidth
    row.el.classList.add('flash')
  }

  /** The attachment of a file a message offers: made once, then its state fetched (events keep it current) */
  private attachmentOf (m: PublicMessage): Attachment {
    const file = m.file!
    const existing = this.attachments.get(file.id)
    if (existing != null) return existing
    const attachment = new Attachment(file, m.direction, this.init.model, this.error)
    this.attachments.set(file.id, attachment)
    const picked = this.picked.get(file.id)
    if (picked != null) attachment.showPicked(picked)
    void this.init.model.transfer(file.id).then(t => { if (t != null) attachment.update(t) })
    return attachment
  }

  private act (fn: (peer: string) => Promise<void>): void {
    const peer = this.peer
    if (peer == null) return
    action(this.error, async () => { await fn(peer) })
  }

  private sendFiles (peer: string, files: File[]): void {
    for (const file of files) {
      const note = h('div', {}, `Preparing ${file.name} (${formatBytes(file.size)})…`)
      this.preparing.append(note)
      action(this.error, async () => {
        try {
          const id = await this.init.model.sendFile(peer, file)
          this.picked.set(id, file)
          this.attachments.get(id)?.showPicked(file)
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
      const peer = this.peer
      if (!carriesFiles(evt) || peer == null) return
      evt.preventDefault()
      this.sendFiles(peer, [...(evt.dataTransfer?.files ?? [])])
    })
  }
}
