import assert from 'node:assert/strict'
import { TempDirs } from '../helpers/temp-dir.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import { MAX_REQUEST_MESSAGES_PER_STRANGER } from '../../src/messenger/constants.ts'
import type { Parley } from '../../src/parley.ts'

/**
 * Strangers' requests are bounded on the recipient's disk. Before, each stranger's message (up
 * to 64 KiB) was kept, with no bound on how many, from how many strangers.
 */
describe('message requests from strangers, bounded', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const net = new TestNetwork()
  let b: Parley

  before(async () => {
    await net.startRelay(await dirs.make())
    // all requests together: 60 messages
    b = await net.start(await dirs.make(), { messenger: { requests: { maxMessages: 60 } } })
  })
  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  const incoming = async (from: Parley): Promise<string[]> =>
    (await b.messenger.history({ peer: from.peerId.toString() })).filter(m => m.direction === 'in').map(m => m.text)

  it(`one stranger: its newest ${MAX_REQUEST_MESSAGES_PER_STRANGER} messages are kept, every send delivered`, async () => {
    const s = await net.start(await dirs.make())
    const texts = Array.from({ length: MAX_REQUEST_MESSAGES_PER_STRANGER + 5 }, (_, i) => `request ${i}`)
    for (const text of texts) assert.equal((await s.messenger.send(b.peerId, text)).status, 'delivered')
    assert.deepEqual(await incoming(s), texts.slice(5))
    assert.deepEqual((await b.messenger.requests()).map(r => r.peerId), [s.peerId.toString()])
  })

  it('past the total, the request quiet longest goes whole; a contact\'s messages never count', async () => {
    const [first] = await b.messenger.requests()
    const contact = await net.start(await dirs.make())
    await b.messenger.addContact(contact.peerId, 'friend')
    for (let i = 0; i < 20; i++) assert.equal((await contact.messenger.send(b.peerId, `friend ${i}`)).status, 'delivered')

    const s2 = await net.start(await dirs.make())
    for (let i = 0; i < 10; i++) assert.equal((await s2.messenger.send(b.peerId, `second ${i}`)).status, 'delivered')
    // 50 + 10 = 60: nothing dropped yet
    assert.equal((await b.messenger.requests()).length, 2)
    assert.equal((await s2.messenger.send(b.peerId, 'second 10')).status, 'delivered')
    assert.deepEqual((await b.messenger.requests()).map(r => r.peerId), [s2.peerId.toString()])
    assert.equal((await b.messenger.history({ peer: first.peerId })).length, 0, 'the older request is gone whole')
    assert.equal((await incoming(s2)).length, 11)
    assert.equal((await incoming(contact)).length, 20)
  })
})
