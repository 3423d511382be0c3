import { action, h } from './dom.ts'
import type { Notifier, NotificationState } from './notifier.ts'
import type { AppModel } from '../model.ts'
import type { Settings } from '../../storage/types.ts'

const NOTIFICATION_TEXT: Record<NotificationState, string> = {
  default: 'Off: enable them to hear of new messages while this tab is in the background.',
  granted: 'On: new messages show a notification while this tab is in the background.',
  denied: 'Blocked in this browser\'s site settings for this page.',
  unsupported: 'This browser does not show notifications.'
}

/**
 * The user's choices: read receipts and typing indicators (each works both ways: off means
 * neither sent nor shown), and desktop notifications.
 */
export function settingsPanel (model: AppModel, notifier: Notifier): HTMLElement {
  const error = h('div', { class: 'error' })
  const toggle = (key: keyof Settings, label: string, description: string): { el: HTMLElement, input: HTMLInputElement } => {
    const input = h('input', {
      type: 'checkbox',
      role: 'switch',
      name: key,
      onchange: () => {
        const on = input.checked
        action(error, async () => {
          try {
            await model.changeSettings({ [key]: on })
          } catch (err) {
            input.checked = !on
            throw err
          }
        })
      }
    }) as HTMLInputElement
    return { input, el: h('label', { class: 'switch' }, input, h('span', { class: 'switch-text' }, h('strong', {}, label), h('span', { class: 'dim' }, description))) }
  }
  const receipts = toggle('readReceipts', 'Read receipts', 'Others see when you read their messages, and you see when they read yours.')
  const typing = toggle('typingIndicators', 'Typing indicators', 'Others see when you are typing, and you see when they are.')
  model.addEventListener('settings', evt => {
    receipts.input.checked = evt.detail.readReceipts
    typing.input.checked = evt.detail.typingIndicators
  })

  const notificationState = h('p', { class: 'notification-state dim' })
  const enable = h('button', { type: 'button', class: 'enable-notifications primary' }, 'Enable notifications')
  const showState = (): void => {
    notificationState.textContent = NOTIFICATION_TEXT[notifier.state]
    enable.hidden = notifier.state !== 'default'
  }
  enable.addEventListener('click', () => { action(error, async () => { await notifier.enable(); showState() }) })
  showState()

  return h('div', { class: 'settings' },
    receipts.el, typing.el,
    h('h3', {}, 'Notifications'), notificationState, enable,
    error)
}
