import { join } from 'node:path'
import assert from 'node:assert/strict'
import { TempDirs } from '../helpers/temp-dir.ts'
import { waitForEvent } from '../helpers/events.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import { LevelStore } from '../../src/storage/level-store.ts'

describe('end-to-end encryption between real nodes', function () {
  const dirs = new TempDirs()
  const net = new TestNetwork()
  const start = net.start.bind(net)
  const stop = net.stop.bind(net)

  before(async () => { await net.startRelay(await dirs.make()) })

  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  it('a first message to a contact offline since before we met opens a session from its DHT prekey record', async () => {
    const dirB = await dirs.make()
    let b = await start(dirB)
    await b.node.services.prekeys.published
    const bPeer = b.peerId
    await stop(b)

    const a = await start(await dirs.make())
    const queued = await a.messenger.send(bPeer, 'written while you were offline')
    assert.equal(queued.status, 'queued', 'B is offline')

    const delivered = waitForEvent(a.messenger, 'status', r => r.id === queued.id && r.status === 'delivered')
    b = await start(dirB)
    await b.messenger.addContact(a.peerId, 'alice') // B greets A on its next start; here A retries on its own
    await delivered
    assert.deepEqual((await b.messenger.history()).map(m => [m.text, m.peer]), [['written while you were offline', a.peerId.toString()]])

    // then both directions ratchet on
    for (let i = 0; i < 3; i++) {
      assert.equal((await b.messenger.send(a.peerId, `reply ${i}`)).status, 'delivered')
      assert.equal((await a.messenger.send(bPeer, `again ${i}`)).status, 'delivered')
    }
    assert.equal((await b.messenger.history()).length, 7)
  })

  it('keeps sessions across restarts of both sides, with no plaintext in the stored session', async () => {
    const [dirA, dirB] = [await dirs.make(), await dirs.make()]
    let a = await start(dirA)
    let b = await start(dirB)
    const secret = `a secret ${Math.random()}`
    assert.equal((await a.messenger.send(b.peerId, secret)).status, 'delivered')
    assert.equal((await b.messenger.send(a.peerId, 'ok')).status, 'delivered')
    await stop(a)
    await stop(b)

    const store = new LevelStore(join(dirB, 'messages'))
    await store.open()
    try {
      const session = await store.keys.loadSession(a.peerId.toString())
      assert.ok(session != null && session.byteLength > 0, 'B kept its session with A')
      assert.ok(!Buffer.from(session).includes(Buffer.from(secret)), 'the session holds no plaintext')
    } finally {
      await store.close()
    }

    a = await start(dirA)
    b = await start(dirB)
    await a.node.dial(b.addresses()[0])
    for (let i = 0; i < 3; i++) {
      assert.equal((await a.messenger.send(b.peerId, `after restart ${i}`)).status, 'delivered')
      assert.equal((await b.messenger.send(a.peerId, `back ${i}`)).status, 'delivered')
    }
    assert.deepEqual((await b.messenger.history({ peer: a.peerId.toString() })).map(m => m.text).slice(-2), ['after restart 2', 'back 2'])
  })
})
