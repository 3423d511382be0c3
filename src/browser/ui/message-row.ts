import { h } from './dom.ts'
import { clockTime, previewText, timerNotice } from './format.ts'
import { groupReactions, reactionChips, reactionPicker } from './reactions.ts'
import { shownText } from '../../messenger/shown-text.ts'
import type { Attachment } from './attachment.ts'
import type { PublicMessage } from '../../events/public.ts'
import type { MessageRef } from '../../storage/types.ts'

/** A quote shows at most this many characters of the message it quotes */
const QUOTE_CHARS = 140

/** How a message's delivery state reads in full (its tooltip, and for screen readers) */
export function statusLabel (m: PublicMessage): string {
  switch (m.status) {
    case 'stored': return `stored (${m.replicas ?? 0} replicas)`
    case 'failed': return `failed${m.error != null ? `: ${m.error}` : ''}`
    default: return m.status
  }
}

/** The short mark of a delivery state beside the time: ✓ stored with mailboxes, ✓✓ delivered, coloured ✓✓ read */
function statusMark (m: PublicMessage): string {
  switch (m.status) {
    case 'sending': return '…'
    case 'queued': return 'queued'
    case 'stored': return '✓'
    case 'delivered': return '✓✓'
    case 'read': return '✓✓'
    case 'failed': return '⚠ failed'
  }
}

/** What a row does when the user acts on its message */
export interface MessageActions {
  reply(m: PublicMessage): void
  react(m: PublicMessage, emoji: string): void
  edit(m: PublicMessage): void
  remove(m: PublicMessage): void
  /** Brings the quoted message into view */
  showQuoted(ref: MessageRef): void
}

/** What a row needs from its conversation */
export interface MessageContext {
  /** This node's PeerId */
  self: string
  /** Whether the conversation is a group (each message shows its sender; the user's, its counts) */
  inGroup(): boolean
  /** A PeerId as the user knows it: a contact's name, "You", or a short id */
  nameOf(peerId: string): string
  /** The message a reply quotes, if it is in the conversation still */
  quoted(ref: MessageRef): PublicMessage | undefined
  /** The attachment of a message offering a file (kept across the row's re-renders) */
  attachment(m: PublicMessage): Attachment
  actions: MessageActions
}

/** Whether `m` is one of the conversation's messages (not a timer change, deletion or unknown kind) */
function isLive (m: PublicMessage): boolean {
  return m.deleted !== true && m.timer == null && m.unsupported !== true
}

/**
 * One history entry as the conversation shows it: a timer change or a call as a notice; a message as a
 * bubble with its quote, file, text (or tombstone), time, edit and delivery marks, reactions
 * under it, and the actions the user has on it (reply, react; edit and delete their own).
 */
export function messageRow (m: PublicMessage, ctx: MessageContext): HTMLElement {
  const author = m.direction === 'out' ? ctx.self : m.peer
  if (m.timer != null && m.deleted !== true) {
    return h('div', { class: 'notice timer-entry', 'data-id': m.id, 'data-direction': m.direction, 'data-timer': String(m.timer) },
      timerNotice(m.timer, ctx.nameOf(author)))
  }
  if (m.call != null) {
    return h('div', { class: `notice call-entry${m.call.outcome === 'missed' || m.call.reason === 'fingerprint-mismatch' ? ' missed' : ''}`, 'data-id': m.id, 'data-direction': m.direction, 'data-outcome': m.call.outcome },
      `${m.call.video ? '🎥' : '📞'} ${shownText(m)} · ${clockTime(m.timestamp)}`)
  }
  const edited = (m.edits?.length ?? 0) > 0 && m.deleted !== true
  const classes = ['message', m.direction, m.deleted === true ? 'deleted' : '', m.unsupported === true ? 'unsupported' : ''].filter(c => c !== '')
  const text = edited ? m.text : shownText(m)
  const group = ctx.inGroup()
  const bubble = h('div', { class: 'bubble' },
    group && m.direction === 'in' ? h('div', { class: 'sender' }, ctx.nameOf(m.peer)) : null,
    m.replyTo != null && m.deleted !== true ? quote(m.replyTo, ctx) : null,
    m.file != null && m.deleted !== true ? ctx.attachment(m).el : null,
    text !== '' ? h('div', { class: 'text' }, text) : null,
    h('div', { class: 'meta' },
      m.expiresAt != null ? h('span', { class: 'expires', title: `disappears ${new Date(m.expiresAt).toLocaleString()}` }, '⏱') : null,
      edited ? h('span', { class: 'edited', title: `earlier: ${m.edits!.map(e => e.text).join(' → ')}` }, 'edited') : null,
      h('time', { datetime: new Date(m.timestamp).toISOString(), title: new Date(m.timestamp).toLocaleString() }, clockTime(m.timestamp)),
      m.direction === 'out' && group ? groupCounts(m) : null,
      m.direction === 'out'
        ? h('span', { class: `status status-${m.status}`, title: statusLabel(m), 'aria-label': statusLabel(m) }, statusMark(m))
        : null))
  const row = h('div', { class: classes.join(' '), 'data-id': m.id, 'data-direction': m.direction, 'data-status': m.status },
    bubble,
    reactionChips(groupReactions(m.reactions, ctx.self), ctx.nameOf, (emoji, mine) => { ctx.actions.react(m, mine ? '' : emoji) }))
  if (isLive(m)) {
    // focusable, so the keyboard reaches its actions (shown while focus is within)
    row.tabIndex = 0
    row.append(actionBar(m, row, ctx))
  }
  return row
}

/** How many members a message of the user's in a group reached, and how many read it */
function groupCounts (m: PublicMessage): HTMLElement {
  const delivered = m.deliveredTo?.length ?? 0
  const read = m.readBy?.length ?? 0
  const label = `delivered to ${delivered}, read by ${read}`
  return h('span', { class: 'counts', title: label, 'aria-label': label, 'data-delivered': String(delivered), 'data-read': String(read) }, `${delivered}✓ ${read}👁`)
}

/** The quoted message at the top of a reply; choosing it scrolls to the original */
function quote (ref: MessageRef, ctx: MessageContext): HTMLElement {
  const original = ctx.quoted(ref)
  const who = ctx.nameOf(ref.author)
  return h('button', { type: 'button', class: 'quote', 'data-quotes': ref.id, onclick: () => { ctx.actions.showQuoted(ref) } },
    h('span', { class: 'quote-author' }, who),
    h('span', { class: 'quote-text' }, original != null ? previewText(original, who, QUOTE_CHARS) : 'the original message is not here'))
}

/**
 * Reply, react, and for the user's own messages edit and delete (after a confirmation). Shown
 * on hover or keyboard focus, or on a tap of the message (for touch screens).
 */
function actionBar (m: PublicMessage, row: HTMLElement, ctx: MessageContext): HTMLElement {
  const own = m.direction === 'out'
  const tray = h('div', { class: 'tray' })
  const toggle = (content: HTMLElement): void => {
    const same = tray.firstElementChild?.className === content.className
    tray.replaceChildren(...(same ? [] : [content]))
  }
  const button = (cls: string, label: string, fn: () => void): HTMLElement => h('button', { type: 'button', class: cls, onclick: (evt: Event) => { evt.stopPropagation(); fn() } }, label)
  const confirm = h('div', { class: 'confirm-delete' }, 'Delete for everyone? ',
    button('confirm danger', 'Delete', () => { tray.replaceChildren(); ctx.actions.remove(m) }),
    button('cancel', 'Cancel', () => { tray.replaceChildren() }))
  // a tap on the bubble shows the actions where there is no hover
  row.firstElementChild!.addEventListener('click', (evt: Event) => {
    if ((evt.target as HTMLElement).closest('button, a, video, audio') == null) row.classList.toggle('selected')
  })
  return h('div', { class: 'actions-wrap' },
    h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Message actions' },
      button('reply', 'Reply', () => { ctx.actions.reply(m) }),
      button('react', 'React', () => { toggle(reactionPicker(m.reactions?.[ctx.self], emoji => { tray.replaceChildren(); ctx.actions.react(m, emoji) })) }),
      own && m.file == null ? button('edit', 'Edit', () => { ctx.actions.edit(m) }) : null,
      own ? button('delete', 'Delete', () => { toggle(confirm) }) : null),
    tray)
}
