import assert from 'node:assert/strict'
import { KEY_ANSWER_INTERVAL_MS, MAX_KEY_ANSWERS_PER_INTERVAL, MAX_WAITING_MESSAGES, MAX_WAITING_PER_AUTHOR } from '../../src/groups/constants.ts'
import { MissingKeys } from '../../src/groups/missing-keys.ts'
import type { WaitingMessage } from '../../src/groups/missing-keys.ts'

const message = (n: number): WaitingMessage => ({ secret: { epoch: 'e', from: 'f', secret: new Uint8Array(32) }, data: new Uint8Array([n & 0xff, n >> 8]) })

describe('sender keys gone missing', () => {
  it('keeps at most its bounds of messages waiting, under twice the load, the oldest dropped first', () => {
    const missing = new MissingKeys()
    for (let i = 0; i < 2 * MAX_WAITING_PER_AUTHOR; i++) missing.keep('g', 'alice', message(i))
    const kept = missing.arrived('g', 'alice')
    assert.equal(kept.length, MAX_WAITING_PER_AUTHOR)
    assert.deepEqual(kept[0], message(MAX_WAITING_PER_AUTHOR), 'the newest ones')
    assert.deepEqual(missing.arrived('g', 'alice'), [], 'handed over once')

    const authors = 2 * MAX_WAITING_MESSAGES / MAX_WAITING_PER_AUTHOR
    for (let a = 0; a < authors; a++) for (let i = 0; i < MAX_WAITING_PER_AUTHOR; i++) missing.keep('g', `m${a}`, message(i))
    const all = Array.from({ length: authors }, (_, a) => missing.arrived('g', `m${a}`).length)
    assert.equal(all.reduce((x, y) => x + y, 0), MAX_WAITING_MESSAGES)
    assert.equal(all[0], 0, 'the oldest author\'s went first')
  })

  it('asks for a chain once an interval until its key comes, then again if it goes missing again', () => {
    let now = 0
    const missing = new MissingKeys(() => now)
    assert.equal(missing.shouldAsk('g', 'alice', 'k1'), true)
    assert.equal(missing.shouldAsk('g', 'alice', 'k1'), false)
    assert.equal(missing.shouldAsk('g', 'alice', 'k2'), true, 'another chain')
    missing.arrived('g', 'alice')
    assert.equal(missing.shouldAsk('g', 'alice', 'k1'), true, 'the key came and went again')
    assert.equal(missing.shouldAsk('g', 'alice', 'k1'), false)
    now += KEY_ANSWER_INTERVAL_MS
    assert.equal(missing.shouldAsk('g', 'alice', 'k1'), true, 'an interval later')
  })

  it('answers a member at most its bound of times an interval, under twice the load', () => {
    let now = 0
    const missing = new MissingKeys(() => now)
    const answered = Array.from({ length: 2 * MAX_KEY_ANSWERS_PER_INTERVAL }, () => missing.shouldAnswer('g', 'mallory')).filter(Boolean).length
    assert.equal(answered, MAX_KEY_ANSWERS_PER_INTERVAL)
    assert.equal(missing.shouldAnswer('g', 'bob'), true, 'another member is answered')
    now += KEY_ANSWER_INTERVAL_MS
    assert.equal(missing.shouldAnswer('g', 'mallory'), true, 'an interval later')
  })
})
