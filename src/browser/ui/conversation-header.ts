import { avatar } from './avatar.ts'
import { action, fill, h, shortId } from './dom.ts'
import { timerText } from '../../messenger/shown-text.ts'
import type { GroupInfo } from '../../events/group-info.ts'
import type { Contact } from '../../storage/types.ts'
import type { AppModel } from '../model.ts'

/**
 * The top of an open conversation: back to the list (narrow screens), who it is with (or that
 * they are typing), the disappearing-message timer, and the safety number on demand. For a
 * group: its name and members (with the safety number with each), whom an admin adds from the
 * contacts, and leaving it.
 */
export class ConversationHeader {
  readonly el: HTMLElement
  private readonly who = h('div', { class: 'who' })
  private readonly timer: HTMLSelectElement
  private readonly safety = h('div', { class: 'safety dim', 'aria-live': 'polite' })
  private readonly showSafety: HTMLElement
  private readonly showMembers: HTMLElement
  private readonly members = h('div', { class: 'group-members' })
  private group?: GroupInfo
  private contacts: Contact[] = []
  private peer?: string
  /** The timer as the node has it (the select shows the user's choice until the node agrees) */
  private timerSeconds = 0
  private name = ''
  private typing = false

  constructor (private readonly model: AppModel, private readonly error: HTMLElement, onBack: () => void, private readonly nameOf: (peerId: string) => string) {
    this.timer = h('select', {
      class: 'timer',
      name: 'timer',
      'aria-label': 'Disappearing messages',
      onchange: () => {
        const peer = this.peer
        if (peer == null) return
        action(error, async () => {
          try {
            await model.setTimer(peer, Number(this.timer.value))
          } catch (err) {
            this.setTimer(this.timerSeconds)
            throw err
          }
        })
      }
    }, ...model.timers.map(seconds => h('option', { value: String(seconds) }, seconds === 0 ? 'Off' : timerText(seconds)))) as HTMLSelectElement
    this.showSafety = h('button', {
      type: 'button',
      class: 'show-safety',
      onclick: () => {
        const peer = this.peer
        if (peer == null) return
        if (this.safety.textContent !== '') { this.safety.textContent = ''; return }
        action(error, async () => { this.safety.textContent = await model.safetyNumber(peer) })
      }
    }, 'Safety number')
    this.showMembers = h('button', {
      type: 'button',
      class: 'show-members',
      onclick: () => {
        this.members.hidden = !this.members.hidden
        this.renderMembers()
      }
    }, 'Members')
    this.members.hidden = true
    model.addEventListener('contacts', evt => { this.contacts = evt.detail; this.renderMembers() })
    this.el = h('header', { class: 'conversation-header' },
      h('div', { class: 'header-row' },
        h('button', { type: 'button', class: 'back', 'aria-label': 'Back to the chats', onclick: onBack }, '‹'),
        this.who,
        h('div', { class: 'header-tools' },
          h('label', { class: 'timer-control', title: 'Disappearing messages: new messages are erased on both sides this long after they are sent' },
            h('span', { class: 'timer-icon', 'aria-hidden': 'true' }, '⏱'), this.timer),
          this.showSafety,
          this.showMembers)),
      this.safety,
      this.members)
  }

  show (peer: string, name: string, typing: boolean): void {
    if (peer !== this.peer) {
      this.safety.textContent = ''
      this.members.hidden = true
      this.group = undefined
    }
    this.peer = peer
    this.name = name
    this.typing = typing
    this.render()
  }

  setTyping (typing: boolean): void {
    this.typing = typing
    this.render()
  }

  /** The open conversation's group as it is now (undefined for a direct conversation) */
  setGroup (group: GroupInfo | undefined): void {
    this.group = group
    if (group != null) this.name = group.name
    this.showSafety.hidden = group != null
    this.showMembers.hidden = group == null
    if (group == null) this.members.hidden = true
    this.render()
    this.renderMembers()
  }

  /** The conversation's timer as the node has it now (set here or by the peer) */
  setTimer (seconds: number): void {
    if (![...this.timer.options].some(o => o.value === String(seconds))) {
      // a timer this page does not offer (another configuration's): shown, not offered
      this.timer.append(h('option', { value: String(seconds), disabled: true }, timerText(seconds)))
    }
    this.timerSeconds = seconds
    this.timer.value = String(seconds)
    this.timer.classList.toggle('on', seconds !== 0)
  }

  private render (): void {
    const peer = this.peer
    if (peer == null) return
    fill(this.who, avatar(this.name, peer),
      h('div', { class: 'who-text' },
        h('strong', { class: 'peer-name' }, this.name),
        this.group != null
          ? h('span', { class: 'member-count dim' }, `${this.group.members.length} member${this.group.members.length === 1 ? '' : 's'}`)
          : this.typing
            ? h('span', { class: 'typing' }, `${this.name} is typing…`)
            : h('span', { class: 'peer-id mono dim', title: peer }, shortId(peer))))
  }

  /**
   * A member: name, admin or not, and (for the others) the safety number with them on demand,
   * to compare in person as in a direct conversation
   */
  private memberRow (peer: string, group: GroupInfo): HTMLElement {
    const admin = group.admins.includes(peer) ? h('span', { class: 'admin dim' }, ' admin') : null
    if (peer === this.model.self) return h('li', { 'data-peer': peer }, this.nameOf(peer), admin)
    const number = h('span', { class: 'member-safety mono dim', 'aria-live': 'polite' })
    const toggle = h('button', {
      type: 'button',
      class: 'member-safety-toggle',
      title: `The safety number with ${this.nameOf(peer)}: compare it with theirs`,
      onclick: () => {
        if (number.textContent !== '') { number.textContent = ''; return }
        action(this.error, async () => { number.textContent = await this.model.safetyNumber(peer) })
      }
    }, 'Safety number')
    return h('li', { 'data-peer': peer }, this.nameOf(peer), admin, ' ', toggle, number)
  }

  /** The group's members (admins marked, each one's safety number on demand), adding contacts (admins), and leaving */
  private renderMembers (): void {
    const group = this.group
    if (group == null || this.members.hidden) return
    const admin = group.admins.includes(this.model.self)
    const member = group.members.includes(this.model.self)
    const addable = this.contacts.filter(c => !group.members.includes(c.peerId))
    const pick = h('select', { name: 'add-member', 'aria-label': 'Contact to add' },
      ...addable.map(c => h('option', { value: c.peerId }, c.name))) as HTMLSelectElement
    fill(this.members,
      h('ul', { class: 'member-list', 'aria-label': 'Members' }, ...group.members.map(m => this.memberRow(m, group))),
      admin && addable.length > 0
        ? h('form', {
          class: 'row add-member',
          onsubmit: (evt: Event) => {
            evt.preventDefault()
            action(this.error, async () => { await this.model.addMembers(group.id, [pick.value]) })
          }
        }, pick, h('button', { type: 'submit' }, 'Add'))
        : null,
      member
        ? h('button', { type: 'button', class: 'leave-group danger', onclick: () => { action(this.error, async () => { await this.model.leaveGroup(group.id) }) } }, 'Leave group')
        : h('p', { class: 'dim' }, 'You are no longer a member of this group.'))
  }
}
