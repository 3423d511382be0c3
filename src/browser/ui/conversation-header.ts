import { avatar } from './avatar.ts'
import { action, fill, h, shortId } from './dom.ts'
import { timerText } from '../../messenger/shown-text.ts'
import type { AppModel } from '../model.ts'

/**
 * The top of an open conversation: back to the list (narrow screens), who it is with (or that
 * they are typing), the disappearing-message timer, and the safety number on demand.
 */
export class ConversationHeader {
  readonly el: HTMLElement
  private readonly who = h('div', { class: 'who' })
  private readonly timer: HTMLSelectElement
  private readonly safety = h('div', { class: 'safety dim', 'aria-live': 'polite' })
  private peer?: string
  /** The timer as the node has it (the select shows the user's choice until the node agrees) */
  private timerSeconds = 0
  private name = ''
  private typing = false

  constructor (model: AppModel, error: HTMLElement, onBack: () => void) {
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
    const showSafety = h('button', {
      type: 'button',
      class: 'show-safety',
      onclick: () => {
        const peer = this.peer
        if (peer == null) return
        if (this.safety.textContent !== '') { this.safety.textContent = ''; return }
        action(error, async () => { this.safety.textContent = await model.safetyNumber(peer) })
      }
    }, 'Safety number')
    this.el = h('header', { class: 'conversation-header' },
      h('div', { class: 'header-row' },
        h('button', { type: 'button', class: 'back', 'aria-label': 'Back to the chats', onclick: onBack }, '‹'),
        this.who,
        h('div', { class: 'header-tools' },
          h('label', { class: 'timer-control', title: 'Disappearing messages: new messages are erased on both sides this long after they are sent' },
            h('span', { class: 'timer-icon', 'aria-hidden': 'true' }, '⏱'), this.timer),
          showSafety)),
      this.safety)
  }

  show (peer: string, name: string, typing: boolean): void {
    if (peer !== this.peer) this.safety.textContent = ''
    this.peer = peer
    this.name = name
    this.typing = typing
    this.render()
  }

  setTyping (typing: boolean): void {
    this.typing = typing
    this.render()
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
        this.typing
          ? h('span', { class: 'typing' }, `${this.name} is typing…`)
          : h('span', { class: 'peer-id mono dim', title: peer }, shortId(peer))))
  }
}
