import { CallScreen } from './call-screen.ts'
import { ChatList } from './chat-list.ts'
import { ConversationView } from './conversation.ts'
import { Panel } from './dialog.ts'
import { h, shortId } from './dom.ts'
import { invitePanel } from './invite-panel.ts'
import { newChatForm } from './new-chat.ts'
import { newGroupForm } from './new-group.ts'
import { Notifier } from './notifier.ts'
import { settingsPanel } from './settings-panel.ts'
import { StatusPanel } from './status-panel.ts'
import { Topbar } from './topbar.ts'
import { NARROW_MAX_WIDTH_PX } from '../constants.ts'
import { isGroupId } from '../../groups/group-id.ts'
import type { PageCalls } from '../calls/page-calls.ts'
import type { AppModel } from '../model.ts'
import type { ConnectionStatus } from '../status.ts'
import type { Contact } from '../../storage/types.ts'

export interface AppInit {
  model: AppModel
  status: ConnectionStatus
  peerId: string
  invite: string
  inviteLink: string
  /** An address to start a chat with (from an invite link): the new-chat form opens with it */
  prefill?: string
  /** Calls with this page's camera and microphone: the header's call buttons and the call screen */
  calls?: PageCalls
}

export interface MountedApp {
  /** Offers to load a new version of the app (a button in the top bar runs `apply`) */
  offerUpdate(apply: () => void): void
}

/** The history entry a narrow screen pushes when it shows a conversation, so "back" returns to the list */
const CHAT_STATE = 'parley-chat'

/**
 * Lays the app out and wires its parts: the top bar (status dot, invite, connection, settings),
 * the chat list and the open conversation side by side, or on a narrow screen one at a time (a
 * conversation's back button, or the browser's, returns to the list).
 */
export async function mountApp (root: HTMLElement, init: AppInit): Promise<MountedApp> {
  const { model } = init
  const names = new Map<string, string>()
  const groupNames = new Map<string, string>()
  const nameOf = (peerId: string): string => peerId === init.peerId ? 'You' : names.get(peerId) ?? groupNames.get(peerId) ?? shortId(peerId)
  // first, so the views hear of new names after the names are in
  model.addEventListener('contacts', evt => { rename(names, evt.detail) })
  model.addEventListener('conversations', evt => {
    for (const c of evt.detail) if (c.group != null) groupNames.set(c.id, c.group.name)
  })
  const narrow = matchMedia(`(max-width: ${NARROW_MAX_WIDTH_PX}px)`)
  const layout = h('div', { class: 'app', 'data-view': 'list' })

  const showList = (): void => {
    layout.dataset.view = 'list'
    conversation.leave()
  }
  const back = (): void => {
    if ((history.state as unknown) === CHAT_STATE) history.back()
    else showList()
  }
  const open = (peerId: string): void => {
    for (const panel of panels) panel.close()
    chats.setActive(peerId)
    layout.dataset.view = 'conversation'
    if (narrow.matches && (history.state as unknown) !== CHAT_STATE) history.pushState(CHAT_STATE, '')
    void conversation.open(peerId)
  }

  /** Whether the open conversation is in front of the user: the tab visible, and not the list in its place */
  const conversationShown = (): boolean => document.visibilityState === 'visible' && (!narrow.matches || layout.dataset.view === 'conversation')
  const calls = init.calls
  const callScreen = calls != null ? new CallScreen({ calls, nameOf }) : undefined
  const conversation: ConversationView = new ConversationView({
    model,
    nameOf,
    isShown: conversationShown,
    onBack: back,
    ...(calls != null ? { onCall: async (peer: string, video: boolean) => { await (isGroupId(peer) ? calls.startGroup(peer, { video }) : calls.start(peer, { video })) } } : {})
  })
  const chats = new ChatList({
    model,
    nameOf,
    reading: () => conversationShown() ? conversation.current : undefined,
    onOpen: open,
    onNewChat: () => { newChat.open() }
  })
  const notifier = new Notifier({ model, nameOf, onOpen: open })
  const newChat = new Panel('New chat', 'new-chat-panel', h('div', { class: 'col' },
    newChatForm(model, open, init.prefill),
    model.hasGroups ? newGroupForm(model, open) : null))
  const invite = new Panel('Your invite', 'invite-panel', invitePanel(init))
  const connection = new Panel('Connection', 'connection-panel', new StatusPanel(init.status).el)
  const settings = new Panel('Settings', 'settings-panel', settingsPanel(model, notifier))
  const panels = [newChat, invite, connection, settings]
  const topbar = new Topbar({
    status: init.status,
    onInvite: () => { invite.open() },
    onConnection: () => { connection.open() },
    onSettings: () => { settings.open() }
  })

  model.addEventListener('conversations', () => {
    const unread = chats.unread
    document.title = unread > 0 ? `(${unread}) Parley` : 'Parley'
  })
  window.addEventListener('popstate', () => { if (layout.dataset.view === 'conversation') showList() })
  // coming back to the tab is reading what arrived meanwhile in the open conversation
  document.addEventListener('visibilitychange', () => { conversation.readIfShown() })

  layout.append(topbar.el, h('main', { class: 'panes' }, chats.el, conversation.el), ...panels.map(p => p.el), ...callScreen != null ? [callScreen.el] : [])
  root.replaceChildren(layout)
  await model.load()
  if (init.prefill != null) newChat.open()
  return { offerUpdate: apply => { topbar.offerUpdate(apply) } }
}

function rename (names: Map<string, string>, contacts: Contact[]): void {
  names.clear()
  for (const c of contacts) names.set(c.peerId, c.name)
}
