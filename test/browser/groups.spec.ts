import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { untilAsync, waitForEvent } from '../helpers/events.ts'
import { chatRow, messageAction, messageWith, typeAndSend } from './helpers/ui.ts'
import { printPageLogsOnFailure, WebNetwork } from './helpers/web-network.ts'
import type { Parley } from '../../src/parley.ts'
import type { MessageRecord, TransferRecord } from '../../src/storage/types.ts'

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

const NAMES = ['Nadia', 'Omar', 'Priya', 'Quinn']

/**
 * A group of five: a page, whose user makes the group in the web app, and four Node users. What
 * each sends reaches all the others; the page shows who wrote what, counts who its messages
 * reached and who read them, reacts, and sees the members.
 */
describe('web app: groups (headless Chromium)', function () {
  this.timeout(240_000)
  const net = new WebNetwork()

  before(async () => { await net.start() })
  after(async () => { await net.stop() })
  printPageLogsOnFailure(net)

  /** Resolves once `node` holds a message of the group that `check` accepts */
  async function groupRecord (node: Parley, group: string, check: (m: MessageRecord) => boolean, what: string): Promise<MessageRecord> {
    let found: MessageRecord | undefined
    await untilAsync(node.groupMessaging, ['message', 'status', 'changed'], async () => {
      found = (await node.messenger.history()).find(m => m.conversation === group && check(m))
      return found != null
    }, 60_000, what)
    return found!
  }

  it('a page makes a group of five in the app; messages go both ways with senders, counts, reactions and members', async () => {
    const page = await net.open(await net.profile())
    const p = page.page
    const nodes = await Promise.all(NAMES.map(async () => net.node()))
    const ids = nodes.map(n => n.peerId.toString())
    for (const node of nodes) await node.messenger.addContact(page.peerId, 'Webb')
    await p.evaluate(async (contacts) => {
      for (const [peer, name] of contacts) await window.parley!.messenger.addContact(peer, name)
    }, ids.map((id, i) => [id, NAMES[i]]))

    // the new-chat panel's group form: a name, and the four contacts ticked
    await p.click('.new-chat')
    await p.fill('.new-group input[name=group-name]', 'Climbers')
    for (const id of ids) await p.check(`.new-group input[name=member][value="${id}"]`)
    await p.click('.new-group button[type=submit]')
    const groupRow = p.locator('.chats .chat[data-group="true"]')
    await groupRow.waitFor()
    const group = (await groupRow.getAttribute('data-peer'))!
    await p.waitForSelector(`.chat.active[data-peer="${group}"]`)
    assert.equal(await groupRow.locator('.chat-name').textContent(), 'Climbers')
    assert.equal(await p.locator('.conversation-header .peer-name').textContent(), 'Climbers')
    await p.locator('.conversation-header .member-count', { hasText: '5 members' }).waitFor()

    // every Node member holds the group, the page its admin
    for (const node of nodes) {
      await untilAsync(node.groups, ['group'], async () => (await node.groups.get(group).catch(() => undefined))?.members.length === 5, 30_000, 'a member to get the group')
      assert.deepEqual((await node.groups.get(group)).admins, [page.peerId])
    }

    // a Node member writes: the page shows it with her name
    await nodes[0].groupMessaging.send(group, 'Anyone for the north face?')
    const hers = messageWith(p, 'Anyone for the north face?')
    await hers.waitFor({ timeout: 60_000 })
    assert.equal(await hers.locator('.sender').textContent(), 'Nadia')
    await groupRow.locator('.chat-preview', { hasText: 'Nadia: Anyone for the north face?' }).waitFor()

    // the page writes: all four read it, and the page counts them as they do
    await typeAndSend(p, 'Count me in')
    const mine = messageWith(p, 'Count me in')
    await mine.waitFor()
    const id = (await mine.getAttribute('data-id'))!
    for (const node of nodes) await groupRecord(node, group, m => m.id === id && m.peer === page.peerId, 'the page\'s message at a member')
    await mine.locator('.counts[data-delivered="4"]').waitFor({ timeout: 60_000 })
    await nodes[1].groupMessaging.markRead(group)
    await mine.locator('.counts[data-read="1"]').waitFor({ timeout: 60_000 })

    // a reaction from the page reaches Nadia, on her message
    await messageAction(hers, 'react')
    await hers.locator('.reaction-picker .pick[data-emoji="👍"]').click()
    const nadias = (await hers.getAttribute('data-id'))!
    await groupRecord(nodes[0], group, m => m.id === nadias && m.reactions?.[page.peerId] === '👍', 'the page\'s 👍 on Nadia\'s message')

    // a file from the page: every member fetches it from the page, byte-identical
    const picture = randomBytes(300_000)
    const fetched = nodes.map(async node => waitForEvent<TransferRecord>(node.files!, 'transfer', t => t.group === group && t.name === 'topo.png' && t.state === 'done', 60_000))
    await p.setInputFiles('.composer input[type=file]', { name: 'topo.png', mimeType: 'image/png', buffer: picture })
    for (const done of await Promise.all(fetched)) {
      assert.equal(sha256(await readFile(done.path)), sha256(picture))
      await p.waitForSelector(`.file[data-transfer="${done.id}"][data-direction="out"]`)
      assert.match((await p.textContent(`.file[data-transfer="${done.id}"] .file-state`))!, /shared with the group/)
    }
    // and one from a member: the page fetches it from her
    const notes = randomBytes(70_000)
    const dir = await mkdtemp(join(tmpdir(), 'parley-group-file-'))
    try {
      await writeFile(join(dir, 'route.txt'), notes)
      const { transfer } = await nodes[2].files!.sendToGroup(group, join(dir, 'route.txt'))
      await p.waitForSelector(`.file[data-transfer="${transfer.id}"][data-direction="in"][data-state="done"]`, { timeout: 60_000 })
      const held = await p.evaluate(async (id) => new Uint8Array(await (await window.parley!.files!.blob(id)).arrayBuffer()).length, transfer.id)
      assert.equal(held, notes.byteLength)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }

    // the members, as the page lists them
    await p.click('.conversation-header .show-members')
    await p.locator('.group-members .member-list li').nth(4).waitFor()
    const listed = await p.locator('.group-members .member-list li').allTextContents()
    assert.deepEqual(listed.map(t => t.replace(' admin', '').replace(/ ?Not verified.*$/, '')).sort(), ['You', ...NAMES].sort())
    // each member's safety-number state, and the number on demand: the one her node computes with the page
    const omar = p.locator(`.group-members .member-list li[data-peer="${ids[1]}"]`)
    assert.equal(await omar.locator('.verify-state').getAttribute('data-verified'), 'false')
    await omar.locator('.member-safety-toggle').click()
    await omar.locator('.member-safety', { hasText: /\d/ }).waitFor()
    assert.equal(await omar.locator('.member-safety').textContent(), await nodes[1].messenger.safetyNumber(page.peerId))
    // the list drawn again (a contact renamed, as any contact change does) keeps the number shown
    await p.evaluate(async (peer) => { await window.parley!.messenger.addContact(peer, 'Quinn the second') }, ids[3])
    await p.locator(`.group-members .member-list li[data-peer="${ids[3]}"]`, { hasText: 'Quinn the second' }).waitFor()
    assert.equal(await omar.locator('.member-safety').textContent(), await nodes[1].messenger.safetyNumber(page.peerId))
    assert.equal(await omar.locator('.mark-verified').isVisible(), true)
    // compared: marked, kept by the page's node, and shown again when the list is drawn again
    await omar.locator('.mark-verified', { hasText: 'Mark as verified' }).click()
    await omar.locator('.verify-state[data-verified="true"]').waitFor()
    assert.deepEqual(await p.evaluate(async () => (await window.parley!.messenger.verifiedPeers()).map(v => v.peerId)), [ids[1]])
    await p.click('.conversation-header .show-members')
    await p.click('.conversation-header .show-members')
    await p.locator(`.group-members .member-list li[data-peer="${ids[1]}"] .verify-state[data-verified="true"]`).waitFor()
    assert.equal(await p.locator('.group-members .verify-state[data-verified="true"]').count(), 1, 'only Omar is verified')
    assert.equal(await chatRow(p, group).getAttribute('data-group'), 'true')
    await net.close(page)
  })
})
