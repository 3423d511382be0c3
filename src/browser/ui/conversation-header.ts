import { avatar } from './avatar.ts'
import { action, fill, h, shortId } from './dom.ts'
import { GroupMembers } from './group-members.ts'
import { SafetyNumber } from './safety-number.ts'
import { MAX_GROUP_CALL_PARTICIPANTS } from '../../calls/constants.ts'
import { isGroupId } from '../../groups/group-id.ts'
import { timerText } from '../../messenger/shown-text.ts'
import type { GroupInfo } from '../../events/group-info.ts'
import type { AppModel } from '../model.ts'

/**
 * The top of an open conversation: back to the list (narrow screens), who it is with (or that
 * they are typing), the disappearing-message timer, and the safety number (whether it was
 * compared, the digits on demand, marking it). For a group: its name and members
 * (`GroupMembers`).
 */
export class ConversationHeader {
  readonly el: HTMLElement
  private readonly who = h('div', { class: 'who' })
  private readonly timer: HTMLSelectElement
  /** The direct conversation's safety number: its button, and below the row its digits */
  private readonly safetyTool = h('span', { class: 'safety-tool' })
  private readonly safetyRow = h('div', { class: 'safety-row dim' })
  private safety?: SafetyNumber
  /** Calling the peer of a direct conversation (absent in groups, and where the page has no calls) */
  private readonly callTools = h('span', { class: 'call-tools' })
  private readonly showMembers: HTMLElement
  private readonly members: GroupMembers
  private group?: GroupInfo
  private peer?: string
  /** The timer as the node has it (the select shows the user's choice until the node agrees) */
  private timerSeconds = 0
  private name = ''
  private typing = false

  constructor (private readonly model: AppModel, private readonly error: HTMLElement, onBack: () => void, nameOf: (peerId: string) => string, onCall?: (peer: string, video: boolean) => Promise<void>) {
    this.members = new GroupMembers(model, error, nameOf)
    const callButton = (video: boolean): HTMLElement => h('button', {
      type: 'button',
      class: video ? 'start-video-call' : 'start-call',
      title: video ? 'Video call' : 'Call',
      'aria-label': video ? 'Video call' : 'Call',
      'data-video': String(video),
      onclick: () => {
        const peer = this.peer
        if (peer != null && onCall != null) action(error, async () => { await onCall(peer, video) })
      }
    }, video ? '🎥' : '📞')
    if (onCall != null) this.callTools.append(callButton(false), callButton(true))
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
    this.showMembers = h('button', { type: 'button', class: 'show-members', onclick: () => { this.members.toggle() } }, 'Members')
    this.el = h('header', { class: 'conversation-header' },
      h('div', { class: 'header-row' },
        h('button', { type: 'button', class: 'back', 'aria-label': 'Back to the chats', onclick: onBack }, '‹'),
        this.who,
        h('div', { class: 'header-tools' },
          h('label', { class: 'timer-control', title: 'Disappearing messages: new messages are erased on both sides this long after they are sent' },
            h('span', { class: 'timer-icon', 'aria-hidden': 'true' }, '⏱'), this.timer),
          this.callTools,
          this.safetyTool,
          this.showMembers)),
      this.safetyRow,
      this.members.el)
  }

  show (peer: string, name: string, typing: boolean): void {
    const changed = peer !== this.peer
    if (changed) {
      this.members.hide()
      this.group = undefined
    }
    this.peer = peer
    this.name = name
    this.typing = typing
    if (changed) this.showSafety(isGroupId(peer) ? undefined : peer, name)
    // a group's: once its members are known (setGroup)
    this.callTools.hidden = isGroupId(peer)
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
    this.showMembers.hidden = group == null
    // a group call is a mesh: only a small group has one
    if (group != null) this.callTools.hidden = !group.members.includes(this.model.self) || group.members.length > MAX_GROUP_CALL_PARTICIPANTS
    this.members.setGroup(group)
    this.render()
  }

  /** The safety number with `peer` (undefined: a group, which has none of its own) */
  private showSafety (peer: string | undefined, name = ''): void {
    this.safety = peer == null ? undefined : new SafetyNumber(this.model, this.error, peer, name, { toggle: 'show-safety', digits: 'safety' })
    fill(this.safetyTool, this.safety?.toggle)
    fill(this.safetyRow, this.safety?.panel)
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
            : h('span', { class: 'peer-id mono dim', title: peer }, shortId(peer), ' ', this.safety?.badge)))
  }
}
