import assert from 'node:assert/strict'
import { logger } from '@libp2p/logger'
import { MemoryLevel } from 'memory-level'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { decodeCallSignal, encodeCallSignal } from '../../src/calls/call-signal.ts'
import { Calls } from '../../src/calls/calls.ts'
import { DirectRoute } from '../../src/calls/direct-route.ts'
import { signalKeys } from '../../src/calls/signal-keys.ts'
import { SignalRefusedError } from '../../src/protocols/call-signal/errors.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import type { CallMessage, Signal } from '../../src/calls/call-signal.ts'
import type { SignalFrame } from '../../src/protocols/call-signal/index.ts'
import type { Db } from '../../src/storage/tables.ts'

const ALICE = '12D3KooWAliceAliceAliceAliceAliceAliceAliceAliceAli'
const BOB = '12D3KooWBobBobBobBobBobBobBobBobBobBobBobBobBobBobBo'
const MALLORY = '12D3KooWMalloryMalloryMalloryMalloryMalloryMallory'
const FINGERPRINT = `sha-256 ${Array.from({ length: 32 }, () => 'AB').join(':')}`
const offer: Signal = { kind: 'description', type: 'offer', sdp: 'v=0\r\n', fingerprint: FINGERPRINT, mediaKey: new Uint8Array(32).fill(1) }
const candidate: Signal = { kind: 'candidate', candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 }

interface Side {
  name: string
  calls: Calls
  store: LevelStore
  /** What it sent, and which way */
  sent: Array<{ way: 'session' | 'direct', kind: Signal['kind'] }>
  /** When set, the next direct frames fail (the stream broke, the peer refused them) */
  failDirect: boolean
  /** The kind of the last signal it took, either way */
  lastTaken?: Signal['kind']
  /** When set, what it sends over the session waits here until the test delivers it */
  held?: CallMessage[]
}

/** Two sides whose calls reach each other: the session way in order, the direct way through `receiveDirect` */
async function pair (): Promise<[Side, Side]> {
  const sides: Side[] = []
  for (const name of [ALICE, BOB]) {
    const store = new LevelStore(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db)
    await store.open()
    const side: Side = { name, store, sent: [], failDirect: false, calls: undefined as any }
    const other = (): Side => sides.find(s => s !== side)!
    side.calls = new Calls({
      send: async (_, payload) => {
        const message = decodeCallSignal(payload)
        side.sent.push({ way: 'session', kind: message.signal.kind })
        if (side.held != null) side.held.push(message)
        else await other().calls.receive(name, message, { sentAt: Date.now() })
      },
      sendDirect: async (_, frame) => {
        if (side.failDirect) throw new SignalRefusedError()
        if (!await other().calls.receiveDirect(name, frame)) throw new SignalRefusedError()
        side.sent.push({ way: 'direct', kind: other().lastTaken! })
      },
      messages: store.messages,
      log: logger(`parley:test:calls:${name.slice(8, 11)}`)
    })
    // both ways end in `receive`: the kind a direct frame carried is seen there
    const receive = side.calls.receive.bind(side.calls)
    side.calls.receive = async (peer, message, context) => {
      side.lastTaken = message.signal.kind
      await receive(peer, message, context)
    }
    sides.push(side)
  }
  return sides as [Side, Side]
}

describe('a call\'s negotiation, the direct way', () => {
  let alice: Side
  let bob: Side
  beforeEach(async () => {
    [alice, bob] = await pair()
  })
  afterEach(async () => {
    for (const side of [alice, bob]) {
      await side.calls.stop()
      await side.store.close()
    }
  })

  it('goes on the direct way once accepted; the invite and the end go over the session', async () => {
    const call = await alice.calls.start(BOB)
    await bob.calls.accept(call.id)
    assert.equal(alice.calls.get(call.id).state, 'connecting')
    await alice.calls.negotiate(call.id, offer)
    await bob.calls.negotiate(call.id, candidate)
    await alice.calls.hangUp(call.id)
    assert.equal(bob.calls.get(call.id).state, 'ended')
    assert.deepEqual(alice.sent.map(s => `${s.way} ${s.kind}`), ['session invite', 'direct description', 'session end'])
    assert.deepEqual(bob.sent.map(s => `${s.way} ${s.kind}`), ['direct accept', 'direct candidate'])
  })

  it('turns to the session for the rest of the call once a frame is not taken, and everything still arrives', async () => {
    const call = await alice.calls.start(BOB)
    await bob.calls.accept(call.id)
    alice.failDirect = true
    const got: string[] = []
    bob.calls.addEventListener('signal', evt => { got.push(evt.detail.signal.kind) })
    await alice.calls.negotiate(call.id, offer)
    alice.failDirect = false
    await alice.calls.negotiate(call.id, candidate)
    assert.deepEqual(got, ['description', 'candidate'])
    assert.deepEqual(alice.sent.map(s => `${s.way} ${s.kind}`), ['session invite', 'session description', 'session candidate'])
  })

  it('an invite without a secret (an earlier release\'s) is negotiated over the session alone', async () => {
    const id = 'ab'.repeat(16)
    await bob.calls.receive(ALICE, { call: id, signal: { kind: 'invite', video: true } }, { sentAt: Date.now() })
    const sentBefore = bob.sent.length
    await bob.calls.accept(id)
    assert.deepEqual(bob.sent.slice(sentBefore).map(s => `${s.way} ${s.kind}`), ['session accept'])
  })

  it('refuses a replayed frame, another peer\'s, one for no call, an invite or an end, and one that does not open', async () => {
    let secret: Uint8Array | undefined
    const sessionSend = async (_: string, payload: Uint8Array): Promise<void> => {
      const message: CallMessage = decodeCallSignal(payload)
      if (message.signal.kind === 'invite') secret = message.signal.signalSecret
      await bob.calls.receive(ALICE, message, { sentAt: Date.now() })
    }
    ;(alice.calls as any).send = sessionSend
    const call = await alice.calls.start(BOB)
    assert.equal(secret?.byteLength, 32)
    // Bob accepts over the session so that the direct way is left to the frames forged below
    bob.failDirect = true
    await bob.calls.accept(call.id)
    const id = fromHex(call.id, 'base16')
    const forger = new DirectRoute(signalKeys(secret!, id, 'caller'), id)
    const seal = (signal: Signal): SignalFrame => forger.seal(encodeCallSignal({ call: call.id, signal }))
    const handed: string[] = []
    bob.calls.addEventListener('signal', evt => { handed.push(evt.detail.signal.kind) })

    const first = seal(offer)
    assert.equal(await bob.calls.receiveDirect(ALICE, first), true)
    assert.equal(await bob.calls.receiveDirect(ALICE, first), false, 'a replay')
    assert.equal(await bob.calls.receiveDirect(MALLORY, seal(candidate)), false, 'another peer')
    assert.equal(await bob.calls.receiveDirect(ALICE, { ...seal(candidate), call: new Uint8Array(16) }), false, 'no such call')
    assert.equal(await bob.calls.receiveDirect(ALICE, seal({ kind: 'invite', video: false })), false, 'an invite')
    assert.equal(await bob.calls.receiveDirect(ALICE, seal({ kind: 'end', reason: 'hangup' })), false, 'an end')
    const opened = seal(candidate)
    assert.equal(await bob.calls.receiveDirect(ALICE, { ...opened, sealed: opened.sealed.map(b => b ^ 1) }), false, 'changed')
    assert.equal(await bob.calls.receiveDirect(ALICE, { ...opened, sealed: new Uint8Array([1, 2, 3]) }), false, 'garbage')
    assert.deepEqual(handed, ['description'])
    assert.equal(bob.calls.get(call.id).state, 'connecting')
  })

  it('two calling each other at once: the dropped call\'s invite, overtaken by the kept call\'s accept, never rings, also once the kept call ended', async () => {
    alice.held = []
    bob.held = []
    const [fromAlice, fromBob] = await Promise.all([alice.calls.start(BOB), bob.calls.start(ALICE)])
    // the side whose call has the lower id keeps it; its invite reaches the other side first
    const [keeper, dropper] = fromAlice.id < fromBob.id ? [alice, bob] : [bob, alice]
    const kept = keeper === alice ? fromAlice : fromBob
    await dropper.calls.receive(keeper.name, keeper.held![0], { sentAt: Date.now() })
    assert.equal(keeper.calls.get(kept.id).state, 'connecting', 'the accept came the direct way')
    await keeper.calls.hangUp(kept.id)
    const rung: string[] = []
    keeper.calls.addEventListener('call', evt => { if (evt.detail.state === 'ringing') rung.push(evt.detail.id) })
    await keeper.calls.receive(dropper.name, dropper.held![0], { sentAt: Date.now() })
    assert.deepEqual(rung, [])
    assert.deepEqual(keeper.calls.active(), [])
  })
})
