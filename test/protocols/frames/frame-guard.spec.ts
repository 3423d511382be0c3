import assert from 'node:assert/strict'
import { lpStream, streamPair } from '@libp2p/utils'
import * as varint from 'uint8-varint'
import { guardFrames, UnfinishedFrames } from '../../../src/protocols/frames/index.ts'
import type { Stream } from '@libp2p/interface'

/** A frame of `length` bytes, as a length-prefixed protocol sends it */
function frame (length: number, fill = 7): Uint8Array {
  const prefix = varint.encode(length)
  const out = new Uint8Array(prefix.byteLength + length).fill(fill)
  out.set(prefix)
  return out
}

/** Resolves once `stream` has closed, with the error it closed with */
async function closed (stream: Stream): Promise<Error | undefined> {
  if (stream.status === 'closed' || stream.status === 'aborted') return undefined
  return new Promise(resolve => { stream.addEventListener('close', evt => { resolve((evt as any).error) }, { once: true }) })
}

describe('frame guard: frames checked as they arrive', () => {
  it('hands the reader every frame unchanged, also those that came before it listened', async () => {
    const budget = new UnfinishedFrames()
    const [outbound, inbound] = await streamPair()
    outbound.send(frame(3, 1))
    outbound.send(frame(70_000, 2))
    // the reader listens only once the data is there (kad-dht awaits before reading)
    await waitFor(() => inbound.readBufferLength === 4 + 70_003)
    const guarded = guardFrames(inbound, { peer: 'p', maxFrameBytes: 100_000, budget })
    const lp = lpStream(guarded)
    assert.deepEqual((await lp.read()).subarray(), new Uint8Array(3).fill(1))
    assert.deepEqual((await lp.read()).subarray(), new Uint8Array(70_000).fill(2))
    assert.equal(budget.held(), 0, 'finished frames are given back')
  })

  it('is the stream in all else: its logger keeps its methods, and an end mid-frame reads as UnexpectedEOFError', async () => {
    // the guard once handed out the logger bound, without .error: lpStream's EOF path threw a
    // TypeError, and the chat handler dropped every stream whose sender closed it between messages
    const [outbound, inbound] = await streamPair()
    const guarded = guardFrames(inbound, { peer: 'p', maxFrameBytes: 1_024, budget: new UnfinishedFrames() })
    assert.equal(typeof guarded.log.error, 'function')
    const read = lpStream(guarded).read()
    outbound.send(frame(100).subarray(0, 50))
    await outbound.close()
    await assert.rejects(read, { name: 'UnexpectedEOFError' })
  })

  it('aborts the stream at a length prefix longer than a frame under the cap needs', async () => {
    const [outbound, inbound] = await streamPair()
    const guarded = guardFrames(inbound, { peer: 'p', maxFrameBytes: 1_024, budget: new UnfinishedFrames() })
    const done = closed(inbound)
    const read = lpStream(guarded).read()
    outbound.send(new Uint8Array(256 * 1_024).fill(0x80))
    await assert.rejects(read)
    assert.equal((await done)?.name, 'InvalidLengthPrefixError')
  })

  it('aborts the stream at a frame longer than the cap, before its bytes come', async () => {
    const [outbound, inbound] = await streamPair()
    const guarded = guardFrames(inbound, { peer: 'p', maxFrameBytes: 1_024, budget: new UnfinishedFrames() })
    const done = closed(inbound)
    void lpStream(guarded).read().catch(() => {})
    outbound.send(varint.encode(1_025))
    assert.equal((await done)?.name, 'FrameTooLongError')
  })

  it('charges a frame under way to its peer until it ends, and gives it back when its stream closes', async () => {
    const budget = new UnfinishedFrames()
    const [outbound, inbound] = await streamPair()
    const lp = lpStream(guardFrames(inbound, { peer: 'p', maxFrameBytes: 100_000, budget }))
    const whole = frame(50_000)
    const reading = lp.read()
    outbound.send(whole.subarray(0, 30_003))
    await waitFor(() => budget.held('p') === 30_000)
    outbound.send(whole.subarray(30_003))
    assert.equal((await reading).byteLength, 50_000)
    assert.equal(budget.held('p'), 0)

    void lp.read().catch(() => {})
    outbound.send(frame(50_000).subarray(0, 10_003))
    await waitFor(() => budget.held('p') === 10_000)
    const done = closed(inbound)
    outbound.abort(new Error('gone'))
    await done
    assert.equal(budget.held(), 0, 'an abandoned frame is given back')
  })

  it('aborts the stream that would take one peer over its budget, and only that one', async () => {
    const budget = new UnfinishedFrames({ maxBytesPerPeer: 100_000, maxBytes: 1_000_000 })
    const streams = await Promise.all([1, 2, 3].map(async () => streamPair()))
    for (const [, inbound] of streams) void lpStream(guardFrames(inbound, { peer: 'p', maxFrameBytes: 60_000, budget })).read().catch(() => {})
    const [[out1, in1], [out2, in2], [out3, in3]] = streams
    out1.send(frame(60_000).subarray(0, 50_003))
    await waitFor(() => budget.held('p') === 50_000)
    out2.send(frame(60_000).subarray(0, 40_003))
    await waitFor(() => budget.held('p') === 90_000)
    const third = closed(in3)
    out3.send(frame(60_000).subarray(0, 20_003))
    assert.equal((await third)?.name, 'UnfinishedFramesLimitError')
    assert.equal(budget.held('p'), 90_000)
    assert.equal(in1.status, 'open')
    assert.equal(in2.status, 'open')
  })

  it('aborts the stream that would take all peers together over the total', async () => {
    const budget = new UnfinishedFrames({ maxBytesPerPeer: 100_000, maxBytes: 150_000 })
    const pairs = await Promise.all(['a', 'b'].map(async peer => ({ peer, pair: await streamPair() })))
    for (const { peer, pair: [, inbound] } of pairs) void lpStream(guardFrames(inbound, { peer, maxFrameBytes: 100_000, budget })).read().catch(() => {})
    pairs[0].pair[0].send(frame(100_000).subarray(0, 90_003))
    await waitFor(() => budget.held() === 90_000)
    const second = closed(pairs[1].pair[1])
    pairs[1].pair[0].send(frame(100_000).subarray(0, 80_003))
    assert.equal((await second)?.name, 'UnfinishedFramesLimitError')
    assert.equal(budget.held(), 90_000)
  })
})

/** Resolves once `test` holds, checked at each turn of the event loop (data arrives in its own turns) */
async function waitFor (test: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now()
  while (!test()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out')
    await new Promise(resolve => setImmediate(resolve))
  }
}
