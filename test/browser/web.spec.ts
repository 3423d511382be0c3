import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { waitForEvent } from '../helpers/events.ts'
import { connectionsTo, incoming, send } from './helpers/browser.ts'
import { printPageLogsOnFailure, WebNetwork } from './helpers/web-network.ts'
import { openChat, startChat } from './helpers/ui.ts'
import type { MessageRecord } from '../../src/storage/types.ts'

const CHAT = '/parley/chat/1.0.0'

describe('browser node (headless Chromium)', function () {
  this.timeout(120_000)
  const net = new WebNetwork()

  before(async () => { await net.start() })
  after(async () => { await net.stop() })
  printPageLogsOnFailure(net)

  it('two pages chat over a direct WebRTC connection', async () => {
    const alice = await net.open(await net.profile())
    const bob = await net.open(await net.profile())

    // pages answer no DHT queries (nobody can dial them directly), even in LAN mode
    assert.equal(await alice.page.evaluate(() => window.parley!.node.services.dht.getMode()), 'client')

    const sent = await send(alice.page, bob.peerId, 'hello from a page')
    assert.equal(sent.status, 'delivered')
    await incoming(bob.page, alice.peerId, 'hello from a page')
    const reply = await send(bob.page, alice.peerId, 'hello back')
    assert.equal(reply.status, 'delivered')
    await incoming(alice.page, bob.peerId, 'hello back')

    // the first contact goes through the relay (its plain relayed address is dialled first);
    // the page that dialled then upgrades to WebRTC and closes the relayed connection
    for (const [from, to] of [[alice, bob], [bob, alice]]) {
      await from.page.waitForFunction((peer) => {
        const conns = window.parley!.node.getConnections().filter(c => c.remotePeer.toString() === peer && c.status === 'open')
        return conns.length > 0 && conns.every(c => c.limits == null)
      }, to.peerId, { timeout: 30_000 })
    }
    assert.equal((await send(alice.page, bob.peerId, 'now direct')).status, 'delivered')
    assert.equal((await send(bob.page, alice.peerId, 'direct too')).status, 'delivered')

    // on both sides the chat streams run on a WebRTC connection between the pages, not through the relay
    for (const [from, to] of [[alice, bob], [bob, alice]]) {
      const conns = await connectionsTo(from.page, to.peerId)
      const chatOn = conns.filter(c => c.protocols.includes(CHAT))
      assert.ok(chatOn.length > 0, `no chat stream to ${to.peerId}: ${JSON.stringify(conns)}`)
      for (const c of chatOn) {
        assert.equal(c.limited, false, `chat on a limited (relayed) connection: ${c.address}`)
        // the dialer sees <relay>/p2p-circuit/webrtc/p2p/<peer> (where signalling went), the other side /webrtc/p2p/<peer>
        assert.match(c.address, /\/webrtc\/p2p\/[^/]+$/, `a WebRTC connection: ${c.address}`)
      }
    }
    await net.close(alice)
    await net.close(bob)
  })

  it('a page and a Node node chat both ways', async () => {
    const page = await net.open(await net.profile())
    const node = await net.node()

    const out = await send(page.page, node.peerId.toString(), 'from the browser')
    assert.equal(out.status, 'delivered')
    const arrived = await node.messenger.history({ peer: page.peerId })
    assert.deepEqual(arrived.map(m => m.text), ['from the browser'])

    const back = await node.messenger.send(page.peerId, 'from node')
    assert.equal(back.status, 'delivered')
    await incoming(page.page, node.peerId.toString(), 'from node')

    // the page upgrades to WebRTC and closes the relayed connection once the messages under way
    // on it are done; the chat that follows runs on the direct connection
    await page.page.waitForFunction((peer) => {
      const conns = window.parley!.node.getConnections().filter(c => c.remotePeer.toString() === peer && c.status === 'open')
      return conns.length > 0 && conns.every(c => c.limits == null)
    }, node.peerId.toString(), { timeout: 30_000 })
    assert.equal((await send(page.page, node.peerId.toString(), 'direct from the browser')).status, 'delivered')
    assert.equal((await node.messenger.send(page.peerId, 'direct from node')).status, 'delivered')
    const conns = await connectionsTo(page.page, node.peerId.toString())
    assert.ok(conns.some(c => !c.limited && c.protocols.includes(CHAT)), `chat went through the relay: ${JSON.stringify(conns)}`)
    await net.close(page)
  })

  it('a page reaches a relay over WebRTC-Direct alone (certhash, no domain certificate)', async () => {
    const server = await net.serve('/webrtc-direct/')
    const page = await net.open(await net.profile(), server)
    const conns = await connectionsTo(page.page, net.relays[0].peerId.toString())
    assert.ok(conns.some(c => c.address.includes('/webrtc-direct/certhash/')), JSON.stringify(conns))
    await net.close(page)
  })

  it('keeps identity and history across a reload, and shows the conversation', async () => {
    const page = await net.open(await net.profile())
    const node = await net.node()
    const { page: p } = page

    // through the UI: add the Node user as a contact, open the conversation, type and send
    await startChat(p, node.peerId.toString(), 'Nadia')
    await p.fill('.composer textarea', 'Hi Nadia, this is the web app')
    await p.press('.composer textarea', 'Enter')
    await p.waitForSelector('.message.out[data-status="delivered"]', { timeout: 30_000 })
    const reply = waitForEvent<MessageRecord>(node.messenger, 'status', m => m.text === 'Hello from the command line' && m.status === 'delivered', 30_000)
    await node.messenger.send(page.peerId, 'Hello from the command line')
    await reply
    await p.waitForSelector('.message.in >> text=Hello from the command line', { timeout: 30_000 })

    await p.reload()
    await p.waitForSelector('body[data-state="ready"]')
    assert.equal(await p.evaluate(() => window.parley!.peerId.toString()), page.peerId, 'same identity after reload')
    await openChat(p, node.peerId.toString())
    await p.waitForSelector('.message.out[data-status="delivered"] >> text=Hi Nadia, this is the web app')
    await p.waitForSelector('.message.in >> text=Hello from the command line')
    const texts = await p.locator('.message').allTextContents()
    assert.ok(texts.some(t => t.startsWith('Hi Nadia, this is the web app')), `history after reload: ${texts.join(' | ')}`)
    assert.ok(texts.some(t => t.startsWith('Hello from the command line')), `history after reload: ${texts.join(' | ')}`)
    assert.ok(await p.locator('.messages').getByText('Hello from the command line').isVisible())
    assert.ok(await p.locator('.messages').getByText('Hi Nadia, this is the web app').isVisible())
    // the connection panel shows the contact on a direct (WebRTC) connection, not only the relayed one
    await p.click('.open-connection')
    await p.waitForSelector(`.peers .peer[data-peer="${node.peerId.toString()}"][data-kind="direct"]`, { timeout: 30_000 })
    await p.click('.connection-panel .close')

    // the safety number the page shows is the one the Node side computes
    await p.click('.show-safety')
    await p.waitForSelector('.safety:not(:empty)')
    const shown = (await p.textContent('.safety'))!.replace(/\s/g, '')
    assert.equal(shown, (await node.messenger.safetyNumber(page.peerId)).replace(/\s/g, ''))
    // compared in person: marked as verified, shown in the header, and cleared again
    assert.equal(await p.getAttribute('.conversation-header .verify-state', 'data-verified'), 'false')
    await p.click('.conversation-header .mark-verified')
    await p.waitForSelector('.conversation-header .verify-state[data-verified="true"]')
    assert.equal(await p.evaluate(async (peer) => (await window.parley!.messenger.verification(peer)).verified, node.peerId.toString()), true)
    await p.click('.conversation-header .mark-verified')
    await p.waitForSelector('.conversation-header .verify-state[data-verified="false"]')

    const shots = join(import.meta.dirname, '../../dist/screenshots')
    await mkdir(shots, { recursive: true })
    await p.screenshot({ path: join(shots, 'conversation.png') })

    // a second tab on the same profile does not start a second node under the same identity
    const second = await page.context.newPage()
    await second.goto(net.server.url)
    await second.waitForSelector('body[data-state="failed"]')
    assert.match((await second.textContent('#app'))!, /already open in another tab/)
    await second.close()
    await net.close(page)
  })

  it('shows a stranger\'s message as a request, and accepting it adds the contact', async () => {
    const page = await net.open(await net.profile())
    const { page: p } = page
    const stranger = await net.node({ messenger: { stampBits: 8 } })
    const id = stranger.peerId.toString()
    assert.equal((await stranger.messenger.send(page.peerId, 'hi, we have not met')).status, 'delivered')
    const request = p.locator(`.requests .request[data-peer="${id}"]`)
    await request.waitFor({ timeout: 30_000 })
    await request.locator('input').fill('Stranger')
    await request.locator('button[type=submit]').click()
    await p.waitForSelector(`.chats .chat[data-peer="${id}"] >> text=Stranger`)
    await request.waitFor({ state: 'detached' })
    assert.deepEqual(await p.evaluate(async () => (await window.parley!.messenger.requests()).length), 0)
    await net.close(page)
  })

  it('an invite link opens the add-contact form with the inviter filled in', async () => {
    const inviter = await net.open(await net.profile())
    const link = await inviter.page.getAttribute('.invite-link', 'href')
    assert.ok(link?.endsWith(`#invite=${inviter.peerId}`), `invite link ${link}`)
    const invited = await net.open(await net.profile(), net.server, new URL(link!).hash)
    assert.equal(await invited.page.inputValue('.add-contact input[name=peer]'), inviter.peerId)
    // the new-chat form is open with it, ready for a name
    assert.ok(await invited.page.locator('.add-contact input[name=name]').isVisible())
    await net.close(inviter)
    await net.close(invited)
  })
})
