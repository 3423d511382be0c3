import assert from 'node:assert/strict'
import { pbStream } from '@libp2p/utils'
import { PROTOCOL as PREKEYS } from '../../src/protocols/prekeys/constants.ts'
import { PrekeyRequest, PrekeyResponse } from '../../src/protocols/prekeys/pb/prekeys.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { Parley } from '../../src/parley.ts'

/** Asks `victim` for `count` prekey bundles from `from`, a few at a time; how many carried a one-time prekey */
async function drain (from: Parley, victim: Parley, count: number): Promise<number> {
  let withOneTime = 0
  let next = 0
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < count) {
      next++
      const stream = await from.node.dialProtocol(victim.peerId, PREKEYS)
      const pb = pbStream(stream)
      await pb.write({}, PrekeyRequest)
      const response = await pb.read(PrekeyResponse)
      if (response.bundle?.oneTimePrekey != null) withOneTime++
      await stream.close()
    }
  }))
  return withOneTime
}

describe('prekey drain: a flood of prekey requests', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const net = new TestNetwork()
  let alice: Parley
  let bob: Parley
  let mallory: Parley

  before(async () => {
    await net.startRelay(await dirs.make())
    ;[alice, bob, mallory] = await Promise.all([net.start(await dirs.make()), net.start(await dirs.make()), net.start(await dirs.make())])
  })

  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  it('does not lock a new contact out: 2,000 requests between Alice\'s bundle fetch and her first message, and it and the next 5 arrive', async () => {
    // the review's attack: each request minted a one-time prekey and past 1,000 the oldest went,
    // Alice's among them; Bob answered UnknownPrekeyError and every message of hers failed
    const prekeys = alice.node.services.prekeys
    const fetchBundle = prekeys.fetchBundle.bind(prekeys)
    let drained: number | undefined
    prekeys.fetchBundle = async (peer, options) => {
      const bundle = await fetchBundle(peer, options)
      assert.ok(bundle.oneTimePrekey != null, 'Alice got a one-time prekey')
      drained = await drain(mallory, bob, 2_000)
      return bundle
    }
    const texts = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth']
    for (const text of texts) {
      assert.equal((await alice.messenger.send(bob.peerId, text)).status, 'delivered', text)
    }
    assert.ok(drained != null, 'the drain ran between the fetch and the first message')
    assert.ok(drained < 10, `one identity got ${drained} one-time prekeys out of 2,000 requests`)
    const inbox = (await bob.messenger.history({ peer: alice.peerId.toString() })).map(m => m.text)
    assert.deepEqual(inbox, texts)
  })
})
