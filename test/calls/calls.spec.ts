import assert from 'node:assert/strict'
import { logger } from '@libp2p/logger'
import { MemoryLevel } from 'memory-level'
import { decodeCallSignal } from '../../src/calls/call-signal.ts'
import { Calls } from '../../src/calls/calls.ts'
import { MAX_INVITES_PER_INTERVAL, MAX_TRACKED_CALLS } from '../../src/calls/constants.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import type { CallMessage } from '../../src/calls/call-signal.ts'
import type { CallInfo } from '../../src/calls/calls.ts'
import type { Db } from '../../src/storage/tables.ts'

const ALICE = '12D3KooWAliceAliceAliceAliceAliceAliceAliceAliceAli'
const MALLORY = '12D3KooWMalloryMalloryMalloryMalloryMalloryMallory'

/** One side's calls over an in-memory store; what it sends is kept, decoded, in `sent` */
async function side (): Promise<{ calls: Calls, store: LevelStore, sent: Array<{ peer: string, message: CallMessage }>, rung: CallInfo[] }> {
  const store = new LevelStore(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db)
  await store.open()
  const sent: Array<{ peer: string, message: CallMessage }> = []
  const calls = new Calls({ send: async (peer, payload) => { sent.push({ peer, message: decodeCallSignal(payload) }) }, messages: store.messages, log: logger('parley:test:calls') })
  const rung: CallInfo[] = []
  calls.addEventListener('call', evt => { if (evt.detail.state === 'ringing') rung.push(evt.detail) })
  return { calls, store, sent, rung }
}

const invite = (n: number): CallMessage => ({ call: n.toString(16).padStart(32, '0'), signal: { kind: 'invite', video: false } })

describe('calls, against bad input', () => {
  let me: Awaited<ReturnType<typeof side>>
  beforeEach(async () => { me = await side() })
  afterEach(async () => {
    await me.calls.stop()
    await me.store.close()
  })

  it('rings a repeated invite once, also once the call has ended and is only in the history', async () => {
    await me.calls.receive(ALICE, invite(1), { sentAt: Date.now() })
    await me.calls.receive(ALICE, invite(1), { sentAt: Date.now() })
    assert.equal(me.rung.length, 1)
    await me.calls.decline(invite(1).call)
    await me.calls.receive(ALICE, invite(1), { sentAt: Date.now() })
    assert.equal(me.rung.length, 1)
    assert.equal(me.calls.active().length, 0)
  })

  it('ignores an accept, a description, a candidate or an end for a call that does not exist, or that is another peer\'s', async () => {
    const ghost = 'ee'.repeat(16)
    const fingerprint = `sha-256 ${Array.from({ length: 32 }, () => '00').join(':')}`
    let signalled = 0
    me.calls.addEventListener('signal', () => { signalled++ })
    for (const signal of [{ kind: 'accept' }, { kind: 'description', type: 'answer', sdp: 'v=0', fingerprint, mediaKey: new Uint8Array(32) }, { kind: 'candidate', candidate: '' }, { kind: 'end', reason: 'hangup' }] as const) {
      await me.calls.receive(ALICE, { call: ghost, signal }, { sentAt: Date.now() })
    }
    const ours = await me.calls.start(ALICE)
    // Mallory names Alice's call: neither accepted nor ended by it
    await me.calls.receive(MALLORY, { call: ours.id, signal: { kind: 'accept' } }, { sentAt: Date.now() })
    await me.calls.receive(MALLORY, { call: ours.id, signal: { kind: 'end', reason: 'declined' } }, { sentAt: Date.now() })
    assert.equal(me.calls.get(ours.id).state, 'ringing')
    // a description before the call was accepted is not passed on either
    await me.calls.receive(ALICE, { call: ours.id, signal: { kind: 'candidate', candidate: '' } }, { sentAt: Date.now() })
    assert.equal(signalled, 0)
    await assert.rejects(me.calls.accept(ghost), { name: 'UnknownCallError' })
    await assert.rejects(me.calls.negotiate(ours.id, { kind: 'candidate', candidate: '' }), { name: 'CallStateError' })
  })

  it('rings a peer\'s flood of calls up to its bound, under twice the load, and keeps no more calls than its bound', async () => {
    for (let n = 0; n < 2 * MAX_INVITES_PER_INTERVAL; n++) {
      await me.calls.receive(ALICE, invite(n), { sentAt: Date.now() })
    }
    // the first rings; the rest of the bound are answered busy (one call at a time)
    assert.equal(me.rung.length, 1)
    assert.equal(me.sent.filter(s => s.message.signal.kind === 'end' && s.message.signal.reason === 'busy').length, MAX_INVITES_PER_INTERVAL - 1)
    assert.equal((await me.store.messages.list({ conversation: ALICE })).length, MAX_INVITES_PER_INTERVAL - 1, 'the busy ones are missed calls; the rest left no trace')
    // many peers at once: what is tracked stays bounded
    for (let n = 0; n < 2 * MAX_TRACKED_CALLS; n++) {
      const peer = `12D3KooW${n.toString().padStart(44, 'x')}`
      await me.calls.receive(peer, invite(1_000 + n), { sentAt: Date.now() })
    }
    assert.ok(((me.calls as any).calls as Map<string, unknown>).size <= MAX_TRACKED_CALLS + 1)
  })

  it('an invite that waited past the ring time is a missed call, not rung', async () => {
    await me.calls.receive(ALICE, invite(7), { sentAt: Date.now() - 10 * 60_000 })
    assert.equal(me.rung.length, 0)
    const [entry] = await me.store.messages.list({ conversation: ALICE })
    assert.deepEqual([entry.id, entry.call?.outcome], [invite(7).call, 'missed'])
  })

  it('a ringing call the caller gives up on (its ring timed out there first) ends here as missed, whichever timer fires first', async () => {
    const ended: CallInfo[] = []
    me.calls.addEventListener('call', evt => { if (evt.detail.state === 'ended') ended.push(evt.detail) })
    await me.calls.receive(ALICE, invite(10), { sentAt: Date.now() })
    await me.calls.receive(ALICE, { call: invite(10).call, signal: { kind: 'end', reason: 'unanswered' } }, { sentAt: Date.now() })
    assert.deepEqual(ended.map(c => c.reason), ['missed'])
    const [entry] = await me.store.messages.list({ conversation: ALICE })
    assert.equal(entry.call?.outcome, 'missed')
  })

  it('an end that comes before its invite (the two fetched from a mailbox out of order): the invite does not ring, it is a missed call', async () => {
    await me.calls.receive(ALICE, { call: invite(8).call, signal: { kind: 'end', reason: 'hangup' } }, { sentAt: Date.now() })
    await me.calls.receive(ALICE, invite(8), { sentAt: Date.now() })
    assert.equal(me.rung.length, 0)
    assert.deepEqual(me.calls.active(), [])
    const [entry] = await me.store.messages.list({ conversation: ALICE })
    assert.deepEqual([entry.id, entry.call?.outcome], [invite(8).call, 'missed'])
    // another peer's end names no call of Alice's
    await me.calls.receive(MALLORY, { call: invite(9).call, signal: { kind: 'end', reason: 'hangup' } }, { sentAt: Date.now() })
    await me.calls.receive(ALICE, invite(9), { sentAt: Date.now() })
    assert.equal(me.rung.length, 1)
  })
})
