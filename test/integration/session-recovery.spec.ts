import assert from 'node:assert/strict'
import { join } from 'node:path'
import { SessionRecord } from '../../src/crypto/session/pb/session.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { Parley } from '../../src/parley.ts'

/**
 * A recipient that cannot open a message for want of the session it was sealed in (a one-time
 * prekey it no longer has, a session it lost) tells the sender so, and the sender starts a new
 * session and sends the same message again, as libsignal does: nothing is lost, the user sees
 * `delivered`. Before, the message failed, and every later one with it.
 */
describe('session recovery', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const net = new TestNetwork()

  before(async () => { await net.startRelay(await dirs.make()) })
  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  async function texts (node: Parley, peer: Parley): Promise<string[]> {
    return (await node.messenger.history({ peer: peer.peerId.toString() })).map(m => `${m.direction} ${m.status} ${m.text}`)
  }

  it('a one-time prekey the recipient no longer has: the message goes again under a new session, delivered', async () => {
    const alice = await net.start(await dirs.make())
    const bob = await net.start(await dirs.make())
    // Alice seals to a one-time prekey Bob never gave out (as after a drain, or a stale bundle)
    const prekeys = alice.node.services.prekeys
    const fetchBundle = prekeys.fetchBundle.bind(prekeys)
    let fetched = 0
    prekeys.fetchBundle = async (peer, options) => {
      const bundle = await fetchBundle(peer, options)
      if (++fetched > 1 || bundle.oneTimePrekey == null) return bundle
      return { ...bundle, oneTimePrekey: { ...bundle.oneTimePrekey, id: bundle.oneTimePrekey.id ^ 0x5a5a5a } }
    }
    for (const text of ['first', 'second']) {
      assert.equal((await alice.messenger.send(bob.peerId, text)).status, 'delivered', text)
    }
    assert.equal(fetched, 2, 'a fresh bundle for the new session')
    assert.equal((await bob.messenger.send(alice.peerId, 'reply')).status, 'delivered')
    assert.deepEqual(await texts(bob, alice), ['in delivered first', 'in delivered second', 'out delivered reply'])
    assert.deepEqual(await texts(alice, bob), ['out delivered first', 'out delivered second', 'in delivered reply'])
  })

  it('a recipient that lost the session (restored from an old backup): the sender starts a new one, nothing lost', async () => {
    const alice = await net.start(await dirs.make())
    const bobDir = await dirs.make()
    let bob = await net.start(bobDir)
    assert.equal((await alice.messenger.send(bob.peerId, 'before')).status, 'delivered')
    assert.equal((await bob.messenger.send(alice.peerId, 'before too')).status, 'delivered')

    // Bob's session with Alice is gone, the rest of his data kept
    await net.stop(bob)
    const store = new LevelStore(join(bobDir, 'messages'))
    await store.open()
    await store.apply([store.keys.sessionWrite(alice.peerId.toString(), SessionRecord.encode({ previous: [] }))])
    await store.close()
    bob = await net.start(bobDir)

    for (const text of ['after', 'and after']) {
      assert.equal((await alice.messenger.send(bob.peerId, text)).status, 'delivered', text)
    }
    assert.equal((await bob.messenger.send(alice.peerId, 'back')).status, 'delivered')
    assert.deepEqual((await texts(bob, alice)).slice(2), ['in delivered after', 'in delivered and after', 'out delivered back'])
  })
})
