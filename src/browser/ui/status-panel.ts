import { fill, h, shortId } from './dom.ts'
import type { ConnectionSnapshot, ConnectionStatus } from '../status.ts'

/**
 * The right column: whether this page is reachable (a relay reservation), and every open
 * connection, direct or relayed, with its transport.
 */
export class StatusPanel {
  readonly el: HTMLElement
  private readonly reservation = h('div', { class: 'reservation' })
  private readonly peers = h('ul', { class: 'peers' })
  private readonly addresses = h('ul', { class: 'addresses mono dim' })

  constructor (status: ConnectionStatus) {
    this.el = h('section', { class: 'connection-status' },
      h('h2', {}, 'Relay reservation'), this.reservation,
      h('h2', {}, 'Connections'), this.peers,
      h('details', {}, h('summary', {}, 'Your addresses'), this.addresses))
    status.addEventListener('change', evt => { this.render(evt.detail) })
    this.render(status.snapshot())
  }

  private render (s: ConnectionSnapshot): void {
    this.reservation.dataset.relays = String(s.reservations.length)
    fill(this.reservation, s.reservations.length > 0
      ? h('span', {}, h('span', { class: 'pill direct' }, 'reachable'), ' via ', ...s.reservations.map(r => h('span', { class: 'mono' }, shortId(r))))
      : h('span', { class: 'pill relayed' }, 'no reservation yet: others cannot reach this page'))
    fill(this.peers, ...s.peers.map(p => h('li', { class: 'peer', 'data-peer': p.peerId, 'data-kind': p.kind, title: p.address },
      h('span', { class: `pill ${p.kind}` }, p.kind), ' ', h('span', { class: 'mono' }, shortId(p.peerId)), ' ', h('span', { class: 'dim' }, p.transport))))
    if (s.peers.length === 0) fill(this.peers, h('li', { class: 'dim' }, 'Not connected'))
    fill(this.addresses, ...s.addresses.map(a => h('li', {}, a)))
  }
}
