import { previewText } from './format.ts'
import { NOTIFICATION_PREVIEW_CHARS } from '../constants.ts'
import type { AppModel } from '../model.ts'

/** Whether this browser shows notifications, and whether the user let this page show them */
export type NotificationState = NotificationPermission | 'unsupported'

export interface NotifierInit {
  model: AppModel
  /** A PeerId as the user knows it */
  nameOf(peerId: string): string
  /** The user clicked a notification: show them that conversation */
  onOpen(peerId: string): void
}

/**
 * Desktop notifications of new messages while the tab is hidden: the sender's name and the
 * start of the message; a click brings the tab forward on that conversation. The browser asks
 * the user's permission only when they choose to enable them (`enable`, from a button), never
 * by itself.
 */
export class Notifier {
  constructor (init: NotifierInit) {
    init.model.addEventListener('message', evt => {
      const m = evt.detail
      // incoming `message` events are new arrivals; outgoing ones are the user's own states
      if (m.direction !== 'in' || document.visibilityState === 'visible' || this.state !== 'granted') return
      const name = init.nameOf(m.peer)
      const notification = new Notification(name, {
        body: previewText(m, name, NOTIFICATION_PREVIEW_CHARS),
        // one per conversation: a newer message replaces the one before
        tag: m.conversation,
        icon: 'icon-192.png'
      })
      notification.addEventListener('click', () => {
        window.focus()
        init.onOpen(m.peer)
        notification.close()
      })
    })
  }

  get state (): NotificationState {
    return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
  }

  /** Asks the browser for permission (call from a user's click); resolves with the outcome */
  async enable (): Promise<NotificationState> {
    if (this.state === 'unsupported') return 'unsupported'
    return Notification.requestPermission()
  }
}
