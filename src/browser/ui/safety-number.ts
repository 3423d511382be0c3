import { action, h } from './dom.ts'
import type { AppModel } from '../model.ts'

/** The class names of a SafetyNumber's parts, which differ between the header and a member row */
export interface SafetyNumberClasses {
  toggle: string
  digits: string
}

/** Whether a SafetyNumber's digits show from the start, and who hears them shown or hidden */
export interface SafetyNumberDisplay {
  shown?: boolean
  onShown?: (shown: boolean) => void
}

/**
 * The safety number with one peer, to compare with theirs in person: a badge saying whether the
 * user marked it as compared, a button that shows the 60 digits, and once shown, marking them
 * as compared (or clearing the mark). A PeerId is its identity key, so the number never changes
 * for the same peer: the mark says that this address is that person's.
 */
export class SafetyNumber {
  /** "Verified" or "Not verified" */
  readonly badge = h('span', { class: 'verify-state' })
  /** Shows or hides the digits */
  readonly toggle: HTMLElement
  /** The digits (empty until shown) and the mark button */
  readonly panel = h('span', { class: 'safety-panel' })
  private readonly digits: HTMLElement
  private readonly mark: HTMLButtonElement
  private verified: boolean

  /**
   * `verified`: the mark as the caller knows it (a list reads them all at once); else it is read
   * here. `shown`: the digits are shown from the start (a list drawn again keeps what was open),
   * and `onShown` hears each show and hide.
   */
  constructor (model: AppModel, error: HTMLElement, peer: string, name: string, classes: SafetyNumberClasses, verified?: boolean, display: SafetyNumberDisplay = {}) {
    this.verified = verified ?? false
    this.digits = h('span', { class: `${classes.digits} mono`, 'aria-live': 'polite' })
    this.mark = h('button', {
      type: 'button',
      class: 'mark-verified',
      onclick: () => {
        action(error, async () => { this.setVerified(await model.setVerified(peer, !this.verified)) })
      }
    }) as HTMLButtonElement
    this.mark.hidden = true
    this.toggle = h('button', {
      type: 'button',
      class: classes.toggle,
      title: `The safety number with ${name}: compare it with theirs`,
      onclick: () => {
        if (this.digits.textContent !== '') {
          this.digits.textContent = ''
          this.mark.hidden = true
          display.onShown?.(false)
          return
        }
        show()
      }
    }, 'Safety number')
    const show = (): void => {
      action(error, async () => {
        this.digits.textContent = await model.safetyNumber(peer)
        this.mark.hidden = false
        display.onShown?.(true)
      })
    }
    this.panel.append(this.digits, this.mark)
    if (display.shown === true) show()
    this.setVerified(this.verified)
    if (verified == null) action(error, async () => { this.setVerified(await model.isVerified(peer)) })
  }

  private setVerified (verified: boolean): void {
    this.verified = verified
    this.badge.textContent = verified ? '✓ Verified' : 'Not verified'
    this.badge.dataset.verified = String(verified)
    this.badge.title = verified ? 'You marked the safety number as compared' : 'Compare the safety number with theirs, then mark it'
    this.mark.textContent = verified ? 'Clear verification' : 'Mark as verified'
  }
}
