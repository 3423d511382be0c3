import { h } from './dom.ts'
import { reachability } from '../status.ts'
import type { ConnectionSnapshot, ConnectionStatus, Reachability } from '../status.ts'

const DOT_TITLES: Record<Reachability, string> = {
  reachable: 'Reachable: a relay holds a reservation for you',
  connecting: 'Not reachable yet: connected, but no relay holds a reservation for you',
  offline: 'Offline: not connected to anyone'
}

export interface TopbarInit {
  status: ConnectionStatus
  onInvite(): void
  onConnection(): void
  onSettings(): void
}

/**
 * The bar across the top: the app's name with a dot that says whether others can reach this
 * page (green: a relay holds a reservation; amber: connected without one; red: offline), and the
 * buttons that open the invite, the connection details and the settings. A button to load a
 * new version appears when one is ready (`offerUpdate`).
 */
export class Topbar {
  readonly el: HTMLElement
  private readonly dot = h('span', { class: 'status-dot', role: 'img' })
  private readonly update = h('button', { type: 'button', class: 'update-ready', hidden: true }, 'Update: reload')

  constructor (init: TopbarInit) {
    this.el = h('header', { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-name' }, 'Parley')),
      h('nav', { class: 'topbar-actions' },
        this.update,
        h('button', { type: 'button', class: 'open-invite', onclick: init.onInvite }, 'Invite'),
        h('button', { type: 'button', class: 'open-connection', onclick: init.onConnection }, this.dot, h('span', {}, 'Connection')),
        h('button', { type: 'button', class: 'open-settings', onclick: init.onSettings }, 'Settings')))
    init.status.addEventListener('change', evt => { this.showStatus(evt.detail) })
    this.showStatus(init.status.snapshot())
  }

  /** Shows the update button; pressing it runs `apply` (which reloads the page) */
  offerUpdate (apply: () => void): void {
    this.update.hidden = false
    this.update.onclick = apply
  }

  private showStatus (s: ConnectionSnapshot): void {
    const state = reachability(s)
    this.dot.dataset.state = state
    this.dot.title = DOT_TITLES[state]
    this.dot.setAttribute('aria-label', DOT_TITLES[state])
  }
}
