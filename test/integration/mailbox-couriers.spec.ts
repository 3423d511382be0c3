import assert from 'node:assert/strict'
import { MailboxNetwork, heldByReplicas, inboxHas } from '../helpers/mailbox-network.ts'
import { PROTOCOL } from '../../src/protocols/mailbox/index.ts'
import type { Parley } from '../../src/parley.ts'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * Who a storer's mailbox streams came from, by the PeerId its connection's Noise handshake
 * showed: every stream, and the deposits among them (a host charges each deposit to a tag of
 * the network of its connection's remote address: the tag names the connection)
 */
async function watchMailboxStreams (storer: Parley): Promise<{ all: string[], deposits: string[] }> {
  const seen = { all: [] as string[], deposits: [] as string[] }
  const registrar = (storer.node as any).components.registrar
  const { handler, options } = registrar.getHandler(PROTOCOL)
  await registrar.unhandle(PROTOCOL)
  await registrar.handle(PROTOCOL, (stream: unknown, connection: any) => {
    seen.all.push(connection.remotePeer.toString())
    return handler(stream, connection)
  }, options)
  const host = (storer.node.services.mailbox as any).host
  // a deposit's tag is taken in the same expression that calls answerStore, so the connection
  // last tagged is the depositor's (a watch is tagged too; on loopback every tag is the same)
  let lastTagged = 'unknown'
  const tagOf = host.sources.tagOf.bind(host.sources)
  host.sources.tagOf = (remoteAddr: Multiaddr) => {
    const connection = storer.node.getConnections().find(c => c.remoteAddr.equals(remoteAddr))
    lastTagged = connection?.remotePeer.toString() ?? 'unknown'
    return tagOf(remoteAddr)
  }
  const answerStore = host.answerStore.bind(host)
  host.answerStore = async (request: unknown, source: string, opts: unknown) => {
    seen.deposits.push(lastTagged)
    return answerStore(request, source, opts)
  }
  return seen
}

describe('mailbox traffic under throwaway identities (couriers)', function () {
  this.timeout(180_000)
  const net = new MailboxNetwork()
  after(async () => { await net.cleanup() })

  it('a storer sees no deposit from the PeerId of A, B or the stranger C, and B fetches its other mailboxes under a courier each', async () => {
    await net.startStorers(4)
    const streams = await Promise.all(net.storers.map(watchMailboxStreams))
    const [dirA, dirB, dirC] = [await net.dirs.make(), await net.dirs.make(), await net.dirs.make()]
    const a = await net.startUser(dirA)
    let b = await net.startUser(dirB)
    await Promise.all([a, b].map(async n => n.node.services.prekeys.published))
    assert.equal((await b.messenger.send(a.peerId, 'hi A')).status, 'delivered')
    await inboxHas(a, b, 1)
    assert.equal((await a.messenger.send(b.peerId, 'hi B')).status, 'delivered')
    await inboxHas(b, a, 1)
    await net.stop(b)

    const c = await net.startUser(dirC)
    const fromA = await a.messenger.send(b.peerId, 'from A while B is away')
    const fromC = await c.messenger.send(b.peerId, 'from a stranger')
    await heldByReplicas(a, b, fromA.id)
    await heldByReplicas(c, b, fromC.id)
    const storerIds = new Set(net.storers.map(s => s.peerId.toString()))
    const deposits = new Set(streams.flatMap(s => s.deposits).filter(p => !storerIds.has(p)))
    assert.ok(!deposits.has('unknown'), 'every deposit came over a connection the storer knew')
    assert.ok(deposits.size >= 2, `A's and C's deposits came from ${deposits.size} courier(s)`)
    for (const [who, node] of [['A', a], ['B', b], ['C', c]] as const) {
      assert.ok(!deposits.has(node.peerId.toString()), `a storer saw a deposit from ${who}'s PeerId`)
    }

    const before = streams.map(s => s.all.length)
    b = await net.startUser(dirB)
    assert.ok((await inboxHas(b, a, 2)).some(m => m.text === 'from A while B is away'))
    assert.ok((await inboxHas(b, c, 1)).some(m => m.text === 'from a stranger'))
    const fetches = streams.flatMap((s, i) => s.all.slice(before[i])).filter(p => !storerIds.has(p))
    const couriers = new Set(fetches.filter(p => p !== b.peerId.toString()))
    // B's requests mailbox and its mailbox identity of each epoch: a courier each, none of them
    // one that carried a deposit
    assert.ok(couriers.size >= 2, `B's fetches came from ${couriers.size} courier(s)`)
    for (const courier of couriers) assert.ok(!deposits.has(courier), 'a courier carried both a deposit and a fetch')
    for (const node of [a, c]) assert.ok(!fetches.includes(node.peerId.toString()))
  })
})
