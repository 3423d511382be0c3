import assert from 'node:assert/strict'
import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { untilAsync } from '../helpers/events.ts'
import { png } from './helpers/media.ts'
import { chatRow, messageAction, messageWith, startChat, typeAndSend } from './helpers/ui.ts'
import { printPageLogsOnFailure, WebNetwork } from './helpers/web-network.ts'
import type { Page } from 'playwright-core'

/**
 * Where the screenshots are kept for reviewers: written there only when asked
 * (`PARLEY_UPDATE_SCREENSHOTS=1 npx mocha test/browser/layout.spec.ts`), so that a test run never
 * changes the checkout; every run keeps its own copies in a temporary directory
 */
const DOCS_SCREENSHOTS = process.env.PARLEY_UPDATE_SCREENSHOTS === '1' ? join(import.meta.dirname, '../../docs/screenshots') : undefined

const PHONE = { width: 375, height: 740 }
const DESKTOP = { width: 1280, height: 900 }

/**
 * Asserts each selector's first element is visible and lies within the viewport's width (and,
 * with `whole`, its height too), and that the page does not scroll sideways
 */
async function fitsViewport (page: Page, selectors: string[], whole = false): Promise<void> {
  const { width, height } = page.viewportSize()!
  for (const selector of selectors) {
    const el = page.locator(selector).first()
    assert.ok(await el.isVisible(), `${selector} is visible at ${width} px`)
    const box = (await el.boundingBox())!
    assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `${selector} at x ${box.x}..${box.x + box.width} is within ${width} px`)
    if (whole) assert.ok(box.y >= 0 && box.y + box.height <= height + 0.5, `${selector} at y ${box.y}..${box.y + box.height} is within ${height} px`)
  }
  const overflow = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }))
  assert.ok(overflow.scroll <= overflow.inner, `no sideways scrolling: ${overflow.scroll} > ${overflow.inner}`)
}

describe('web app: layout on a phone and a desktop (headless Chromium)', function () {
  this.timeout(180_000)
  const net = new WebNetwork()
  let shots: string

  before(async () => {
    await net.start()
    shots = await net.dirs.make('parley-screenshots-')
    if (DOCS_SCREENSHOTS != null) await mkdir(DOCS_SCREENSHOTS, { recursive: true })
  })
  after(async () => { await net.stop() })
  printPageLogsOnFailure(net)

  async function screenshot (page: Page, name: string): Promise<void> {
    const path = join(shots, `${name}.png`)
    // the pointer out of the way, so no message shows its hover actions by chance
    await page.mouse.move(0, 0)
    await page.screenshot({ path })
    if (DOCS_SCREENSHOTS != null) await copyFile(path, join(DOCS_SCREENSHOTS, `${name}.png`))
  }

  it('shows the chats and a conversation with a reply, reactions and a picture, at 1280 and 375 px wide', async () => {
    const page = await net.open(await net.profile())
    const { page: p } = page
    const nadia = await net.node()
    const omar = await net.node()
    const nadiaId = nadia.peerId.toString()
    const omarId = omar.peerId.toString()
    await nadia.messenger.addContact(page.peerId, 'Sam')
    await omar.messenger.addContact(page.peerId, 'Sam')
    await p.evaluate(async (peer) => { await window.parley!.messenger.addContact(peer, 'Omar Haddad') }, omarId)
    await startChat(p, nadiaId, 'Nadia Petrova')

    // a conversation as people have them: a question, a reply to it, reactions, a picture
    const question = await nadia.messenger.send(page.peerId, 'Are we still on for the hike on Saturday?')
    const theirs = messageWith(p, 'still on for the hike')
    await theirs.waitFor()
    await messageAction(theirs, 'reply')
    await typeAndSend(p, 'Yes! I\'ll bring the map and something to eat.')
    const reply = messageWith(p, 'bring the map')
    await reply.locator('.quote').waitFor()
    await messageAction(theirs, 'react')
    await theirs.locator('.pick[data-emoji="❤️"]').click()
    const replyId = (await reply.getAttribute('data-id'))!
    await nadia.messenger.react(page.peerId, { id: replyId, author: page.peerId }, '👍')
    await reply.locator('.reaction[data-emoji="👍"]').waitFor()
    const view = png(480, 270, (x, y) => {
      // a sky over hills
      const hill = y > 170 + 40 * Math.sin(x / 60)
      return hill ? [40 + y / 6, 110 + y / 5, 60] : [110 + y / 3, 160 + y / 4, 235]
    })
    await nadia.files!.sendBlob(page.peerId, new Blob([view], { type: 'image/png' }), { name: 'ridge.png' })
    await nadia.messenger.send(page.peerId, 'The view from the ridge last time 🏔️')
    await p.locator('.message.in .media img').waitFor({ timeout: 60_000 })
    await p.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.media img')].every(img => img.complete && img.naturalWidth > 0))
    await messageWith(p, 'The view from the ridge').waitFor()
    await typeAndSend(p, 'Beautiful. Can\'t wait!')
    const lastRow = messageWith(p, 'Beautiful')
    await lastRow.waitFor()
    const last = (await lastRow.getAttribute('data-id'))!
    await untilAsync(nadia.messenger, ['message'], async () => (await nadia.messenger.history({ peer: page.peerId })).some(m => m.id === last), 30_000, 'the last message')
    await nadia.messenger.markRead(page.peerId)
    await p.locator(`.message[data-id="${last}"][data-status="read"]`).waitFor({ timeout: 30_000 })
    // and another chat, unread
    await omar.messenger.send(page.peerId, 'Did the photos from the trip arrive?')
    await p.waitForSelector(`.chats .chat[data-peer="${omarId}"][data-unread="1"]`)
    assert.ok(question.status === 'delivered')

    const conversationParts = ['.conversation-header .peer-name', '.conversation-header select.timer', '.conversation-header .show-safety',
      '.message .quote', '.reactions .reaction', '.message.in .media img', '.composer textarea', '.composer .send', '.composer .attach']
    const frame = ['.topbar .brand-name', '.topbar .status-dot', '.topbar .open-invite', '.topbar .open-connection', '.topbar .open-settings']

    // a desktop: the list and the conversation side by side
    await p.setViewportSize(DESKTOP)
    await p.locator('.messages').evaluate(el => { el.scrollTop = el.scrollHeight })
    await fitsViewport(p, [...frame, '.new-chat', `.chats .chat[data-peer="${omarId}"] .badge`, `.chats .chat[data-peer="${nadiaId}"] .chat-preview`], true)
    await fitsViewport(p, conversationParts)
    await fitsViewport(p, ['.composer textarea', '.conversation-header'], true)
    assert.ok(await p.locator('.conversation-header .back').isHidden(), 'no back button beside the list')
    await screenshot(p, 'desktop-conversation')

    // a phone: the conversation alone, with a way back
    await p.setViewportSize(PHONE)
    await p.locator('.messages').evaluate(el => { el.scrollTop = el.scrollHeight })
    assert.ok(await p.locator('.sidebar').isHidden(), 'the list makes room')
    await fitsViewport(p, [...frame, '.conversation-header .back', ...conversationParts])
    await fitsViewport(p, ['.conversation-header', '.composer textarea', '.composer .send'], true)
    await screenshot(p, 'phone-conversation')
    // a tap on a message shows its actions, within the screen
    await messageAction(reply, 'react')
    await fitsViewport(p, [`.message[data-id="${replyId}"] .actions .reply`, `.message[data-id="${replyId}"] .actions .delete`, `.message[data-id="${replyId}"] .reaction-picker .pick:last-child`])
    await screenshot(p, 'phone-message-actions')
    await reply.locator('.actions .react').click()

    // back to the list
    await p.click('.conversation-header .back')
    await p.locator('.sidebar').waitFor()
    assert.ok(await p.locator('.conversation').isHidden(), 'the conversation makes room')
    await fitsViewport(p, [...frame, '.new-chat', `.chats .chat[data-peer="${omarId}"] .badge`, `.chats .chat[data-peer="${nadiaId}"] .chat-time`], true)
    await screenshot(p, 'phone-chats')

    // the panels fit too
    await p.click('.topbar .open-invite')
    await fitsViewport(p, ['.invite-panel .qr img', '.invite-panel .close', '.invite-panel .copy'])
    await screenshot(p, 'phone-invite')
    await p.click('.invite-panel .close')
    await p.click('.topbar .open-settings')
    await fitsViewport(p, ['.settings input[name=readReceipts]', '.settings .enable-notifications'], true)
    await screenshot(p, 'phone-settings')
    await p.click('.settings-panel .close')

    // opening a chat from the list on a phone shows it alone; reading it clears the badge
    await chatRow(p, omarId).click()
    await messageWith(p, 'photos from the trip').waitFor()
    assert.ok(await p.locator('.sidebar').isHidden())
    await p.setViewportSize(DESKTOP)
    await p.waitForSelector(`.chats .chat[data-peer="${omarId}"][data-unread="0"]`)
    await p.click('.topbar .open-connection')
    await fitsViewport(p, ['.connection-panel .reservation'], true)
    await screenshot(p, 'desktop-connection')
    await net.close(page)
  })
})
