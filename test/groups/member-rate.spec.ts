import assert from 'node:assert/strict'
import { MemberRate } from '../../src/groups/member-rate.ts'

describe('group messages per member', () => {
  it('takes a burst, then as many a minute as the rate allows, under twice the load it names', () => {
    let now = 0
    const rate = new MemberRate(10, 60, 100, () => now)
    const taken = Array.from({ length: 20 }, () => rate.take('g', 'flooder')).filter(Boolean).length
    assert.equal(taken, 10, 'the burst')
    now += 5_000
    assert.equal(Array.from({ length: 10 }, () => rate.take('g', 'flooder')).filter(Boolean).length, 5, 'five seconds at one a second')
    assert.equal(rate.take('g', 'someone else'), true, 'another member is not held back')
    assert.equal(rate.take('other group', 'flooder'), true, 'nor the same member in another group')
  })

  it('keeps at most its bound of buckets, the least recently used going first', () => {
    const rate = new MemberRate(1, 1, 2, () => 0)
    rate.take('g', 'a')
    rate.take('g', 'b')
    rate.take('g', 'c')
    assert.equal(rate.take('g', 'a'), true, 'a was forgotten: a fresh bucket')
    assert.equal(rate.take('g', 'c'), false, 'c is still held to its empty bucket')
  })
})
