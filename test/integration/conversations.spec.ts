import assert from 'node:assert/strict'
import { access } from 'node:fs/promises'
import { TempDirs } from '../helpers/temp-dir.ts'
import { untilAsync, waitForEvent } from '../helpers/events.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import type { Parley } from '../../src/parley.ts'
import type { MessageRecord } from '../../src/storage/types.ts'

/** Short timers, which both test nodes allow (a real node allows TIMER_SECONDS) */
const TIMERS = [0, 1, 2, 30]

/**
 * The everyday features across real nodes on 127.0.0.1: replies, reactions, edits, deletions
 * for everyone, disappearing messages, read receipts, typing and unread counts, both ways,
 * directly and through the mailbox of a relay.
 */
describe('conversations between real nodes', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const net = new TestNetwork()
  let a: Parley
  let b: Parley
  let dirB: string

  const entry = async (node: Parley, peer: Parley, id: string): Promise<MessageRecord | undefined> =>
    (await node.messenger.history({ peer: peer.peerId })).find(m => m.id === id)
  /** Waits until `node`'s copy of message `id` satisfies `check` (the change arrived) */
  const until = async (node: Parley, peer: Parley, id: string, check: (m: MessageRecord | undefined) => boolean, what: string): Promise<MessageRecord | undefined> => {
    await untilAsync(node.messenger, ['message', 'changed', 'status', 'erased'], async () => check(await entry(node, peer, id)), 30_000, what)
    return entry(node, peer, id)
  }

  before(async () => {
    await net.startRelay(await dirs.make(), true)
    dirB = await dirs.make()
    a = await net.start(await dirs.make(), { messenger: { timers: TIMERS } })
    b = await net.start(dirB, { messenger: { timers: TIMERS } })
    await a.messenger.addContact(b.peerId, 'B')
    await b.messenger.addContact(a.peerId, 'A')
  })

  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  it('replies, reacts, edits and deletes both ways, directly', async () => {
    const first = await a.messenger.send(b.peerId, 'first from A')
    assert.equal(first.status, 'delivered')
    const reply = await b.messenger.send(a.peerId, 'a reply from B', { replyTo: { id: first.id, author: a.peerId.toString() } })
    assert.equal(reply.status, 'delivered')
    assert.deepEqual((await entry(a, b, reply.id))?.replyTo, { id: first.id, author: a.peerId.toString() })

    // B reacts to A's message, A to B's; a second reaction replaces the first
    await b.messenger.react(a.peerId, { id: first.id, author: a.peerId.toString() }, '👍')
    await until(a, b, first.id, m => m?.reactions?.[b.peerId.toString()] === '👍', 'B\'s reaction at A')
    await b.messenger.react(a.peerId, { id: first.id, author: a.peerId.toString() }, '❤️')
    await until(a, b, first.id, m => m?.reactions?.[b.peerId.toString()] === '❤️', 'B\'s second reaction at A')
    await a.messenger.react(b.peerId, { id: reply.id, author: b.peerId.toString() }, '😂')
    await until(b, a, reply.id, m => m?.reactions?.[a.peerId.toString()] === '😂', 'A\'s reaction at B')
    assert.deepEqual((await entry(b, a, first.id))?.reactions, { [b.peerId.toString()]: '❤️' }, 'B sees its own reaction')
    await b.messenger.react(a.peerId, { id: first.id, author: a.peerId.toString() }, '')
    await until(a, b, first.id, m => m?.reactions == null, 'B\'s reaction taken back at A')

    // edits keep the history; deletion leaves a tombstone on both sides
    await a.messenger.edit(b.peerId, first.id, 'first from A, edited')
    const edited = await until(b, a, first.id, m => m?.text === 'first from A, edited', 'the edit at B')
    assert.deepEqual(edited?.edits?.map(e => e.text), ['first from A'])
    await b.messenger.deleteForEveryone(a.peerId, reply.id)
    const gone = await until(a, b, reply.id, m => m?.deleted === true, 'the deletion at A')
    assert.equal(gone?.text, '')
    assert.equal(gone?.replyTo, undefined)
    assert.equal((await entry(b, a, reply.id))?.deleted, true)

    // what the user may not do
    await assert.rejects(a.messenger.edit(b.peerId, reply.id, 'not mine'), { name: 'MessageNotEditableError' })
    await assert.rejects(b.messenger.edit(a.peerId, reply.id, 'deleted'), { name: 'MessageNotEditableError' })
    await assert.rejects(a.messenger.react(b.peerId, { id: first.id, author: a.peerId.toString() }, 'two words'), { name: 'InvalidReactionError' })
    await assert.rejects(a.messenger.send(b.peerId, 'quote', { replyTo: { id: '00'.repeat(16), author: b.peerId.toString() } }), { name: 'UnknownMessageError' })
    await assert.rejects(a.messenger.setTimer(b.peerId, 7), { name: 'InvalidTimerError' })
  })

  it('takes a file along when its message is deleted for everyone', async () => {
    const { message, transfer } = await a.files!.sendBlob(b.peerId, new Blob(['a file to take back\n']), { name: 'regret.txt', type: 'text/plain' })
    // the offer (a message) or the transfer's own event: whichever comes last finds it done
    await untilAsync(b.events, ['message', 'transfer'], async () => (await b.files!.get(transfer.id).catch(() => undefined))?.state === 'done', 30_000, 'the file at B')
    const path = (await b.files!.get(transfer.id)).path
    await access(path)
    await a.messenger.deleteForEveryone(b.peerId, message.id)
    await until(b, a, message.id, m => m?.deleted === true && m.file == null, 'the deletion at B')
    await untilAsync(b.events, ['transfer'], async () => (await b.files!.get(transfer.id)).path === '', 30_000, 'the file gone at B')
    await assert.rejects(access(path), { code: 'ENOENT' })
  })

  it('counts unread messages, and marking read sends a read receipt, which the sender sees as read', async () => {
    const before = (await b.messenger.conversations()).find(c => c.id === a.peerId.toString())
    await b.messenger.markRead(a.peerId)
    const one = await a.messenger.send(b.peerId, 'unread one')
    const two = await a.messenger.send(b.peerId, 'unread two')
    const conversation = (await b.messenger.conversations()).find(c => c.id === a.peerId.toString())
    assert.ok(before != null && conversation != null)
    assert.equal(conversation.unread, 2)
    assert.equal(conversation.last?.text, 'unread two')

    assert.equal(await b.messenger.markRead(a.peerId), 2)
    assert.equal((await b.messenger.conversations()).find(c => c.id === a.peerId.toString())?.unread, 0)
    await until(a, b, two.id, m => m?.status === 'read', 'the read receipt at A')
    assert.equal((await entry(a, b, one.id))?.status, 'read')
    assert.deepEqual((await a.messenger.history()).filter(m => m.text === '' && m.deleted == null && m.file == null), [], 'receipts are no history')

    // B turns read receipts off: B sends none, and shows none of A's
    await b.messenger.changeSettings({ readReceipts: false })
    const three = await a.messenger.send(b.peerId, 'not reported')
    await b.messenger.markRead(a.peerId)
    const back = await b.messenger.send(a.peerId, 'B writes back')
    await a.messenger.markRead(b.peerId)
    const marker = await a.messenger.send(b.peerId, 'after the read')
    await until(b, a, marker.id, m => m != null, 'the marker at B')
    assert.equal((await entry(a, b, three.id))?.status, 'delivered', 'A never learns B read it')
    assert.equal((await entry(b, a, back.id))?.status, 'delivered', 'B shows no read state for A\'s read')
    await b.messenger.changeSettings({ readReceipts: true })
  })

  it('shows typing only when both have it on, and cuts a flood', async () => {
    const heard: boolean[] = []
    const onTyping = (evt: CustomEvent<{ peer: string, typing: boolean }>): void => { heard.push(evt.detail.typing) }
    b.messenger.addEventListener('typing', onTyping)
    try {
      assert.equal(await a.messenger.typing(b.peerId, true), false, 'off by default: nothing sent')
      await a.messenger.changeSettings({ typingIndicators: true })
      // B has it off: what A sends is not shown
      assert.equal(await a.messenger.typing(b.peerId, true), true)
      const marker = await a.messenger.send(b.peerId, 'after typing')
      await until(b, a, marker.id, m => m != null, 'the marker')
      assert.deepEqual(heard, [])

      await b.messenger.changeSettings({ typingIndicators: true })
      const shown = waitForEvent(b.messenger, 'typing')
      for (let i = 0; i < 20; i++) await a.messenger.typing(b.peerId, true)
      assert.equal((await shown).typing, true)
      const stopped = new Promise<void>(resolve => {
        b.messenger.addEventListener('typing', evt => { if (!evt.detail.typing) resolve() })
      })
      await a.messenger.typing(b.peerId, false)
      await stopped
      assert.deepEqual(heard, [true, false], 'twenty typing notifications shown once, the stop at once')
      assert.deepEqual((await b.messenger.history({ peer: a.peerId })).filter(m => m.text === '' && m.deleted == null && m.file == null), [], 'typing is no history')
    } finally {
      b.messenger.removeEventListener('typing', onTyping)
      await a.messenger.changeSettings({ typingIndicators: false })
      await b.messenger.changeSettings({ typingIndicators: false })
    }
  })

  it('erases disappearing messages on both sides when the agreed timer runs out', async () => {
    const set = await a.messenger.setTimer(b.peerId, 1)
    await until(b, a, set.id, m => m?.timer === 1, 'the timer at B')
    assert.equal((await b.messenger.conversations()).find(c => c.id === a.peerId.toString())?.timer, 1)
    const erasedAtA = waitForEvent(a.messenger, 'erased')
    const erasedAtB = waitForEvent(b.messenger, 'erased')
    const fleeting = await b.messenger.send(a.peerId, 'gone in a second')
    assert.ok(fleeting.expiresAt != null && fleeting.expiresAt > fleeting.timestamp)
    assert.equal((await erasedAtA).id, fleeting.id)
    assert.equal((await erasedAtB).id, fleeting.id)
    assert.equal(await entry(a, b, fleeting.id), undefined)
    assert.equal(await entry(b, a, fleeting.id), undefined)
    await b.messenger.setTimer(a.peerId, 0)
    await until(a, b, (await b.messenger.history({ peer: a.peerId })).at(-1)!.id, m => m?.timer === 0, 'the timer off at A')
    assert.equal((await a.messenger.conversations()).find(c => c.id === b.peerId.toString())?.timer, undefined)
  })

  it('carries replies, reactions, edits and deletions through the mailbox while the peer is offline', async () => {
    const kept = await a.messenger.send(b.peerId, 'before B leaves')
    await net.stop(b)
    const quoted = await a.messenger.send(b.peerId, 'while B is away', { replyTo: { id: kept.id, author: a.peerId.toString() } })
    assert.equal(quoted.status, 'stored')
    const doomed = await a.messenger.send(b.peerId, 'to be deleted')
    await a.messenger.edit(b.peerId, quoted.id, 'while B is away (edited)')
    await a.messenger.react(b.peerId, { id: kept.id, author: a.peerId.toString() }, '🎉')
    await a.messenger.deleteForEveryone(b.peerId, doomed.id)

    b = await net.start(dirB, { messenger: { timers: TIMERS } })
    const arrived = await until(b, a, quoted.id, m => m?.text === 'while B is away (edited)', 'the edited message at B')
    assert.deepEqual(arrived?.replyTo, { id: kept.id, author: a.peerId.toString() })
    await until(b, a, doomed.id, m => m?.deleted === true, 'the deletion at B')
    await until(b, a, kept.id, m => m?.reactions?.[a.peerId.toString()] === '🎉', 'the reaction at B')
    await until(a, b, quoted.id, m => m?.status === 'delivered' || m?.status === 'read', 'the delivery receipt at A')
  })

  it('carries timers and read receipts through the mailbox, and what disappears goes on both sides', async () => {
    // B away: A's timer change and a message under it wait in B's mailbox, with their expiry
    await net.stop(b)
    const set = await a.messenger.setTimer(b.peerId, 2)
    const fleeting = await a.messenger.send(b.peerId, 'read me before I go')
    assert.equal(fleeting.status, 'stored')
    assert.ok(fleeting.expiresAt != null)
    b = await net.start(dirB, { messenger: { timers: TIMERS } })
    await until(b, a, set.id, m => m?.timer === 2, 'the timer at B, through the mailbox')
    const erasedAtB = waitForEvent(b.messenger, 'erased')
    await until(b, a, fleeting.id, m => m != null, 'the message at B')
    assert.equal((await erasedAtB).id, fleeting.id, 'gone at B when its time came')
    await until(a, b, fleeting.id, m => m == null, 'the message gone at A too')
    await a.messenger.setTimer(b.peerId, 0)

    // A away: B reads A's message; the read receipt waits in A's mailbox
    const unread = await a.messenger.send(b.peerId, 'read while A is away')
    await until(b, a, unread.id, m => m != null, 'the message at B')
    const dirA = a.dataDir!
    await net.stop(a)
    await b.messenger.markRead(a.peerId)
    a = await net.start(dirA, { messenger: { timers: TIMERS } })
    await until(a, b, unread.id, m => m?.status === 'read', 'the read receipt at A, through the mailbox')
  })
})
