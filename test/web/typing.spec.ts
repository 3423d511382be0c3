import assert from 'node:assert/strict'
import { TypingPeers } from '../../src/browser/typing-peers.ts'
import { TypingSignal } from '../../src/browser/typing-signal.ts'

describe('web app: typing signals', () => {
  it('says "typing" at the first keystroke, again at most every refresh, and "stopped" when the draft empties', () => {
    const sent: boolean[] = []
    let now = 0
    const signal = new TypingSignal(typing => { sent.push(typing) }, { refreshMs: 4_000, idleMs: 60_000, now: () => now })
    signal.input(false)
    now = 1_000
    signal.input(false)
    now = 3_999
    signal.input(false)
    assert.deepEqual(sent, [true], 'one signal for keystrokes within the refresh interval')
    now = 4_000
    signal.input(false)
    assert.deepEqual(sent, [true, true], 'again once the interval passed, so the peer keeps showing it')
    signal.input(true)
    assert.deepEqual(sent, [true, true, false])
    signal.input(true)
    signal.stop()
    assert.deepEqual(sent, [true, true, false], '"stopped" only once')
  })

  it('says "stopped" after a pause without keystrokes, and on stop', async () => {
    const sent: boolean[] = []
    const stopped = Promise.withResolvers<void>()
    const signal = new TypingSignal(typing => {
      sent.push(typing)
      if (!typing) stopped.resolve()
    }, { idleMs: 20 })
    signal.input(false)
    await stopped.promise
    assert.deepEqual(sent, [true, false])
    signal.input(false)
    signal.stop()
    assert.deepEqual(sent, [true, false, true, false])
  })

  it('shows a peer as typing until it stops, or until it went quiet for too long', async () => {
    const changes: Array<[string, boolean]> = []
    const expired = Promise.withResolvers<void>()
    const peers = new TypingPeers((peer, typing) => {
      changes.push([peer, typing])
      if (peer === 'b' && !typing) expired.resolve()
    }, 30)
    peers.set('a', true)
    peers.set('a', true)
    assert.ok(peers.isTyping('a'))
    peers.set('a', false)
    peers.set('a', false)
    assert.ok(!peers.isTyping('a'))
    assert.deepEqual(changes, [['a', true], ['a', false]], 'changes only')
    peers.set('b', true)
    await expired.promise
    assert.ok(!peers.isTyping('b'))
    assert.deepEqual(changes.slice(2), [['b', true], ['b', false]])
  })
})
