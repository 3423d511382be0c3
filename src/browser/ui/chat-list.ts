import { avatar } from './avatar.ts'
import { action, fill, h } from './dom.ts'
import { listTime, previewText } from './format.ts'
import { LIST_PREVIEW_CHARS } from '../constants.ts'
import type { AppModel, ConversationItem } from '../model.ts'
import type { Contact, MessageRequest } from '../../storage/types.ts'

export interface ChatListInit {
  model: AppModel
  /** A PeerId as the user knows it: a contact's name, "You", or a short id */
  nameOf(peerId: string): string
  /**
   * The conversation in front of the user now, if any: it counts as read (the node marks it so
   * a moment later), so its badge does not flash at each message
   */
  reading(): string | undefined
  onOpen(peerId: string): void
  onNewChat(): void
}

/**
 * The list of chats: message requests from people not accepted yet (accept with a name, or
 * block), then conversations, latest first, each with its last message, its time and how many
 * are unread, then contacts not written to yet. Kept live by the model's events.
 */
export class ChatList {
  readonly el: HTMLElement
  private readonly chats = h('ul', { class: 'chats', 'aria-label': 'Chats' })
  private readonly requestList = h('ul', { class: 'requests', 'aria-label': 'Message requests' })
  private readonly requestSection: HTMLElement
  private conversations: ConversationItem[] = []
  private contacts: Contact[] = []
  private requests: MessageRequest[] = []
  /** Each request's accept and block form, kept across redraws so a name being typed stays */
  private readonly requestForms = new Map<string, HTMLElement>()
  private active?: string

  constructor (private readonly init: ChatListInit) {
    this.requestSection = h('section', { class: 'request-section' }, h('h2', {}, 'Message requests'), this.requestList)
    this.requestSection.hidden = true
    this.el = h('aside', { class: 'sidebar' },
      h('div', { class: 'sidebar-head' },
        h('h2', {}, 'Chats'),
        h('button', { type: 'button', class: 'new-chat primary', onclick: () => { init.onNewChat() } }, '+ New chat')),
      this.requestSection,
      this.chats)
    const { model } = init
    model.addEventListener('conversations', evt => { this.conversations = evt.detail; this.render() })
    model.addEventListener('contacts', evt => { this.contacts = evt.detail; this.render() })
    model.addEventListener('requests', evt => { this.requests = evt.detail; this.render() })
    model.addEventListener('typing', () => { this.render() })
  }

  setActive (peerId: string | undefined): void {
    this.active = peerId
    this.render()
  }

  /** Unread messages over all conversations */
  get unread (): number {
    return this.conversations.reduce((n, c) => n + this.unreadIn(c), 0)
  }

  private unreadIn (c: ConversationItem): number {
    return c.peer === this.init.reading() ? 0 : c.unread
  }

  private render (): void {
    const pending = new Set(this.requests.map(r => r.peerId))
    const written = new Set(this.conversations.map(c => c.peer))
    const rows = [
      ...this.conversations.filter(c => !pending.has(c.peer)).map(c => this.row(c.peer, c)),
      ...this.contacts.filter(c => !written.has(c.peerId) && !pending.has(c.peerId))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map(c => this.row(c.peerId))
    ]
    fill(this.chats, ...rows)
    if (rows.length === 0) {
      fill(this.chats, h('li', { class: 'empty dim' }, 'No chats yet. Start one with ', h('strong', {}, '+ New chat'), ', or share your invite.'))
    }
    this.requestSection.hidden = this.requests.length === 0
    for (const peer of this.requestForms.keys()) {
      if (!pending.has(peer)) this.requestForms.delete(peer)
    }
    fill(this.requestList, ...this.requests.map(r => h('li', { class: 'request', 'data-peer': r.peerId },
      this.row(r.peerId, this.conversations.find(c => c.peer === r.peerId), 'div'),
      this.requestForm(r.peerId))))
  }

  /** A chat: who, when, what was said last (or that they are typing), and the unread count; `tag`: a list item, or a part of one */
  private row (peer: string, c?: ConversationItem, tag: 'li' | 'div' = 'li'): HTMLElement {
    const name = this.init.nameOf(peer)
    const last = c?.last
    const typing = this.init.model.isTyping(peer)
    const unread = c != null ? this.unreadIn(c) : 0
    // in a group, whoever wrote it (in a direct conversation, the peer or the user)
    const author = last == null ? '' : last.direction === 'out' ? this.init.model.self : last.peer
    const by = last == null || last.timer != null ? '' : last.direction === 'out' ? 'You: ' : c?.group != null ? `${this.init.nameOf(author)}: ` : ''
    const preview = typing
      ? h('span', { class: 'chat-preview typing' }, 'typing…')
      : h('span', { class: 'chat-preview' }, last != null
        ? `${by}${previewText(last, this.init.nameOf(author), LIST_PREVIEW_CHARS)}`
        : c?.group != null ? `${c.group.members.length} members` : 'No messages yet')
    return h(tag, {
      class: ['chat', peer === this.active ? 'active' : '', unread > 0 ? 'has-unread' : ''].filter(c => c !== '').join(' '),
      'data-peer': peer,
      'data-unread': String(unread),
      'data-group': c?.group != null ? 'true' : undefined,
      role: 'button',
      tabindex: '0',
      'aria-current': peer === this.active ? 'true' : undefined,
      onclick: () => { this.init.onOpen(peer) },
      onkeydown: (evt: Event) => {
        if ((evt as KeyboardEvent).key === 'Enter' || (evt as KeyboardEvent).key === ' ') { evt.preventDefault(); this.init.onOpen(peer) }
      }
    }, avatar(name, peer),
    h('div', { class: 'chat-main' },
      h('div', { class: 'chat-top' },
        h('span', { class: 'chat-name' }, name),
        last != null ? h('time', { class: 'chat-time', datetime: new Date(last.timestamp).toISOString() }, listTime(last.timestamp)) : null),
      h('div', { class: 'chat-bottom' },
        preview,
        unread > 0 ? h('span', { class: 'badge', 'aria-label': `${unread} unread` }, String(unread)) : null)))
  }

  /** Accepting a request (saving them under a name) or blocking them */
  private requestForm (peer: string): HTMLElement {
    const existing = this.requestForms.get(peer)
    if (existing != null) return existing
    const name = h('input', { placeholder: 'Name to save them as', 'aria-label': 'Name to save them as' }) as HTMLInputElement
    const error = h('div', { class: 'error' })
    const form = h('div', { class: 'request-actions' },
      h('form', {
        class: 'row',
        onsubmit: (evt: Event) => {
          evt.preventDefault()
          action(error, async () => { await this.init.model.accept(peer, name.value) })
        }
      }, name, h('button', { type: 'submit', class: 'primary' }, 'Accept'),
      h('button', { type: 'button', class: 'block', onclick: () => { action(error, async () => { await this.init.model.block(peer) }) } }, 'Block')),
      error)
    this.requestForms.set(peer, form)
    return form
  }
}
