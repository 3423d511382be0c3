import assert from 'node:assert/strict'
import { untilAsync, waitForEvent } from '../helpers/events.ts'
import { incoming, outgoingStatus, send } from './helpers/browser.ts'
import { printPageLogsOnFailure, WebNetwork } from './helpers/web-network.ts'
import type { MessageRecord } from '../../src/storage/types.ts'

/** Low stamps keep the test quick; test/integration/mailbox.spec.ts covers stamps themselves */
const STAMP_BITS = 8

describe('browser node: mailbox (headless Chromium)', function () {
  this.timeout(120_000)
  const net = new WebNetwork()

  // relays are the mailbox storers, as outside tests
  before(async () => { await net.start({ relays: 3, mailboxes: true }) })
  after(async () => { await net.stop() })
  printPageLogsOnFailure(net)

  it('a page that was closed gets its mail when reopened (IndexedDB kept)', async () => {
    const profile = await net.profile()
    const node = await net.node({ messenger: { stampBits: STAMP_BITS } })
    const nodeId = node.peerId.toString()
    let page = await net.open(profile)
    const pageId = page.peerId
    // they know each other: the page accepts the node, and a first exchange sets up the session
    await page.page.evaluate(async (peer) => { await window.parley!.messenger.addContact(peer, 'Node') }, nodeId)
    assert.equal((await send(page.page, nodeId, 'before closing')).status, 'delivered')

    await net.close(page)
    const texts = ['while you were away', 'and one more']
    for (const text of texts) {
      const sent = await node.messenger.send(pageId, text)
      assert.equal(sent.status, 'stored', `"${text}" went to the mailbox storers`)
      assert.ok((sent.holders?.length ?? 0) > 0)
    }
    const delivered = Promise.all(texts.map(async text => waitForEvent<MessageRecord>(node.messenger, 'status', m => m.text === text && m.status === 'delivered', 60_000)))

    page = await net.open(profile)
    assert.equal(page.peerId, pageId, 'the same identity from IndexedDB')
    for (const text of texts) await incoming(page.page, nodeId, text)
    const history = await page.page.evaluate(async (peer) => (await window.parley!.messenger.history({ peer })).map(m => m.text), nodeId)
    assert.deepEqual(history, ['before closing', ...texts], 'each message once, in order, after the earlier history')
    // the page's end-to-end receipts reach the sender
    await delivered
  })

  it('a page leaves mail for a Node node that is offline, which gets it when it returns', async () => {
    const dataDir = await net.dirs.make()
    let node = await net.node({ dataDir, messenger: { stampBits: STAMP_BITS } })
    const nodeId = node.peerId.toString()
    const page = await net.open(await net.profile())
    assert.equal((await send(page.page, nodeId, 'are you there?')).status, 'delivered')
    assert.equal((await node.messenger.send(page.peerId, 'yes')).status, 'delivered')
    await incoming(page.page, nodeId, 'yes')

    await net.stopNode(node)
    const stored = await send(page.page, nodeId, 'left in your mailbox')
    assert.equal(stored.status, 'stored', 'the page deposited it with the relays')
    assert.ok((stored.holders?.length ?? 0) > 0)

    node = await net.node({ dataDir, messenger: { stampBits: STAMP_BITS } })
    await untilAsync(node.messenger, ['message'], async () => (await node.messenger.history({ peer: page.peerId })).some(m => m.text === 'left in your mailbox'), 60_000, 'the mail')
    // and the node's end-to-end receipt turns the page's message delivered
    await outgoingStatus(page.page, stored.id, 'delivered')
    await net.close(page)
  })
})
