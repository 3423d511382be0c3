import assert from 'node:assert/strict'
import { DirectRoute } from '../../src/calls/direct-route.ts'
import { openSignal, sealSignal, signalKeys } from '../../src/calls/signal-keys.ts'

const call = new Uint8Array(16).fill(7)
const secret = new Uint8Array(32).fill(9)
const message = new TextEncoder().encode('a description')

describe('a call\'s direct signalling keys', () => {
  it('seal each way under its own key: what the caller sends the callee opens, and the reverse', () => {
    const caller = signalKeys(secret, call, 'caller')
    const callee = signalKeys(secret, call, 'callee')
    assert.deepEqual(caller.send, callee.receive)
    assert.deepEqual(callee.send, caller.receive)
    assert.notDeepEqual(caller.send, caller.receive)
    assert.deepEqual(openSignal(callee.receive, call, 1n, sealSignal(caller.send, call, 1n, message)), message)
    // another call with the same secret has other keys
    assert.notDeepEqual(signalKeys(secret, new Uint8Array(16).fill(8), 'caller').send, caller.send)
  })

  it('refuse a seal opened under another counter, call, direction, or changed, with a typed error', () => {
    const { send, receive } = signalKeys(secret, call, 'caller')
    const sealed = sealSignal(send, call, 5n, message)
    const changed = sealed.slice()
    changed[0] ^= 1
    for (const attempt of [
      () => openSignal(send, call, 6n, sealed),
      () => openSignal(send, new Uint8Array(16), 5n, sealed),
      () => openSignal(receive, call, 5n, sealed),
      () => openSignal(send, call, 5n, changed),
      () => openSignal(send, call, 5n, new Uint8Array(3))
    ]) {
      assert.throws(attempt, { name: 'InvalidCallSignalError' })
    }
    assert.throws(() => signalKeys(new Uint8Array(31), call, 'caller'), { name: 'InvalidCallSignalError' })
    assert.throws(() => signalKeys(secret, new Uint8Array(15), 'caller'), { name: 'InvalidCallSignalError' })
  })
})

describe('a call\'s direct route', () => {
  it('counts what it seals from 1, and opens each of the other side\'s counters once, in order', () => {
    const caller = new DirectRoute(signalKeys(secret, call, 'caller'), call)
    const callee = new DirectRoute(signalKeys(secret, call, 'callee'), call)
    const frames = [1, 2, 3].map(n => caller.seal(new Uint8Array([n])))
    assert.deepEqual(frames.map(f => f.counter), [1n, 2n, 3n])
    assert.deepEqual(callee.open(frames[0]), new Uint8Array([1]))
    // a replay, and one overtaken by a later one, are not opened again
    assert.deepEqual(callee.open(frames[2]), new Uint8Array([3]))
    assert.equal(callee.open(frames[1]), undefined)
    assert.equal(callee.open(frames[2]), undefined)
    // its own frames do not open as the other side's
    assert.throws(() => caller.open(caller.seal(message)), { name: 'InvalidCallSignalError' })
  })

  it('a frame that does not open leaves the counter where it was', () => {
    const caller = new DirectRoute(signalKeys(secret, call, 'caller'), call)
    const callee = new DirectRoute(signalKeys(secret, call, 'callee'), call)
    const good = caller.seal(message)
    assert.throws(() => callee.open({ counter: 9n, sealed: good.sealed }), { name: 'InvalidCallSignalError' })
    assert.deepEqual(callee.open(good), message)
  })
})
