import { action, fill, h } from './dom.ts'
import type { AppModel } from '../model.ts'
import type { Contact } from '../../storage/types.ts'

/**
 * Making a group: its name, and which contacts to add (each gets the group and its history from
 * then on). The user is its first admin.
 */
export function newGroupForm (model: AppModel, onCreated: (group: string) => void): HTMLElement {
  const nameInput = h('input', { name: 'group-name', placeholder: 'Group name', required: true, maxlength: '64', 'aria-label': 'Group name' }) as HTMLInputElement
  const choices = h('fieldset', { class: 'group-contacts' })
  const error = h('div', { class: 'error' })
  const render = (contacts: Contact[]): void => {
    fill(choices, h('legend', {}, 'Members'), ...contacts.length === 0
      ? [h('p', { class: 'dim' }, 'Add contacts first: a group is made of people you know.')]
      : [...contacts].sort((a, b) => a.name.localeCompare(b.name)).map(c => h('label', { class: 'row' },
          h('input', { type: 'checkbox', name: 'member', value: c.peerId }), c.name)))
  }
  render([])
  model.addEventListener('contacts', evt => { render(evt.detail) })
  return h('form', {
    class: 'col new-group',
    onsubmit: (evt: Event) => {
      evt.preventDefault()
      const peers = [...choices.querySelectorAll<HTMLInputElement>('input[name="member"]:checked')].map(i => i.value)
      action(error, async () => {
        const group = await model.createGroup(nameInput.value, peers)
        nameInput.value = ''
        for (const box of choices.querySelectorAll<HTMLInputElement>('input[name="member"]')) box.checked = false
        onCreated(group)
      })
    }
  },
  h('p', { class: 'dim' }, 'Or make a group: name it and pick who is in it.'),
  nameInput, choices, h('button', { type: 'submit', class: 'primary' }, 'Create group'), error)
}
