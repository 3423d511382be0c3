import { access } from 'node:fs/promises'
import { chromium } from 'playwright-core'
import type { MessageRecord } from '../../../src/storage/types.ts'
import type { BrowserContext, Page } from 'playwright-core'

/** Debian's Chromium (`apt-get install chromium`); Playwright never downloads a browser here */
export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium'

/**
 * Headless, and nothing but the page's own traffic: no background networking, updates or sync
 * (this machine's network is closed, and tests stay on loopback). WebRTC on 127.0.0.1 needs
 * --allow-loopback-in-peer-connection. Calls get a fake camera and microphone (a test pattern
 * and a tone), granted without asking, and play sound without a user's gesture.
 */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--allow-loopback-in-peer-connection',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'
]

export async function assertChromium (): Promise<void> {
  await access(CHROMIUM).catch(() => {
    throw new Error(`no Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set PARLEY_CHROMIUM)`)
  })
}

/**
 * A browser profile in `userDataDir` (IndexedDB lives there): launching again with the same
 * directory is the same browser reopened.
 */
export async function launchProfile (userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 720 }
  })
}

const PAGE_LOG_LINES = 2_000
const pageLogs = new WeakMap<Page, string[]>()

/** The last lines a page opened by `openApp` logged */
export function pageLog (page: Page): string[] {
  return pageLogs.get(page) ?? []
}

/** debug's browser output without its %c colour directives */
function plainText (text: string): string {
  return text.replace(/%c/g, '').replace(/\s*color: (#[0-9A-Fa-f]+|inherit)/g, '')
}

/** Opens the app and resolves once its node has started (or throws the page's own error) */
export async function openApp (context: BrowserContext, url: string): Promise<Page> {
  const page = context.pages()[0] ?? await context.newPage()
  const errors: string[] = []
  page.on('pageerror', err => { errors.push(err.message) })
  // the page's own log (parley:*, or DEBUG's namespaces): shown as it comes with
  // PARLEY_TEST_LOGS=1, else kept (the last PAGE_LOG_LINES lines) for a failed test to print
  // @libp2p/logger reads its namespaces from localStorage in browsers
  await page.addInitScript((debug) => { localStorage.setItem('debug', debug) }, process.env.DEBUG ?? 'parley:*')
  const lines: string[] = []
  pageLogs.set(page, lines)
  page.on('console', msg => {
    const line = `${new Date().toISOString()} ${plainText(msg.text())}`
    if (process.env.PARLEY_TEST_LOGS === '1') process.stderr.write(`[page] ${line}\n`)
    lines.push(line)
    if (lines.length > PAGE_LOG_LINES) lines.splice(0, lines.length - PAGE_LOG_LINES)
  })
  await page.goto(url)
  await page.waitForSelector('body[data-state="ready"], body[data-state="failed"]', { timeout: 30_000 })
  if (await page.getAttribute('body', 'data-state') === 'failed') {
    throw new Error(`the app failed to start: ${await page.textContent('#app')} ${errors.join('; ')}`)
  }
  return page
}

/** The page's PeerId */
export async function peerIdOf (page: Page): Promise<string> {
  return page.evaluate(() => window.parley!.peerId.toString())
}

/**
 * Resolves once the page's node holds a relay reservation (it has a /p2p-circuit address),
 * waiting on the node's own `self:peer:update` and `transport:listening` events inside the page.
 */
export async function reservation (page: Page, timeoutMs = 20_000): Promise<string[]> {
  return page.evaluate(async (timeoutMs) => {
    const node = window.parley!.node
    const circuit = (): string[] => node.getMultiaddrs().map(ma => ma.toString()).filter(a => a.includes('/p2p-circuit'))
    if (circuit().length > 0) return circuit()
    return new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        // a last look: an address that came without either event still counts (slowly)
        if (circuit().length > 0) { resolve(circuit()); return }
        reject(new Error(`no relay reservation after ${timeoutMs} ms; addresses: ${node.getMultiaddrs().join(', ') || 'none'}`))
      }, timeoutMs)
      // the circuit listener's 'listening' is the reservation itself; `self:peer:update` may
      // come before the address shows (or not again after it), so both are watched
      const listener = (): void => {
        if (circuit().length === 0) return
        clearTimeout(timer)
        node.removeEventListener('self:peer:update', listener)
        node.removeEventListener('transport:listening', listener)
        resolve(circuit())
      }
      node.addEventListener('self:peer:update', listener)
      node.addEventListener('transport:listening', listener)
    })
  }, timeoutMs)
}

/**
 * Resolves with the incoming message from `peer` whose text is `text`, once the page's messenger
 * has it: from history if it is already there, else on its `message` event (the listener is in
 * place before history is read, so nothing slips between the two).
 */
export async function incoming (page: Page, peer: string, text: string, timeoutMs = 30_000): Promise<MessageRecord> {
  return page.evaluate(async ({ peer, text, timeoutMs }) => {
    const messenger = window.parley!.messenger
    const matches = (m: MessageRecord): boolean => m.direction === 'in' && m.peer === peer && m.text === text
    return new Promise<MessageRecord>((resolve, reject) => {
      const finish = (m: MessageRecord): void => {
        clearTimeout(timer)
        messenger.removeEventListener('message', listener)
        resolve(m)
      }
      const listener = (evt: CustomEvent<MessageRecord>): void => { if (matches(evt.detail)) finish(evt.detail) }
      const timer = setTimeout(() => {
        messenger.removeEventListener('message', listener)
        reject(new Error(`no message "${text}" from ${peer} after ${timeoutMs} ms`))
      }, timeoutMs)
      messenger.addEventListener('message', listener)
      messenger.history({ peer }).then(list => {
        const found = list.find(matches)
        if (found != null) finish(found)
      }, reject)
    })
  }, { peer, text, timeoutMs })
}

/** Sends from the page through its messenger; resolves with the record after the first attempt */
export async function send (page: Page, peer: string, text: string): Promise<MessageRecord> {
  return page.evaluate(async ({ peer, text }) => window.parley!.messenger.send(peer, text), { peer, text })
}

export interface ConnectionInfo {
  address: string
  /** Relayed connections carry limits (time, bytes) */
  limited: boolean
  /** Protocols of the streams open on it now */
  protocols: string[]
}

/** The page's open connections to `peer` */
export async function connectionsTo (page: Page, peer: string): Promise<ConnectionInfo[]> {
  return page.evaluate((peer) => window.parley!.node.getConnections()
    .filter(c => c.remotePeer.toString() === peer && c.status === 'open')
    .map(c => ({ address: c.remoteAddr.toString(), limited: c.limits != null, protocols: c.streams.map(s => s.protocol ?? '') })), peer)
}

/** Resolves once the page's outgoing message `id` has `status` (from history, else on its `status` events) */
export async function outgoingStatus (page: Page, id: string, status: string, timeoutMs = 60_000): Promise<void> {
  await page.evaluate(async ({ id, status, timeoutMs }) => {
    const messenger = window.parley!.messenger
    await new Promise<void>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer)
        messenger.removeEventListener('status', listener)
        resolve()
      }
      const listener = (evt: CustomEvent<MessageRecord>): void => { if (evt.detail.id === id && evt.detail.status === status) finish() }
      const timer = setTimeout(() => {
        messenger.removeEventListener('status', listener)
        reject(new Error(`message ${id} not ${status} after ${timeoutMs} ms`))
      }, timeoutMs)
      messenger.addEventListener('status', listener)
      messenger.history().then(list => { if (list.find(m => m.id === id)?.status === status) finish() }, reject)
    })
  }, { id, status, timeoutMs })
}
