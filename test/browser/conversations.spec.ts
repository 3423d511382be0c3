import assert from 'node:assert/strict'
import { untilAsync, waitForEvent } from '../helpers/events.ts'
import { chatRow, messageAction, messageWith, openChat, startChat, typeAndSend } from './helpers/ui.ts'
import { printPageLogsOnFailure, WebNetwork } from './helpers/web-network.ts'
import type { OpenPage } from './helpers/web-network.ts'
import type { Parley } from '../../src/parley.ts'
import type { MessageRecord } from '../../src/storage/types.ts'
import type { Page } from 'playwright-core'

/**
 * Short disappearing timers, allowed on both sides (the page through config.json's `timers`):
 * 5 s leaves time for a message to arrive and show before it goes
 */
const TIMERS = [0, 5, 30]

describe('web app: conversations (headless Chromium)', function () {
  this.timeout(180_000)
  const net = new WebNetwork()

  before(async () => { await net.start({ timers: TIMERS }) })
  after(async () => { await net.stop() })
  printPageLogsOnFailure(net)

  /** A page and a Node user (Nadia) who accepted each other; `open`: the page has her conversation open */
  async function pair (open = true): Promise<{ page: OpenPage, p: Page, node: Parley, nodeId: string }> {
    const page = await net.open(await net.profile())
    const node = await net.node({ messenger: { timers: TIMERS } })
    const nodeId = node.peerId.toString()
    await node.messenger.addContact(page.peerId, 'Webb')
    if (open) {
      await startChat(page.page, nodeId, 'Nadia')
    } else {
      await page.page.evaluate(async (peer) => { await window.parley!.messenger.addContact(peer, 'Nadia') }, nodeId)
    }
    return { page, p: page.page, node, nodeId }
  }

  /** Resolves once the node's stored message `id` (of either side) satisfies `check` */
  async function nodeRecord (node: Parley, peer: string, id: string, check: (m: MessageRecord) => boolean, what: string): Promise<MessageRecord> {
    let found: MessageRecord | undefined
    await untilAsync(node.messenger, ['message', 'status', 'changed'], async () => {
      found = (await node.messenger.history({ peer })).find(m => m.id === id && check(m))
      return found != null
    }, 30_000, what)
    return found!
  }

  it('lists chats with the last message, its time and the unread count; opening one reads it', async () => {
    const { page, p, node, nodeId } = await pair(false)
    // a contact without messages is in the list, ready to open
    await chatRow(p, nodeId).locator('.chat-preview', { hasText: 'No messages yet' }).waitFor()
    assert.equal(await chatRow(p, nodeId).locator('.chat-name').textContent(), 'Nadia')

    const first = await node.messenger.send(page.peerId, 'Are you around?')
    const second = await node.messenger.send(page.peerId, 'I have news about the trip\nand a question')
    assert.equal(second.status, 'delivered')
    const row = chatRow(p, nodeId)
    await p.waitForSelector(`.chats .chat[data-peer="${nodeId}"][data-unread="2"]`)
    assert.equal(await row.locator('.badge').textContent(), '2')
    // the newest message, on one line
    assert.equal(await row.locator('.chat-preview').textContent(), 'I have news about the trip and a question')
    assert.match((await row.locator('.chat-time').textContent())!, /\d{1,2}:\d{2}/)
    assert.equal(await p.title(), '(2) Parley')
    assert.ok((await node.messenger.history({ peer: page.peerId })).every(m => m.status === 'delivered'), 'not read before it is opened')

    // opening it reads both: the badge goes, and Nadia's messages turn read at her side
    const read = Promise.all([first, second].map(async m => nodeRecord(node, page.peerId, m.id, r => r.status === 'read', `"${m.text}" read`)))
    await openChat(p, nodeId)
    await p.waitForSelector(`.chats .chat[data-peer="${nodeId}"][data-unread="0"]`)
    assert.equal(await row.locator('.badge').count(), 0)
    await read
    assert.equal(await p.title(), 'Parley')

    // a message arriving in the open conversation, in view, is read at once
    const third = await node.messenger.send(page.peerId, 'Still there?')
    await messageWith(p, 'Still there?').waitFor()
    await nodeRecord(node, page.peerId, third.id, r => r.status === 'read', 'the third message read')
    assert.equal(await row.getAttribute('data-unread'), '0')

    // the list follows what the user sends, and the peer's reading shows as read
    await typeAndSend(p, 'Yes! Tell me')
    await row.locator('.chat-preview', { hasText: 'You: Yes! Tell me' }).waitFor()
    const mine = messageWith(p, 'Yes! Tell me')
    await p.waitForSelector('.message.out[data-status="delivered"] .status-delivered')
    assert.equal(await mine.locator('.status').textContent(), '✓✓')
    const colourOf = async (): Promise<string> => mine.locator('.status').evaluate(el => getComputedStyle(el).color)
    const delivered = await colourOf()
    await node.messenger.markRead(page.peerId)
    await mine.and(p.locator('[data-status="read"]')).waitFor({ timeout: 30_000 })
    assert.equal(await mine.locator('.status.status-read').getAttribute('title'), 'read')
    assert.notEqual(await colourOf(), delivered, 'read looks different from delivered')

    // what a peer sends is shown as text, never as markup
    const markup = '<img src=x onerror="document.title=\'owned\'"> <b>hi</b>'
    await node.messenger.send(page.peerId, markup)
    const shown = messageWith(p, '<b>hi</b>')
    await shown.waitFor()
    assert.equal(await shown.locator('.text').textContent(), markup)
    // the list's preview follows from the same event, drawn a moment after the conversation
    await row.locator('.chat-preview', { hasText: '<b>hi</b>' }).waitFor()
    assert.equal(await row.locator('.chat-preview').textContent(), markup)
    assert.equal(await p.locator('.messages img, .messages b, .chats img, .chats b').count(), 0)
    assert.equal(await p.title(), 'Parley')
    await net.close(page)
  })

  it('replies, reactions, edits and deletions, both ways', async () => {
    const { page, p, node, nodeId } = await pair()
    const question = await node.messenger.send(page.peerId, 'Shall we meet at noon?')
    const theirs = messageWith(p, 'Shall we meet at noon?')
    await theirs.waitFor()
    // only the user's own messages can be edited or deleted
    assert.equal(await theirs.locator('.actions button.edit, .actions button.delete').count(), 0)

    // a reply: the composer shows what it quotes, the sent message shows the quote
    await messageAction(theirs, 'reply')
    const context = p.locator('.composer-context')
    await context.waitFor()
    assert.match((await context.textContent())!, /Replying to Nadia.*Shall we meet at noon\?/)
    await typeAndSend(p, 'Noon works')
    const answer = messageWith(p, 'Noon works')
    await answer.waitFor()
    assert.ok(await context.isHidden(), 'the reply is done')
    assert.equal(await answer.locator('.quote .quote-author').textContent(), 'Nadia')
    assert.equal(await answer.locator('.quote .quote-text').textContent(), 'Shall we meet at noon?')
    const answerId = (await answer.getAttribute('data-id'))!
    const arrived = await nodeRecord(node, page.peerId, answerId, () => true, 'the reply at Nadia\'s')
    assert.deepEqual(arrived.replyTo, { id: question.id, author: nodeId })

    // Nadia's reply to it shows the quote too
    await node.messenger.send(page.peerId, 'Great, see you', { replyTo: { id: answerId, author: page.peerId } })
    const hers = messageWith(p, 'Great, see you')
    await hers.waitFor()
    assert.equal(await hers.locator('.quote .quote-author').textContent(), 'You')
    assert.equal(await hers.locator('.quote .quote-text').textContent(), 'Noon works')

    // a reaction from the picker, shown under the message; another replaces it (one per person)
    await messageAction(theirs, 'react')
    await theirs.locator('.reaction-picker .pick[data-emoji="👍"]').click()
    await theirs.locator('.reactions .reaction.mine[data-emoji="👍"]').waitFor()
    await nodeRecord(node, page.peerId, question.id, r => r.reactions?.[page.peerId] === '👍', 'the 👍 at Nadia\'s')
    await messageAction(theirs, 'react')
    await theirs.locator('.reaction-picker .pick[data-emoji="❤️"]').click()
    await theirs.locator('.reactions .reaction.mine[data-emoji="❤️"]').waitFor()
    assert.equal(await theirs.locator('.reactions .reaction').count(), 1, 'one reaction per person')
    await nodeRecord(node, page.peerId, question.id, r => r.reactions?.[page.peerId] === '❤️', 'the ❤️ replacing the 👍')
    // Nadia's reaction to the user's message
    await node.messenger.react(page.peerId, { id: answerId, author: page.peerId }, '😂')
    const laugh = answer.locator('.reactions .reaction[data-emoji="😂"]')
    await laugh.waitFor()
    assert.equal(await laugh.getAttribute('title'), 'Nadia')
    assert.equal(await laugh.getAttribute('aria-pressed'), 'false')
    // a chip of the user's own takes the reaction back
    await theirs.locator('.reactions .reaction.mine').click()
    await theirs.locator('.reactions').waitFor({ state: 'detached' })
    await nodeRecord(node, page.peerId, question.id, r => r.reactions?.[page.peerId] == null, 'the reaction taken back')

    // an edit: the composer holds the text, the message shows the new one, marked edited, and so
    // does the quote of it in Nadia's reply
    await messageAction(answer, 'edit')
    assert.equal(await p.inputValue('.composer textarea'), 'Noon works')
    assert.match((await context.textContent())!, /Editing your message/)
    await typeAndSend(p, 'Noon works, at the station')
    const edited = messageWith(p, 'Noon works, at the station')
    await edited.locator('.edited').waitFor()
    assert.equal(await p.inputValue('.composer textarea'), '', 'the draft is back (empty)')
    assert.equal(await hers.locator('.quote .quote-text').textContent(), 'Noon works, at the station')
    const atNode = await nodeRecord(node, page.peerId, answerId, r => r.text === 'Noon works, at the station', 'the edit at Nadia\'s')
    assert.deepEqual(atNode.edits?.map(e => e.text), ['Noon works'])

    // deleting for everyone, after a confirmation: a tombstone on both sides
    await messageAction(edited, 'delete')
    await edited.locator('.confirm-delete button.confirm').click()
    const tombstone = p.locator(`.message.out.deleted[data-id="${answerId}"]`)
    await tombstone.waitFor()
    assert.equal(await tombstone.locator('.text').textContent(), 'this message was deleted')
    assert.equal(await tombstone.locator('.actions').count(), 0, 'nothing more to do with it')
    assert.equal(await hers.locator('.quote .quote-text').textContent(), 'this message was deleted', 'the quote of it too')
    await nodeRecord(node, page.peerId, answerId, r => r.deleted === true && r.text === '', 'the deletion at Nadia\'s')
    // and Nadia's deletion reaches the page
    await node.messenger.deleteForEveryone(page.peerId, question.id)
    await p.locator(`.message.in.deleted[data-id="${question.id}"]`).waitFor()
    assert.equal(await messageWith(p, 'Shall we meet at noon?').count(), 0)
    await net.close(page)
  })

  it('disappearing messages: the timer in the header, its entries in history, erased messages vanish', async () => {
    const { page, p, node, nodeId } = await pair()
    const timer = p.locator('.conversation-header select.timer')
    assert.deepEqual(await timer.locator('option').allTextContents(), ['Off', '5 seconds', '30 seconds'])
    assert.equal(await timer.inputValue(), '0')

    // the user sets it: an entry in history, and Nadia's side has the timer
    const atNode = waitForEvent<MessageRecord>(node.messenger, 'message', m => m.timer === 30, 30_000)
    await timer.selectOption('30')
    await p.locator('.notice.timer-entry[data-timer="30"]', { hasText: 'You set disappearing messages to 30 seconds' }).waitFor()
    await atNode
    assert.equal((await node.messenger.conversations()).find(c => c.peer === page.peerId)?.timer, 30)

    // a message under the 30 s timer shows its disappearing mark (it stays long enough to look)
    await typeAndSend(p, 'Marked for later')
    await messageWith(p, 'Marked for later').locator('.meta .expires').waitFor()

    // Nadia shortens it: the header follows
    await node.messenger.setTimer(page.peerId, 5)
    await p.locator('.notice.timer-entry[data-timer="5"]', { hasText: 'Nadia set disappearing messages to 5 seconds' }).waitFor()
    await p.waitForFunction(() => document.querySelector<HTMLSelectElement>('select.timer')?.value === '5')

    // messages under it vanish from the view when the node erases them, both hers and the
    // user's, and so does the 30 s one before them. (Hers may even come after its five seconds
    // on a loaded machine: then the node never keeps it, and there is nothing to erase.)
    await node.messenger.send(page.peerId, 'This will self-destruct')
    await typeAndSend(p, 'Mine too')
    for (const text of ['This will self-destruct', 'Mine too', 'Marked for later']) {
      await messageWith(p, text).waitFor({ state: 'detached', timeout: 60_000 })
    }
    const kept = await p.evaluate(async () => (await window.parley!.messenger.history()).map(m => m.text))
    assert.deepEqual(kept.filter(t => ['This will self-destruct', 'Mine too', 'Marked for later'].includes(t)), [], 'gone from the store too')
    // what is left is the history of timer changes
    assert.equal(await p.locator('.messages .message').count(), 0)
    assert.equal(await p.locator('.messages .notice').count(), 2)
    // the list no longer previews an erased message
    assert.doesNotMatch((await chatRow(p, nodeId).locator('.chat-preview').textContent())!, /self-destruct|Mine too/)

    // off again, from the page
    await timer.selectOption('0')
    await p.locator('.notice.timer-entry[data-timer="0"]', { hasText: 'You turned off disappearing messages' }).waitFor()
    await net.close(page)
  })

  it('typing indicators, once both sides turn them on in their settings', async () => {
    const { page, p, node, nodeId } = await pair()
    // connected: typing goes only to a peer that is
    await node.messenger.send(page.peerId, 'hello')
    await messageWith(p, 'hello').waitFor()
    // off by default, on each side: the user turns them on in the settings panel
    await node.messenger.changeSettings({ typingIndicators: true })
    await p.click('.open-settings')
    const toggle = p.locator('.settings input[name=typingIndicators]')
    assert.equal(await toggle.isChecked(), false)
    assert.equal(await p.locator('.settings input[name=readReceipts]').isChecked(), true)
    await toggle.click()
    await p.waitForFunction(async () => (await window.parley!.messenger.settings()).typingIndicators)
    await p.click('.settings-panel .close')

    const typingLine = p.locator('.conversation-header .typing')
    assert.equal(await node.messenger.typing(page.peerId, true), true, 'sent to the page')
    await typingLine.waitFor()
    assert.equal(await typingLine.textContent(), 'Nadia is typing…')
    await chatRow(p, nodeId).locator('.chat-preview.typing').waitFor()
    await node.messenger.typing(page.peerId, false)
    await typingLine.waitFor({ state: 'detached' })

    // the user types: Nadia hears it, and that they stopped once they send
    const started = waitForEvent<{ peer: string, typing: boolean }>(node.messenger, 'typing', t => t.peer === page.peerId && t.typing, 30_000)
    await p.locator('.composer textarea').pressSequentially('On my w')
    await started
    const stopped = waitForEvent<{ peer: string, typing: boolean }>(node.messenger, 'typing', t => t.peer === page.peerId && !t.typing, 30_000)
    await p.press('.composer textarea', 'Enter')
    await stopped
    await net.close(page)
  })
})
