import assert from 'node:assert/strict'
import { equals } from 'uint8arrays/equals'
import { TestNetwork } from '../helpers/nodes.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { Parley } from '../../src/parley.ts'

/**
 * What DHT peers learn of whose prekeys are wanted: a lookup names the PeerId. So a bundle is
 * asked of the peer itself while it can be reached, and looked up in the DHT only when not.
 */
describe('prekeys: asked of the peer first, the DHT only when it cannot be reached', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const net = new TestNetwork()
  let alice: Parley
  let bob: Parley
  const dhtGets: string[] = []

  before(async () => {
    await net.startRelay(await dirs.make())
    ;[alice, bob] = await Promise.all([net.start(await dirs.make()), net.start(await dirs.make())])
    await bob.node.services.prekeys.published
    // every DHT read Alice's node makes, by key
    const routing = alice.node.contentRouting
    const get = routing.get.bind(routing)
    routing.get = async (key, options) => {
      dhtGets.push(new TextDecoder().decode(key))
      return get(key, options)
    }
  })

  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  it('a reachable peer hands its bundle over itself (with a one-time prekey and its requests mailbox key); no DHT read names it', async () => {
    const bundle = await alice.node.services.prekeys.fetchBundle(bob.peerId)
    assert.ok(bundle.oneTimePrekey != null, 'a one-time prekey: only the peer itself gives one')
    assert.ok(bundle.requestsMailbox != null && equals(bundle.requestsMailbox, (await bob.node.services.mailbox.identities.requests()).publicKey.raw))
    assert.deepEqual(dhtGets.filter(k => k.includes('parley-prekeys')), [])
  })

  it('an unreachable one is read from its DHT record, which carries the requests mailbox key too', async () => {
    const requests = (await bob.node.services.mailbox.identities.requests()).publicKey.raw
    const bobId = bob.peerId
    await net.stop(bob)
    const bundle = await alice.node.services.prekeys.fetchBundle(bobId)
    assert.equal(bundle.oneTimePrekey, undefined)
    assert.ok(bundle.requestsMailbox != null && equals(bundle.requestsMailbox, requests))
    assert.equal(dhtGets.filter(k => k.includes('parley-prekeys')).length, 1)
  })
})
