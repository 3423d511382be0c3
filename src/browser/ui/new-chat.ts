import { action, h } from './dom.ts'
import type { AppModel } from '../model.ts'

/**
 * Starting a chat with someone new: their invite (`parley://...`, a PeerId, or an invite link's
 * address) and the name to keep them under. `prefill` comes from an invite link this page was
 * opened with.
 */
export function newChatForm (model: AppModel, onAdded: (peerId: string) => void, prefill?: string): HTMLElement {
  const peerInput = h('input', { name: 'peer', placeholder: 'parley://… or PeerId', value: prefill, required: true, 'aria-label': 'Their invite' }) as HTMLInputElement
  const nameInput = h('input', { name: 'name', placeholder: 'Name', required: true, 'aria-label': 'Their name' }) as HTMLInputElement
  const error = h('div', { class: 'error' })
  return h('form', {
    class: 'col add-contact',
    onsubmit: (evt: Event) => {
      evt.preventDefault()
      action(error, async () => {
        const contact = await model.addContact(peerInput.value, nameInput.value)
        peerInput.value = nameInput.value = ''
        onAdded(contact.peerId)
      })
    }
  },
  h('p', { class: 'dim' }, 'Paste the invite they sent you, and the name you know them by.'),
  peerInput, nameInput, h('button', { type: 'submit', class: 'primary' }, 'Start chat'), error)
}
