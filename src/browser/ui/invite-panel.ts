import qrcode from 'qrcode-generator'
import { action, h } from './dom.ts'

export interface InviteInit {
  peerId: string
  /** `parley://<PeerId>` */
  invite: string
  /** A link to this page that opens the new-chat form with this node's address filled in */
  inviteLink: string
}

/** What others need to reach this user: the invite as text, link and QR code, each easy to copy */
export function invitePanel (init: InviteInit): HTMLElement {
  const qr = qrcode(0, 'M')
  qr.addData(init.invite)
  qr.make()
  const error = h('div', { class: 'error' })
  const copied = h('span', { class: 'copied dim', 'aria-live': 'polite' })
  const copy = (label: string, text: string): HTMLElement => h('button', {
    type: 'button',
    class: 'copy',
    onclick: () => {
      action(error, async () => {
        await navigator.clipboard.writeText(text)
        copied.textContent = `${label} copied`
      })
    }
  }, `Copy ${label.toLowerCase()}`)
  return h('div', { class: 'invite' },
    h('p', { class: 'dim' }, 'Send this to someone you want to chat with, or let them scan the code. They add you, you add them: then you can write to each other.'),
    h('div', { class: 'qr' }, h('img', { src: qr.createDataURL(4, 2), alt: 'QR code of your invite' })),
    h('div', { class: 'mono own-id', title: init.peerId }, init.invite),
    h('div', {}, h('a', { href: init.inviteLink, class: 'invite-link' }, 'Invite link')),
    h('div', { class: 'row' }, copy('Invite', init.invite), copy('Link', init.inviteLink), copied),
    error)
}
