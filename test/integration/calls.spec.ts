import assert from 'node:assert/strict'
import { decodeCallSignal } from '../../src/calls/call-signal.ts'
import { PROTOCOL as CALL_SIGNAL_PROTOCOL } from '../../src/protocols/call-signal/index.ts'
import { waitForEvent } from '../helpers/events.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import type { CallInfo } from '../../src/calls/calls.ts'
import type { Parley } from '../../src/parley.ts'
import type { MessageRecord } from '../../src/storage/types.ts'

const OFFER_SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n'
const FINGERPRINT = `sha-256 ${Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':')}`
const MEDIA_KEY = new Uint8Array(32).fill(5)
/** Short enough for a test to wait out; each node rings this long */
const RING_MS = 3_000

/** Resolves with `node`'s next call event whose state is `state` */
async function callState (node: Parley, state: CallInfo['state'], predicate: (c: CallInfo) => boolean = () => true): Promise<CallInfo> {
  return waitForEvent<CallInfo>(node.calls, 'call', c => c.state === state && predicate(c), 20_000)
}

/** `node`'s history entries of calls with `peer` */
async function callEntries (node: Parley, peer: Parley): Promise<MessageRecord[]> {
  return (await node.messenger.history({ peer: peer.peerId })).filter(m => m.call != null)
}

/** `node`'s history entry of call `id` with `peer`, once written (each side writes its own as the call ends) */
async function entryOf (node: Parley, peer: Parley, id: string, timeoutMs = 20_000): Promise<MessageRecord> {
  // listening first: it may be written while the history is read
  const written = Promise.race(['message', 'status'].map(async type => waitForEvent<MessageRecord>(node.calls, type, m => m.id === id, timeoutMs)))
  const found = (await callEntries(node, peer)).find(m => m.id === id)
  if (found != null) {
    written.catch(() => {})
    return found
  }
  return written
}

/** `caller` calls `callee`, which accepts; then the caller's offer reaches the callee: resolves with the call's id */
async function acceptedAndOffered (caller: Parley, callee: Parley): Promise<string> {
  const ringing = callState(callee, 'ringing')
  const { id } = await caller.calls.start(callee.peerId.toString(), { video: true })
  await ringing
  const connecting = callState(caller, 'connecting', c => c.id === id)
  await callee.calls.accept(id)
  await connecting
  const offered = waitForEvent<{ call: string, signal: any }>(callee.calls, 'signal')
  await caller.calls.negotiate(id, { kind: 'description', type: 'offer', sdp: OFFER_SDP, fingerprint: FINGERPRINT, mediaKey: MEDIA_KEY })
  assert.equal((await offered).signal.sdp, OFFER_SDP)
  return id
}

/** `from` hangs call `id` up, and it ends at `to` */
async function hungUp (from: Parley, to: Parley, id: string): Promise<void> {
  const ended = callState(to, 'ended', c => c.id === id)
  await from.calls.hangUp(id)
  await ended
}

/** Records each call signal `nodes` send through their sessions (as "sender kind") until `stop` */
function sessionSignals (...nodes: Parley[]): { stop: () => string[] } {
  const seen: string[] = []
  const restore = nodes.map(node => {
    const original = node.messenger.sendCallSignal
    node.messenger.sendCallSignal = async (peer, payload, options) => {
      seen.push(`${node.peerId.toString()} ${decodeCallSignal(payload).signal.kind}`)
      return original.call(node.messenger, peer, payload, options)
    }
    return () => { node.messenger.sendCallSignal = original }
  })
  return { stop: () => { restore.forEach(r => { r() }); return seen } }
}

describe('calls between real nodes (signalling)', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const net = new TestNetwork()
  let alice: Parley
  let bob: Parley

  before(async () => {
    // the relay holds mail: a call to a peer offline reaches it later as a missed call
    await net.startRelay(await dirs.make(), true)
    alice = await net.start(await dirs.make(), { calls: { ringTimeoutMs: RING_MS } })
    bob = await net.start(await dirs.make(), { calls: { ringTimeoutMs: RING_MS } })
    await alice.messenger.addContact(bob.peerId, 'Bob')
    await bob.messenger.addContact(alice.peerId, 'Alice')
  })

  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  it('rings the callee; once accepted the media layers exchange descriptions through it; hanging up ends both, and each side writes the call', async () => {
    const ringing = callState(bob, 'ringing')
    const started = await alice.calls.start(bob.peerId.toString(), { video: true })
    assert.equal(started.state, 'ringing')
    const rung = await ringing
    assert.deepEqual([rung.id, rung.direction, rung.video, rung.peer], [started.id, 'in', true, alice.peerId.toString()])

    const connecting = callState(alice, 'connecting')
    await bob.calls.accept(rung.id)
    await connecting
    const offered = waitForEvent<{ call: string, signal: any }>(bob.calls, 'signal')
    await alice.calls.negotiate(started.id, { kind: 'description', type: 'offer', sdp: OFFER_SDP, fingerprint: FINGERPRINT, mediaKey: MEDIA_KEY })
    assert.deepEqual(await offered, { call: started.id, signal: { kind: 'description', type: 'offer', sdp: OFFER_SDP, fingerprint: FINGERPRINT, mediaKey: MEDIA_KEY } })
    const candidate = waitForEvent<{ call: string, signal: any }>(alice.calls, 'signal')
    await bob.calls.negotiate(started.id, { kind: 'candidate', candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host', sdpMid: '0', sdpMLineIndex: 0 })
    assert.equal((await candidate).signal.sdpMLineIndex, 0)
    alice.calls.connected(started.id)
    bob.calls.connected(started.id)

    const ended = callState(bob, 'ended')
    await alice.calls.hangUp(started.id)
    assert.equal((await ended).reason, 'hangup')
    const mine = await entryOf(alice, bob, started.id)
    const theirs = await entryOf(bob, alice, started.id)
    assert.deepEqual([mine.direction, mine.call?.outcome, mine.call?.video], ['out', 'answered', true])
    assert.deepEqual([theirs.direction, theirs.call?.outcome, theirs.id], ['in', 'answered', started.id])
    assert.ok(mine.call!.durationMs! >= 0)
    // the negotiation is not history, and left nothing behind in the outbox
    assert.deepEqual((await alice.messenger.history({ peer: bob.peerId })).filter(m => m.call == null), [])
  })

  it('an accepted call negotiates on a stream of its own while the two are connected: only the invite and the end go through the sessions', async () => {
    // Bob calls: a peer rings another at most five times a minute, and Alice calls Bob in most tests
    const viaSession = sessionSignals(alice, bob)
    const id = await acceptedAndOffered(bob, alice)
    const candidates = waitForEvent<{ call: string, signal: any }>(bob.calls, 'signal')
    await alice.calls.negotiate(id, { kind: 'candidate', candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host', sdpMid: '0' })
    assert.equal((await candidates).signal.sdpMid, '0')
    await hungUp(bob, alice, id)
    assert.deepEqual(viaSession.stop(), [`${bob.peerId.toString()} invite`, `${bob.peerId.toString()} end`])
  })

  it('with a peer that does not serve that stream (an earlier release), the negotiation goes through the sessions', async () => {
    const carol = await net.start(await dirs.make(), { calls: { ringTimeoutMs: RING_MS } })
    await carol.node.unhandle(CALL_SIGNAL_PROTOCOL)
    await alice.messenger.addContact(carol.peerId, 'Carol')
    await carol.messenger.addContact(alice.peerId, 'Alice')
    const viaSession = sessionSignals(alice, carol)
    await hungUp(alice, carol, await acceptedAndOffered(alice, carol))
    // Carol's accept went the direct way (Alice serves it); Alice's description found no taker there
    assert.deepEqual(viaSession.stop(), [`${alice.peerId.toString()} invite`, `${alice.peerId.toString()} description`, `${alice.peerId.toString()} end`])
  })

  it('a declined call ends at both sides, each writing it declined', async () => {
    const ringing = callState(bob, 'ringing')
    const started = await alice.calls.start(bob.peerId.toString())
    await ringing
    const ended = callState(alice, 'ended', c => c.id === started.id)
    await bob.calls.decline(started.id)
    assert.equal((await ended).reason, 'declined')
    await assert.rejects(bob.calls.accept(started.id), { name: 'CallStateError' })
    assert.equal((await entryOf(bob, alice, started.id)).call?.outcome, 'declined')
    assert.equal((await entryOf(alice, bob, started.id)).call?.outcome, 'declined')
  })

  it('a call nobody answers is unanswered at the caller and missed at the callee', async () => {
    const ringing = callState(bob, 'ringing')
    const started = await alice.calls.start(bob.peerId.toString())
    await ringing
    const [atAlice, atBob] = await Promise.all([callState(alice, 'ended', c => c.id === started.id), callState(bob, 'ended', c => c.id === started.id)])
    assert.deepEqual([atAlice.reason, atBob.reason], ['unanswered', 'missed'])
    assert.equal((await entryOf(alice, bob, started.id)).call?.outcome, 'unanswered')
    assert.equal((await entryOf(bob, alice, started.id)).call?.outcome, 'missed')
  })

  it('two peers calling each other at once end in one call', async () => {
    const aliceIn = callState(alice, 'connecting')
    const bobIn = callState(bob, 'connecting')
    const [fromAlice, fromBob] = await Promise.all([alice.calls.start(bob.peerId.toString()), bob.calls.start(alice.peerId.toString())])
    const [a, b] = await Promise.all([aliceIn, bobIn])
    const kept = [fromAlice.id, fromBob.id].sort()[0]
    assert.deepEqual([a.id, b.id], [kept, kept])
    // the side whose call was dropped is told which of its own the kept call replaces
    assert.deepEqual([a.replaces, b.replaces].filter(r => r != null), [[fromAlice.id, fromBob.id].sort()[1]])
    assert.deepEqual([alice.calls.active().map(c => c.id), bob.calls.active().map(c => c.id)], [[kept], [kept]])
    await alice.calls.hangUp(kept)
    await callState(bob, 'ended', c => c.id === kept)
  })

  it('a call while another is under way is answered busy', async () => {
    const carol = await net.start(await dirs.make(), { calls: { ringTimeoutMs: RING_MS } })
    await bob.messenger.addContact(carol.peerId, 'Carol')
    await carol.messenger.addContact(bob.peerId, 'Bob')
    const ringing = callState(bob, 'ringing')
    const first = await alice.calls.start(bob.peerId.toString())
    await ringing
    await bob.calls.accept(first.id)
    const busy = callState(carol, 'ended')
    await carol.calls.start(bob.peerId.toString())
    assert.equal((await busy).reason, 'busy')
    assert.deepEqual(bob.calls.active().map(c => c.id), [first.id], 'the call under way goes on')
    await bob.calls.hangUp(first.id)
    await net.stop(carol)
  })

  it('a stranger\'s call never rings: it is a missed call in the stranger\'s message request', async () => {
    const stranger = await net.start(await dirs.make(), { calls: { ringTimeoutMs: RING_MS } })
    let rang = false
    const onCall = (): void => { rang = true }
    bob.calls.addEventListener('call', onCall)
    const requested = waitForEvent(bob.messenger, 'request', (r: any) => r.peerId === stranger.peerId.toString())
    await stranger.calls.start(bob.peerId.toString(), { video: true })
    await requested
    bob.calls.removeEventListener('call', onCall)
    assert.equal(rang, false)
    const [entry] = await callEntries(bob, stranger)
    assert.deepEqual(entry.call, { video: true, outcome: 'missed', reason: 'stranger' })
    await net.stop(stranger)
  })

  it('a call to a peer offline is a missed call when it comes back (through its mailbox)', async () => {
    const daveDir = await dirs.make()
    let dave = await net.start(daveDir, { calls: { ringTimeoutMs: RING_MS } })
    await alice.messenger.addContact(dave.peerId, 'Dave')
    await dave.messenger.addContact(alice.peerId, 'Alice')
    await net.stop(dave)
    const unanswered = callState(alice, 'ended')
    const started = await alice.calls.start(dave.peerId.toString(), { video: false })
    assert.equal((await unanswered).reason, 'unanswered')
    dave = await net.start(daveDir, { calls: { ringTimeoutMs: RING_MS } })
    const entry = await entryOf(dave, alice, started.id, 60_000)
    assert.deepEqual([entry.id, entry.direction, entry.call?.outcome], [started.id, 'in', 'missed'])
    assert.deepEqual(dave.calls.active(), [], 'it never rang')
  })
})
