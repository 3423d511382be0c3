import { logger } from '@libp2p/logger'
import { loadConfig, PROFILE_NAME } from './config.ts'
import { createParley, formatInvite, parsePeerArgument } from './core.ts'
import { TIMER_SECONDS } from '../messenger/constants.ts'
import { AppModel } from './model.ts'
import { registerServiceWorker } from './pwa.ts'
import { ConnectionStatus } from './status.ts'
import { mountApp } from './ui/app.ts'
import { PageCalls } from './calls/page-calls.ts'
import type { Parley } from './core.ts'

/** The node as the page exposes it: its calls with this page's camera and microphone */
export type PageParley = Omit<Parley, 'calls'> & { calls: PageCalls }

declare global {
  interface Window {
    /** The running node, for the browser console, scripts and the browser tests */
    parley?: PageParley
  }
}

const log = logger('parley:browser:app')
/** The URL fragment of an invite link: `#invite=<PeerId>` */
const INVITE_FRAGMENT = 'invite='

/** The web app: a full Parley node in this page, kept in IndexedDB, and its UI */
async function main (): Promise<void> {
  const root = document.getElementById('app')!
  // registered first, so the app's files are kept for offline starts even if the node cannot
  // start; a new version found before the UI is up is offered once it is
  let showUpdate: ((apply: () => void) => void) | undefined
  let foundUpdate: (() => void) | undefined
  registerServiceWorker(apply => {
    if (showUpdate != null) showUpdate(apply)
    else foundUpdate = apply
  })
  try {
    const config = await loadConfig()
    const timers = config.timers ?? TIMER_SECONDS
    const parley = await createParley({
      dataDir: PROFILE_NAME,
      bootstrap: config.bootstrap,
      lan: config.lan,
      ...(config.timers != null ? { messenger: { timers } } : {})
    })
    const calls = new PageCalls(parley.calls, parley.peerId.toString(), {
      members: async group => (await parley.groups.get(group)).members,
      ...(config.iceServers != null ? { iceServers: config.iceServers } : {}),
      stunServers: () => parley.node.services.relayStun?.iceServers() ?? [],
      ...(config.iceTransportPolicy != null ? { iceTransportPolicy: config.iceTransportPolicy } : {})
    })
    window.parley = { ...parley, calls }
    // leaving stops the node (so the Web Lock and IndexedDB are let go at once); a page brought
    // back from the back/forward cache would have a stopped node, so it starts afresh
    window.addEventListener('pagehide', () => { void parley.stop() })
    window.addEventListener('pageshow', evt => { if (evt.persisted) location.reload() })
    const peerId = parley.peerId.toString()
    const inviteLink = new URL(`#${INVITE_FRAGMENT}${peerId}`, location.href).toString()
    const app = await mountApp(root, {
      model: new AppModel(parley.messenger, parley.files!, parley.events, timers, peerId, { groups: parley.groups, messaging: parley.groupMessaging }),
      status: new ConnectionStatus(parley.node),
      peerId,
      invite: formatInvite(peerId),
      inviteLink,
      prefill: invitedPeer(),
      calls
    })
    showUpdate = app.offerUpdate
    if (foundUpdate != null) showUpdate(foundUpdate)
    document.body.dataset.state = 'ready'
    log('started as %p', parley.peerId)
  } catch (err: any) {
    log.error('could not start - %e', err)
    root.replaceChildren(Object.assign(document.createElement('p'), {
      className: 'fatal',
      textContent: err.name === 'DataDirLockedError' ? 'Parley is already open in another tab.' : `Parley could not start: ${err.message}`
    }))
    document.body.dataset.state = 'failed'
  }
}

/** The PeerId from an invite link this page was opened with, if it holds a valid one */
function invitedPeer (): string | undefined {
  const fragment = location.hash.slice(1)
  if (!fragment.startsWith(INVITE_FRAGMENT)) return undefined
  try {
    return parsePeerArgument(fragment.slice(INVITE_FRAGMENT.length)).toString()
  } catch {
    return undefined
  }
}

void main()
