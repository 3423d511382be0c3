import { ConversationView } from './conversation.ts'
import { h } from './dom.ts'
import { Sidebar } from './sidebar.ts'
import { StatusPanel } from './status-panel.ts'
import type { AppModel } from '../model.ts'
import type { ConnectionStatus } from '../status.ts'

export interface AppInit {
  model: AppModel
  status: ConnectionStatus
  peerId: string
  invite: string
  inviteLink: string
  prefill?: string
}

/** Lays out the three columns and wires them: choosing a contact opens its conversation */
export async function mountApp (root: HTMLElement, init: AppInit): Promise<void> {
  const conversation = new ConversationView(init.model)
  const sidebar: Sidebar = new Sidebar({
    ...init,
    onOpen: (peerId) => {
      sidebar.setActive(peerId)
      void conversation.open(peerId)
    }
  })
  const status = new StatusPanel(init.status)
  root.replaceChildren(h('div', { class: 'layout' }, sidebar.el, conversation.el, status.el))
  await init.model.load()
}
