import assert from 'node:assert/strict'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { toString as toHex } from 'uint8arrays/to-string'
import { MailboxNetwork, heldByReplicas, heldKeys, inboxHas, stored } from '../helpers/mailbox-network.ts'
import { epochAt, mailboxKey } from '../../src/protocols/mailbox/index.ts'

describe('mailbox identities: mail for a peer goes under a key of its own for the epoch, which names no PeerId', function () {
  this.timeout(120_000)
  let net: MailboxNetwork

  beforeEach(() => { net = new MailboxNetwork() })
  afterEach(async () => { await net.cleanup() })

  it('A learns B\'s identity from what B sends, leaves B\'s mail under it while B is offline, and B reads it from there', async () => {
    await net.startStorers(4)
    const [dirA, dirB] = [await net.dirs.make(), await net.dirs.make()]
    const a = await net.startUser(dirA)
    let b = await net.startUser(dirB)
    await Promise.all([a, b].map(async n => n.node.services.prekeys.published))
    // B writes first: its mailbox identities ride along, inside the encrypted content
    assert.equal((await b.messenger.send(a.peerId, 'hello from B')).status, 'delivered')
    await inboxHas(a, b, 1)
    const epoch = epochAt(Date.now())
    const identity = await b.node.services.mailbox.identities.forEpoch(epoch)
    await net.stop(b)

    for (let i = 0; i < 3; i++) await a.messenger.send(b.peerId, `while B is away ${i}`)
    const sent = (await stored(a, b, 3))
    const holders = new Set(sent.flatMap(m => m.holders ?? []))
    await net.stop(a)

    // examined as an operator would: the storers that hold B's mail, their tables opened
    const underIdentity = toHex(identity.key, 'base16')
    const underPeerId = toHex(mailboxKey(b.peerId, epoch), 'base16')
    let holding = 0
    for (const [i, storer] of net.storers.entries()) {
      const wasHolder = holders.has(storer.peerId.toString())
      await net.stop(storer)
      const keys = await heldKeys(net.storerDirs[i])
      assert.ok(!keys.has(underPeerId), `storer ${i} holds mail under the mailbox key of B's PeerId`)
      if (wasHolder) {
        assert.deepEqual([...keys], [underIdentity], `storer ${i} holds B's mail under B's identity of the epoch`)
        holding++
      }
    }
    assert.ok(holding >= 3, `${holding} storers held B's mail`)

    for (let i = 0; i < net.storers.length; i++) await net.restartStorer(i)
    b = await net.startUser(dirB)
    const inbox = await inboxHas(b, a, 3)
    assert.deepEqual(inbox.filter(m => m.direction === 'in').map(m => m.text), ['while B is away 0', 'while B is away 1', 'while B is away 2'])
  })

  it('a peer that was only written to announces its identity back at once when it knows the writer, and its mail then goes under it', async () => {
    await net.startStorers(4)
    const [dirA, dirB] = [await net.dirs.make(), await net.dirs.make()]
    const a = await net.startUser(dirA)
    let b = await net.startUser(dirB)
    await Promise.all([a, b].map(async n => n.node.services.prekeys.published))
    // (a stranger would be told nothing until accepted: its mail goes to the requests mailbox)
    await b.messenger.addContact(a.peerId, 'A')
    // (the messenger's own hook: A keeps what B announced)
    const addresses = (a.messenger as any).addresses
    const learned = new Promise<void>(resolve => {
      const before = addresses.onLearned
      addresses.onLearned = (peer: string) => {
        before?.(peer)
        if (peer === b.peerId.toString()) resolve()
      }
    })
    assert.equal((await a.messenger.send(b.peerId, 'hello B')).status, 'delivered')
    await learned
    const identity = await b.node.services.mailbox.identities.forEpoch(epochAt(Date.now()))
    await net.stop(b)
    const sent = await heldByReplicas(a, b, (await a.messenger.send(b.peerId, 'while B is away')).id)
    await net.stop(a)
    const holder = net.storers.findIndex(s => sent.holders?.includes(s.peerId.toString()))
    await net.stop(net.storers[holder])
    assert.deepEqual([...await heldKeys(net.storerDirs[holder])], [toHex(identity.key, 'base16')])
    await net.restartStorer(holder)
    b = await net.startUser(dirB)
    assert.ok((await inboxHas(b, a, 2)).some(m => m.text === 'while B is away'))
  })

  it('a stranger leaves its first message in the requests mailbox its prekey record names, not the PeerId\'s; the recipient reads it', async () => {
    await net.startStorers(4)
    const [dirA, dirB] = [await net.dirs.make(), await net.dirs.make()]
    let b = await net.startUser(dirB)
    await b.node.services.prekeys.published
    const requests = await b.node.services.mailbox.identities.requests()
    await net.stop(b)
    const a = await net.startUser(dirA)
    const first = await a.messenger.send(b.peerId, 'to someone who never wrote')
    const [sent] = await stored(a, b, 1)
    assert.equal(sent.id, first.id)
    await net.stop(a)
    const epoch = epochAt(Date.now())
    const holder = net.storers.findIndex(s => sent.holders?.includes(s.peerId.toString()))
    await net.stop(net.storers[holder])
    assert.deepEqual([...await heldKeys(net.storerDirs[holder])], [toHex(mailboxKey(peerIdFromPrivateKey(requests), epoch), 'base16')])
    await net.restartStorer(holder)
    b = await net.startUser(dirB)
    assert.deepEqual((await inboxHas(b, a, 1)).map(m => m.text), ['to someone who never wrote'])
  })
})
