import { action, fill, h } from './dom.ts'
import { previewText } from './format.ts'
import { TypingSignal } from '../typing-signal.ts'
import type { AppModel } from '../model.ts'
import type { PublicMessage } from '../../events/public.ts'

/** The context bar shows at most this many characters of the message replied to or edited */
const CONTEXT_CHARS = 100

export interface ComposerInit {
  model: AppModel
  /** Where an action's error shows */
  error: HTMLElement
  /** A PeerId as the user knows it */
  nameOf(peerId: string): string
  /** The user picked files to send to `peer` */
  onFiles(peer: string, files: File[]): void
}

type Mode = { kind: 'reply' | 'edit', message: PublicMessage }

/**
 * Where the user writes: a text (Enter sends, Shift+Enter breaks the line), perhaps as a reply
 * to a message or as the new text of one of their own (a bar above says which; Escape or ✕
 * leaves it), and files (picked with the File button). It keeps each conversation's draft, and
 * tells the peer while the user types (with typing indicators on).
 */
export class Composer {
  readonly el: HTMLElement
  private readonly input = h('textarea', { rows: '1', placeholder: 'Write a message', name: 'text', 'aria-label': 'Message' }) as HTMLTextAreaElement
  private readonly fileInput = h('input', { type: 'file', multiple: true, name: 'file', hidden: true }) as HTMLInputElement
  private readonly contextBar = h('div', { class: 'composer-context' })
  private readonly submit = h('button', { type: 'submit', class: 'primary send' }, 'Send')
  private readonly attach = h('label', { class: 'attach button', title: 'Send a file (or drop one on the conversation)' }, 'File', this.fileInput)
  private readonly drafts = new Map<string, string>()
  private peer?: string
  private mode?: Mode
  private signal?: TypingSignal
  private typingIndicators = false

  constructor (private readonly init: ComposerInit) {
    this.el = h('form', {
      class: 'composer',
      onsubmit: (evt: Event) => { evt.preventDefault(); this.send() }
    }, this.contextBar,
    h('div', { class: 'composer-row' },
      this.attach,
      this.input,
      this.submit))
    this.contextBar.hidden = true
    this.input.addEventListener('keydown', evt => {
      if (evt.key === 'Enter' && !evt.shiftKey && !evt.isComposing) { evt.preventDefault(); this.send() }
      if (evt.key === 'Escape' && this.mode != null) { evt.preventDefault(); this.leaveMode() }
    })
    this.input.addEventListener('input', () => {
      if (this.typingIndicators && this.mode?.kind !== 'edit') this.signal?.input(this.input.value.trim() === '')
    })
    this.fileInput.addEventListener('change', () => {
      const files = [...(this.fileInput.files ?? [])]
      this.fileInput.value = ''
      if (this.peer != null) init.onFiles(this.peer, files)
    })
    init.model.addEventListener('settings', evt => {
      this.typingIndicators = evt.detail.typingIndicators
      if (!this.typingIndicators) this.signal?.stop()
    })
  }

  /** Switches to `peer`'s conversation, keeping the draft of the one left */
  open (peer: string): void {
    this.leave()
    this.peer = peer
    // a typing signal that did not go out is not worth an error: the message itself will say so
    this.signal = new TypingSignal(typing => { this.init.model.typing(peer, typing).catch(() => {}) })
    this.input.value = this.drafts.get(peer) ?? ''
    // with a mouse, ready to type; on a touch screen a focus would pop the keyboard over the history
    if (matchMedia('(pointer: fine)').matches) this.input.focus()
  }

  /** The user left the conversation (for another, or the list): "stopped typing" goes out */
  leave (): void {
    this.signal?.stop()
    if (this.peer != null && this.mode?.kind !== 'edit') this.drafts.set(this.peer, this.input.value)
    this.leaveMode()
  }

  /** The next message quotes `m` */
  replyTo (m: PublicMessage): void {
    this.enterMode({ kind: 'reply', message: m })
  }

  /** The text is loaded for editing; sending replaces `m`'s text */
  edit (m: PublicMessage): void {
    if (this.mode?.kind !== 'edit' && this.peer != null) this.drafts.set(this.peer, this.input.value)
    this.enterMode({ kind: 'edit', message: m })
    this.input.value = m.text
  }

  /** A message was erased or deleted: stop replying to or editing it */
  forget (id: string): void {
    if (this.mode?.message.id === id) this.leaveMode()
  }

  private enterMode (mode: Mode): void {
    this.mode = mode
    const m = mode.message
    const who = this.init.nameOf(m.direction === 'out' ? this.init.model.self : m.peer)
    fill(this.contextBar,
      h('div', { class: 'context-text' },
        h('strong', {}, mode.kind === 'reply' ? `Replying to ${who}` : 'Editing your message'),
        h('span', { class: 'dim' }, previewText(m, who, CONTEXT_CHARS))),
      h('button', { type: 'button', class: 'cancel-context', 'aria-label': mode.kind === 'reply' ? 'Cancel the reply' : 'Cancel the edit', onclick: () => { this.leaveMode() } }, '✕'))
    this.contextBar.dataset.kind = mode.kind
    this.contextBar.hidden = false
    this.submit.textContent = mode.kind === 'edit' ? 'Save' : 'Send'
    this.input.focus()
  }

  private leaveMode (): void {
    const wasEditing = this.mode?.kind === 'edit'
    this.mode = undefined
    this.contextBar.hidden = true
    this.contextBar.replaceChildren()
    this.submit.textContent = 'Send'
    if (wasEditing) this.input.value = this.peer != null ? this.drafts.get(this.peer) ?? '' : ''
  }

  private send (): void {
    const peer = this.peer
    const text = this.input.value
    if (peer == null || text.trim() === '') return
    const mode = this.mode
    this.signal?.stop()
    if (mode?.kind === 'edit') {
      // the draft put aside for the edit comes back
      this.leaveMode()
      if (text !== mode.message.text) this.background(async () => { await this.init.model.edit(peer, mode.message.id, text) })
      return
    }
    this.input.value = ''
    this.drafts.delete(peer)
    this.leaveMode()
    const replyTo = mode?.kind === 'reply' ? { id: mode.message.id, author: mode.message.direction === 'out' ? this.init.model.self : mode.message.peer } : undefined
    this.background(async () => {
      try {
        await this.init.model.send(peer, text, replyTo)
      } catch (err) {
        // the text is given back to be sent again, unless the user started another
        if (this.peer === peer && this.input.value === '') this.input.value = text
        throw err
      }
    })
  }

  private background (fn: () => Promise<void>): void {
    action(this.init.error, fn)
  }
}
