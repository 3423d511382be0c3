import { action, fill, h } from './dom.ts'
import { SafetyNumber } from './safety-number.ts'
import type { GroupInfo } from '../../events/group-info.ts'
import type { Contact } from '../../storage/types.ts'
import type { AppModel } from '../model.ts'

/**
 * A group's members as its header lists them: each one's name, admin or not, and for the others
 * the safety-number state (verified or not, the number on demand, marking it); adding contacts
 * (admins), and leaving the group
 */
export class GroupMembers {
  readonly el = h('div', { class: 'group-members' })
  private group?: GroupInfo
  private contacts: Contact[] = []
  /** Members whose safety number the user opened: still open when the list is drawn again */
  private readonly shown = new Set<string>()
  /** Renders in turn: a later render (a change, a toggle) is not overtaken by an earlier one's await */
  private rendering = Promise.resolve()

  constructor (private readonly model: AppModel, private readonly error: HTMLElement, private readonly nameOf: (peerId: string) => string) {
    this.el.hidden = true
    model.addEventListener('contacts', evt => { this.contacts = evt.detail; this.render() })
  }

  /** The group as it is now (undefined: a direct conversation, hidden) */
  setGroup (group: GroupInfo | undefined): void {
    // another group's list starts with every number hidden
    if (group?.id !== this.group?.id) this.shown.clear()
    this.group = group
    if (group == null) this.el.hidden = true
    this.render()
  }

  toggle (): void {
    this.el.hidden = !this.el.hidden
    this.render()
  }

  hide (): void {
    this.el.hidden = true
  }

  private render (): void {
    this.rendering = this.rendering.then(async () => {
      const group = this.group
      if (group == null || this.el.hidden) return
      const verified = await this.model.verifiedPeers()
      if (group === this.group) this.fill(group, verified)
    }).catch((err: Error) => { this.error.textContent = err.message })
  }

  /** A member: name, admin or not, and (for the others) the safety number's state and digits */
  private row (peer: string, group: GroupInfo, verified: Set<string>): HTMLElement {
    const admin = group.admins.includes(peer) ? h('span', { class: 'admin dim' }, ' admin') : null
    if (peer === this.model.self) return h('li', { 'data-peer': peer }, this.nameOf(peer), admin)
    const safety = new SafetyNumber(this.model, this.error, peer, this.nameOf(peer), { toggle: 'member-safety-toggle', digits: 'member-safety' }, verified.has(peer), {
      shown: this.shown.has(peer),
      onShown: shown => { if (shown) this.shown.add(peer); else this.shown.delete(peer) }
    })
    return h('li', { 'data-peer': peer }, this.nameOf(peer), admin, ' ', safety.badge, safety.toggle, safety.panel)
  }

  private fill (group: GroupInfo, verified: Set<string>): void {
    const admin = group.admins.includes(this.model.self)
    const member = group.members.includes(this.model.self)
    const addable = this.contacts.filter(c => !group.members.includes(c.peerId))
    const pick = h('select', { name: 'add-member', 'aria-label': 'Contact to add' },
      ...addable.map(c => h('option', { value: c.peerId }, c.name))) as HTMLSelectElement
    fill(this.el,
      h('ul', { class: 'member-list', 'aria-label': 'Members' }, ...group.members.map(m => this.row(m, group, verified))),
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
