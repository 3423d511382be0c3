import assert from 'node:assert/strict'
import { untilAsync } from '../helpers/events.ts'
import { MailboxNetwork, REPLICAS, STAMP_BITS, heldKeys, inboxHas, stored } from '../helpers/mailbox-network.ts'
import { connectedTo, startNode, LOOPBACK_TCP } from '../helpers/nodes.ts'
import type { Parley } from '../../src/parley.ts'
import type { TestNodeInit } from '../helpers/nodes.ts'

describe('offline delivery through mailboxes', function () {
  this.timeout(120_000)
  let net: MailboxNetwork

  beforeEach(async () => {
    net = new MailboxNetwork()
  })

  afterEach(async () => {
    await net.cleanup()
  })

  it('B offline, A sends N and leaves; B receives all N once and in order; A later sees delivered', async () => {
    await net.startStorers(4)
    const [dirA, dirB] = [await net.dirs.make(), await net.dirs.make()]
    let b = await net.startUser(dirB)
    await b.node.services.prekeys.published
    await net.stop(b)

    let a = await net.startUser(dirA)
    const N = 6
    for (let i = 0; i < N; i++) await a.messenger.send(b.peerId, `offline message ${i}`)
    const sent = await stored(a, b, N)
    assert.ok(sent.every(m => new Set(m.holders).size === m.holders!.length), 'each replica is a different storer')
    await net.stop(a)

    b = await net.startUser(dirB)
    const inbox = await inboxHas(b, a, N)
    assert.deepEqual(inbox.map(m => m.text), Array.from({ length: N }, (_, i) => `offline message ${i}`), 'all N, once each, in order')
    assert.equal((await b.messenger.requests()).length, 1, 'A is a stranger to B: its messages are a request')
    // a copy a storer handed on after B's acks (replication runs on its own) may still be
    // fetched again under load: it must not show up twice (the storers' emptiness is checked below)
    await b.messenger.checkMailbox()
    assert.deepEqual((await b.messenger.history({ peer: a.peerId.toString() })).map(m => m.text), inbox.map(m => m.text), 'nothing twice')

    // A comes back while B is offline again: B's receipt waits in A's own mailbox
    await untilAsync(b.node.services.mailbox, ['deposit'], async () => {
      return net.storers.reduce((n, s) => n + s.node.services.mailbox.usage().items, 0) >= REPLICAS
    }, 30_000, 'B\'s receipt in A\'s mailbox')
    await net.stop(b)
    a = await net.startUser(dirA)
    await untilAsync(a.messenger, ['status'], async () => {
      const out = await a.messenger.history({ peer: b.peerId.toString() })
      return out.every(m => m.status === 'delivered')
    }, 30_000, 'every message delivered')
    assert.equal((await a.messenger.history()).length, N, 'receipts are not history')
    await a.messenger.checkMailbox()
    assert.deepEqual(net.storers.map(s => s.node.services.mailbox.usage().items), [0, 0, 0, 0], 'the storers deleted all that was taken')
  })

  it('deposits with hosts only, though more non-hosting DHT servers are closer to the key', async () => {
    // a small k makes the main DHT's closest set 4 peers: with 8 non-hosts beside 3 hosts it
    // would rarely hold all 3 hosts; the hosts' own DHT always does
    const dht = { kBucketSize: 4 }
    const entry = await startNode({ dataDir: await net.dirs.make(), relay: true, mailboxHost: false, dht })
    net.running.add(entry)
    const start = async (extra: Partial<TestNodeInit>): Promise<Parley> => {
      const node = await startNode({ dataDir: await net.dirs.make(), bootstrap: entry.addresses(), dht, mailbox: { replicas: REPLICAS }, ...extra })
      net.running.add(node)
      await connectedTo(node, entry.peerId)
      return node
    }
    for (let i = 0; i < 8; i++) await start({})
    const hosts = await Promise.all(Array.from({ length: REPLICAS }, async () => start({ mailboxHost: {} })))
    const b = await start({})
    const a = await start({})
    assert.equal((await a.messenger.send(b.peerId, 'hello while you are here')).status, 'delivered')
    await net.stop(b)

    const sent = await a.messenger.send(b.peerId, 'kept by hosts')
    assert.equal(sent.status, 'stored')
    assert.deepEqual(new Set(sent.holders), new Set(hosts.map(h => h.peerId.toString())), 'every host holds a copy, and only hosts')
  })

  it('survives storers killed and restarted mid-way: exact count, no duplicates', async () => {
    await net.startStorers(5)
    const [dirA, dirB] = [await net.dirs.make(), await net.dirs.make()]
    let b = await net.startUser(dirB)
    await b.node.services.prekeys.published
    await b.messenger.addContact((await net.startUser(dirA)).peerId, 'alice')
    const a = [...net.running].find(n => n.dataDir === dirA)!
    await net.stop(b)

    const N = 5
    for (let i = 0; i < N; i++) await a.messenger.send(b.peerId, `m${i}`)
    const sent = await stored(a, b, N)

    // kill two storers that hold copies
    const holders = new Set(sent.flatMap(m => m.holders ?? []))
    const killed = net.storers.map((s, i) => ({ s, i })).filter(({ s }) => holders.has(s.peerId.toString())).slice(0, 2)
    for (const { s } of killed) await net.stop(s)

    b = await net.startUser(dirB)
    const inbox = await inboxHas(b, a, N)
    assert.deepEqual(inbox.map(m => m.text), ['m0', 'm1', 'm2', 'm3', 'm4'])

    // the killed storers return with their copies (on disk while they are down: once back, B
    // may fetch from them the moment they connect); B fetches them and shows nothing twice
    for (const { i } of killed) {
      assert.ok((await heldKeys(net.storerDirs[i])).size > 0, 'the storer kept its envelopes across the restart')
      const back = await net.restartStorer(i)
      await b.node.dial(back.addresses()[0])
    }
    await b.messenger.checkMailbox()
    for (const { i } of killed) {
      assert.equal(net.storers[i].node.services.mailbox.usage().items, 0, 'B acknowledged the restarted storer\'s copies')
    }
    assert.equal((await b.messenger.history({ peer: a.peerId.toString() })).length, N, 'no duplicates shown')
    await untilAsync(a.messenger, ['status'], async () => (await a.messenger.history({ peer: b.peerId.toString() })).every(m => m.status === 'delivered'), 30_000, 'A sees delivered')
  })

  it('copies follow the closest set: storers hand them on, and survive the original holders', async () => {
    await net.startStorers(3)
    const [dirA, dirB] = [await net.dirs.make(), await net.dirs.make()]
    let b = await net.startUser(dirB)
    await b.node.services.prekeys.published
    const a = await net.startUser(dirA)
    await b.messenger.addContact(a.peerId, 'alice')
    await net.stop(b)
    await a.messenger.send(b.peerId, 'kept alive by re-replication')
    await stored(a, b, 1)
    await net.stop(a)

    // two new storers join; of the four others, the three closest include at least one of them
    for (let i = 0; i < 2; i++) {
      const dir = await net.dirs.make()
      net.storerDirs.push(dir)
      net.storers.push(await net.startStorer(dir))
    }
    const [first, ...others] = net.storers
    await Promise.all(others.map(async s => connectedTo(first, s.peerId)))
    assert.ok(await first.node.services.mailbox.replicate() >= 1, 'handed on to a newcomer')
    // a peer that holds a copy is not sent it again: rounds settle at zero (the DHT's view of
    // the closest set may still grow by a peer between rounds)
    let rounds = 1
    while (await first.node.services.mailbox.replicate() > 0) assert.ok(++rounds < 4, 'replication settles')
    assert.ok(others.slice(2).some(s => s.node.services.mailbox.usage().items === 1), 'a newcomer holds a copy')
    // every original holder goes away
    for (const s of net.storers.slice(0, 3)) await net.stop(s)

    b = await net.startUser(dirB)
    const inbox = await inboxHas(b, a, 1)
    assert.deepEqual(inbox.map(m => m.text), ['kept alive by re-replication'])
  })

  it('a recipient that connects to a storer holding its mail fetches from it at once, with no poll (the mail is under its requests key, which the storer cannot tie to it)', async () => {
    await net.startStorers(2)
    const [dirA, dirB] = [await net.dirs.make(), await net.dirs.make()]
    let b = await net.startUser(dirB)
    await b.node.services.prekeys.published
    const a = await net.startUser(dirA)
    await b.messenger.addContact(a.peerId, 'alice')
    await net.stop(b)
    const sent = await a.messenger.send(b.peerId, 'you have mail')
    assert.equal(sent.status, 'stored')
    await net.stop(a)

    // B comes back knowing only a peer that holds no mail, and does not poll
    const loner = await startNode({ dataDir: await net.dirs.make(), mailboxHost: false })
    net.running.add(loner)
    b = await startNode({ dataDir: dirB, bootstrap: loner.addresses(), mailbox: { replicas: REPLICAS }, messenger: { stampBits: STAMP_BITS, fetchIntervalMs: 3_600_000 } })
    net.running.add(b)
    await connectedTo(b, loner.peerId)
    assert.equal((await b.messenger.checkMailbox()).fetched, 0, 'no storer in sight')
    const arrived = inboxHas(b, a, 1)
    await b.node.dial(net.storers[0].addresses()[0])
    assert.deepEqual((await arrived).map(m => m.text), ['you have mail'])
  })

  it('a top-up with no storer left to ask returns at once, without minting a stamp', async () => {
    // a message to an offline stranger held by fewer storers than the replica target is topped
    // up on every retry; each top-up minted a new proof-of-work stamp before looking for storers,
    // and with none left to ask a backlog of them kept a sender busy for tens of seconds
    await net.startStorers(2)
    const a = await net.startUser(await net.dirs.make())
    const b = await net.startUser(await net.dirs.make())
    const holders = net.storers.map(s => s.peerId.toString())
    // 32 bits of work is billions of hashes: minting it would run into the signal
    const result = await a.node.services.mailbox.deposit(b.peerId, new Uint8Array(64).fill(7), {
      holders, stampBits: 32, signal: AbortSignal.timeout(10_000)
    })
    assert.deepEqual(result, { receipts: [], failures: [] })
  })

  it('a stranger\'s mailbox message needs a proof-of-work stamp; a stamped one is a request', async () => {
    await net.startStorers(3)
    const [dirB, dirA, dirC] = [await net.dirs.make(), await net.dirs.make(), await net.dirs.make()]
    let b = await net.startUser(dirB, { messenger: { stampBits: 16 } })
    await b.node.services.prekeys.published
    await net.stop(b)

    // A stamps at 0 bits: B wants 16 (a 0-bit stamp passes 16 bits once in 65,536 tries)
    const a = await net.startUser(dirA, { messenger: { stampBits: 0 } })
    await a.messenger.send(b.peerId, 'unstamped')
    let c = await net.startUser(dirC, { messenger: { stampBits: 16 } })
    await c.messenger.send(b.peerId, 'stamped')
    await stored(a, b, 1)
    await stored(c, b, 1)
    // both leave, so what B gets comes from the mailbox (a stranger's direct message needs no stamp)
    await net.stop(a)
    await net.stop(c)

    b = await net.startUser(dirB, { messenger: { stampBits: 16 } })
    await inboxHas(b, c, 1)
    await b.messenger.checkMailbox()
    assert.deepEqual((await b.messenger.history()).map(m => m.text), ['stamped'], 'the unstamped message was dropped')
    assert.deepEqual((await b.messenger.requests()).map(r => r.peerId), [c.peerId.toString()])

    await b.messenger.block(c.peerId)
    assert.deepEqual(await b.messenger.requests(), [], 'blocking settles the request')
    c = await net.startUser(dirC, { messenger: { stampBits: 16 } })
    await b.node.dial(c.addresses()[0])
    const refused = await c.messenger.send(b.peerId, 'after the block')
    assert.equal(refused.status, 'failed', 'B refuses a blocked sender')
    assert.match(refused.error ?? '', /does not accept/)
  })

  it('a storer refuses past its per-recipient quota, and the sender keeps the message queued', async () => {
    const dir = await net.dirs.make()
    const storer = await startNode({ dataDir: dir, relay: true, listen: [LOOPBACK_TCP], mailboxHost: { maxItemsPerKey: 2 } })
    net.running.add(storer)
    net.storers.push(storer)
    const [dirA, dirB] = [await net.dirs.make(), await net.dirs.make()]
    const b = await net.startUser(dirB)
    await b.node.services.prekeys.published
    await net.stop(b)
    const a = await net.startUser(dirA, { mailbox: { replicas: 1 } })
    const first = await a.messenger.send(b.peerId, 'one')
    const second = await a.messenger.send(b.peerId, 'two')
    const third = await a.messenger.send(b.peerId, 'three')
    assert.deepEqual([first.status, second.status, third.status], ['stored', 'stored', 'queued'], 'the third is over the per-key quota')
    assert.equal(storer.node.services.mailbox.usage().items, 2)
  })
})
