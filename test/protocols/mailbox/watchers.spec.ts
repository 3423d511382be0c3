import assert from 'node:assert/strict'
import { MAX_WATCHES, MAX_WATCHES_PER_KEY } from '../../../src/protocols/mailbox/constants.ts'
import { TooManyWatchesError } from '../../../src/protocols/mailbox/errors.ts'
import { Watchers } from '../../../src/protocols/mailbox/watchers.ts'

const key = (n: number): Uint8Array => {
  const bytes = new Uint8Array(32)
  new DataView(bytes.buffer).setUint32(0, n)
  return bytes
}

/** Adds `n` watches, each from `sourceOf(i)` on `keyOf(i)`: how many were held, how many refused */
function flood (watchers: Watchers, n: number, keyOf: (i: number) => Uint8Array, sourceOf: (i: number) => string): { held: number, refused: number } {
  let held = 0
  let refused = 0
  for (let i = 0; i < n; i++) {
    try {
      watchers.add([keyOf(i)], sourceOf(i), () => {})
      held++
    } catch (err) {
      assert.ok(err instanceof TooManyWatchesError)
      refused++
    }
  }
  return { held, refused }
}

describe('a storer\'s watches under twice the load its limits name', () => {
  const limits = { max: MAX_WATCHES, perKey: MAX_WATCHES_PER_KEY, perSource: MAX_WATCHES / 16 }

  it('holds MAX_WATCHES from many networks and refuses the rest', () => {
    const watchers = new Watchers(limits)
    assert.deepEqual(flood(watchers, 2 * MAX_WATCHES, key, i => `net${i % 64}`), { held: MAX_WATCHES, refused: MAX_WATCHES })
    assert.equal(watchers.count, MAX_WATCHES)
  })

  it('holds a sixteenth of them from one network, and others still get theirs', () => {
    const watchers = new Watchers(limits)
    assert.deepEqual(flood(watchers, 2 * limits.perSource, key, () => 'one'), { held: limits.perSource, refused: limits.perSource })
    assert.deepEqual(flood(watchers, 1, i => key(1_000_000 + i), () => 'another'), { held: 1, refused: 0 })
  })

  it('holds MAX_WATCHES_PER_KEY on one key; one that ends makes room, once', () => {
    const watchers = new Watchers(limits)
    const ends: Array<() => void> = []
    for (let i = 0; i < MAX_WATCHES_PER_KEY; i++) ends.push(watchers.add([key(7)], `net${i}`, () => {}))
    assert.deepEqual(flood(watchers, MAX_WATCHES_PER_KEY, () => key(7), i => `other${i}`), { held: 0, refused: MAX_WATCHES_PER_KEY })
    ends[0]()
    ends[0]()
    assert.equal(watchers.count, MAX_WATCHES_PER_KEY - 1)
    assert.deepEqual(flood(watchers, 2, () => key(7), i => `late${i}`), { held: 1, refused: 1 })
  })

  it('pokes the watches of a key a deposit went under, and no other', () => {
    const watchers = new Watchers(limits)
    const poked: string[] = []
    watchers.add([key(1), key(2)], 'a', () => { poked.push('a') })
    watchers.add([key(2)], 'b', () => { poked.push('b') })
    watchers.stored(key(1))
    watchers.stored(key(3))
    assert.deepEqual(poked, ['a'])
    watchers.stored(key(2))
    assert.deepEqual(poked.sort(), ['a', 'a', 'b'])
  })
})
