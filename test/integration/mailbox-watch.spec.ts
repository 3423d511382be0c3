import assert from 'node:assert/strict'
import { MailboxNetwork, heldByReplicas, inboxHas } from '../helpers/mailbox-network.ts'
import { PROTOCOL as CHAT_PROTOCOL } from '../../src/protocols/chat/constants.ts'
import { FETCH_INTERVAL_MS } from '../../src/messenger/constants.ts'
import type { Parley } from '../../src/parley.ts'

/** B stays online but takes no direct message (as when no way to it works): mail is all A has */
async function refuseDirect (node: Parley): Promise<void> {
  await node.node.unhandle(CHAT_PROTOCOL)
}

describe('mail left for a user who is online', function () {
  this.timeout(120_000)
  const net = new MailboxNetwork()
  after(async () => { await net.cleanup() })

  it('reaches it at once through its watch on its storers, from a stranger and from a contact, long before its periodic check', async () => {
    assert.ok(FETCH_INTERVAL_MS >= 60_000, 'the periodic check alone would pass this test')
    await net.startStorers(3)
    const a = await net.startUser(await net.dirs.make())
    const b = await net.startUser(await net.dirs.make())
    await Promise.all([a, b].map(async n => n.node.services.prekeys.published))
    await b.messenger.firstMailboxCheck()
    await refuseDirect(b)

    // a stranger's first message goes to B's requests mailbox
    const first = await a.messenger.send(b.peerId, 'left while you were here')
    assert.notEqual(first.status, 'delivered', 'it went to the mailbox, not to B')
    await heldByReplicas(a, b, first.id)
    await inboxHas(b, a, 1)

    // B answers, so A knows B's mailbox identity: the next goes there
    const reply = await b.messenger.send(a.peerId, 'got it')
    await inboxHas(a, b, 1)
    assert.equal(reply.status, 'delivered')
    const second = await a.messenger.send(b.peerId, 'again while you were here')
    assert.notEqual(second.status, 'delivered')
    await heldByReplicas(a, b, second.id)
    assert.ok((await inboxHas(b, a, 2)).some(m => m.text === 'again while you were here'))
  })
})
