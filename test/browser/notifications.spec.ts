import assert from 'node:assert/strict'
import { untilAsync } from '../helpers/events.ts'
import { chatRow, messageWith, openChat } from './helpers/ui.ts'
import { printPageLogsOnFailure, WebNetwork } from './helpers/web-network.ts'
import type { OpenPage } from './helpers/web-network.ts'
import type { Parley } from '../../src/parley.ts'
import type { BrowserContext, Page } from 'playwright-core'

interface Recorded {
  title: string
  body?: string
  tag?: string
}

declare global {
  interface Window {
    /** Notifications the page made (recorded by the test's init script), and permission requests */
    notificationsMade?: Array<Recorded & { notification: Notification }>
    permissionRequests?: number
  }
}

/** Wraps the page's Notification before the app loads: every notification made and every permission request is recorded */
async function recordNotifications (context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const made: Array<Recorded & { notification: Notification }> = []
    window.notificationsMade = made
    window.permissionRequests = 0
    const Real = window.Notification
    const requestPermission = Real.requestPermission.bind(Real)
    window.Notification = new Proxy(Real, {
      construct (target, args: [string, NotificationOptions?]) {
        const notification = new target(...args)
        made.push({ title: args[0], body: args[1]?.body, tag: args[1]?.tag, notification })
        return notification
      },
      get (target, key) {
        if (key === 'requestPermission') {
          return async () => {
            window.permissionRequests!++
            return requestPermission()
          }
        }
        return Reflect.get(target, key)
      }
    })
  })
}

/** Makes the page believe its tab is in the background, or in front again */
async function setHidden (page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, 'visibilityState', { value: hidden ? 'hidden' : 'visible', configurable: true })
    Object.defineProperty(document, 'hidden', { value: hidden, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  }, hidden)
}

const made = async (page: Page): Promise<Recorded[]> => page.evaluate(() => window.notificationsMade!.map(({ title, body, tag }) => ({ title, body, tag })))

describe('web app: desktop notifications (headless Chromium)', function () {
  this.timeout(120_000)
  const net = new WebNetwork()

  before(async () => { await net.start() })
  after(async () => { await net.stop() })
  printPageLogsOnFailure(net)

  /** A page recording its notifications, and a Node node, Nadia, each the other's contact */
  const pageAndNadia = async (): Promise<{ page: OpenPage, p: Page, context: BrowserContext, node: Parley, nodeId: string }> => {
    const page = await net.open(await net.profile(), net.server, '', { prepare: recordNotifications })
    const node = await net.node()
    const nodeId = node.peerId.toString()
    await node.messenger.addContact(page.peerId, 'Webb')
    await page.page.evaluate(async (peer) => { await window.parley!.messenger.addContact(peer, 'Nadia') }, nodeId)
    return { page, p: page.page, context: page.context, node, nodeId }
  }

  it('asks only when the user enables them, then notifies of messages while the tab is hidden; a click opens the chat', async () => {
    const { page, p, context, node, nodeId } = await pageAndNadia()

    // the page never asks by itself; the settings offer it
    assert.equal(await p.evaluate(() => window.permissionRequests), 0)
    await p.click('.open-settings')
    const enable = p.locator('.settings button.enable-notifications')
    assert.ok(await enable.isVisible())
    assert.match((await p.textContent('.notification-state'))!, /^Off/)
    // the user says yes in the browser's prompt
    await context.grantPermissions(['notifications'], { origin: new URL(net.server.url).origin })
    await enable.click()
    await p.locator('.notification-state', { hasText: /^On/ }).waitFor()
    assert.ok(await enable.isHidden())
    assert.equal(await p.evaluate(() => window.permissionRequests), 1)
    await p.click('.settings-panel .close')

    // in front: no notification (the list shows it)
    await node.messenger.send(page.peerId, 'Are you reading this?')
    await chatRow(p, nodeId).locator('.chat-preview', { hasText: 'Are you reading this?' }).waitFor()
    assert.deepEqual(await made(p), [])

    // the conversation is open, but the tab is hidden: a notification, and the message stays unread
    await openChat(p, nodeId)
    // opening reads the first message once its history is loaded: hidden before that, it would stay unread
    await p.waitForSelector(`.chats .chat[data-peer="${nodeId}"][data-unread="0"]`)
    await setHidden(p, true)
    await node.messenger.send(page.peerId, 'Dinner at 8? I booked the place by the river, the one with the long terrace')
    await p.waitForFunction(() => window.notificationsMade!.length === 1)
    const [shown] = await made(p)
    assert.equal(shown.title, 'Nadia')
    assert.ok(shown.body!.startsWith('Dinner at 8? I booked the place'), shown.body)
    assert.equal(shown.tag, nodeId)
    await p.waitForSelector(`.chats .chat[data-peer="${nodeId}"][data-unread="1"]`)
    assert.ok((await node.messenger.history({ peer: page.peerId })).some(m => m.text.startsWith('Dinner') && m.status === 'delivered'), 'not read while hidden')
    // back to the tab: what arrived in the open conversation is read
    await setHidden(p, false)
    await p.waitForSelector(`.chats .chat[data-peer="${nodeId}"][data-unread="0"]`)
    await untilAsync(node.messenger, ['status'], async () => (await node.messenger.history({ peer: page.peerId })).every(m => m.status === 'read'), 30_000, 'Nadia\'s messages read')

    // another chat is open and the tab hidden: clicking the notification brings Nadia's forward
    const other = net.relays[0].peerId.toString()
    await p.evaluate(async (peer) => { await window.parley!.messenger.addContact(peer, 'Omar') }, other)
    await openChat(p, other)
    await setHidden(p, true)
    await node.messenger.send(page.peerId, 'Or 9?')
    await p.waitForFunction(() => window.notificationsMade!.length === 2)
    assert.deepEqual((await made(p))[1], { title: 'Nadia', body: 'Or 9?', tag: nodeId })
    await setHidden(p, false)
    await p.evaluate(() => { window.notificationsMade![1].notification.dispatchEvent(new Event('click')) })
    await p.waitForSelector(`.chat.active[data-peer="${nodeId}"]`)
    await messageWith(p, 'Or 9?').waitFor()
    await p.waitForSelector(`.chats .chat[data-peer="${nodeId}"][data-unread="0"]`)
    await net.close(page)
  })

  it('a call rings as a notification while the tab is hidden; once the caller gives up, the missed call is one too', async () => {
    const { page, p, context, node, nodeId } = await pageAndNadia()
    await context.grantPermissions(['notifications'], { origin: new URL(net.server.url).origin })
    await setHidden(p, true)

    const call = await node.calls.start(page.peerId, { video: true })
    await p.waitForFunction(() => window.notificationsMade!.length === 1)
    assert.deepEqual((await made(p))[0], { title: 'Nadia', body: 'Incoming video call', tag: `call-${call.id}` })
    await p.locator('.call-screen[open][data-state="ringing"]').waitFor()
    await node.calls.hangUp(call.id)
    await p.waitForFunction(() => window.notificationsMade!.length === 2)
    assert.deepEqual((await made(p))[1], { title: 'Nadia', body: 'Missed video call', tag: nodeId })
    await net.close(page)
  })
})
