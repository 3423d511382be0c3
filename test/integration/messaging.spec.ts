import assert from 'node:assert/strict'
import { TempDirs } from '../helpers/temp-dir.ts'
import { untilAsync, waitForEvent } from '../helpers/events.ts'
import { multiaddr } from '@multiformats/multiaddr'
import { WebRTC } from '@multiformats/multiaddr-matcher'
import { hasRelayAddress, TestNetwork } from '../helpers/nodes.ts'
import { PROTOCOL as CHAT } from '../../src/protocols/chat/index.ts'
import type { Parley } from '../../src/parley.ts'
import type { IdentifyResult } from '@libp2p/interface'

/** A TCP port on 127.0.0.1 that nothing listens on any more */
async function closedPort (): Promise<number> {
  const { createServer } = await import('node:net')
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>(resolve => server.close(() => { resolve() }))
  return port
}

describe('messaging between real nodes over TCP on 127.0.0.1', function () {
  const dirs = new TempDirs()
  const net = new TestNetwork()
  let relay: Parley
  let dirA: string
  let dirB: string
  const start = net.start.bind(net)
  const stop = net.stop.bind(net)

  before(async () => {
    relay = await net.startRelay(await dirs.make())
    dirA = await dirs.make()
    dirB = await dirs.make()
  })

  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  it('finds a peer known only to the relay through the DHT and delivers both ways with acks', async () => {
    const a = await start(dirA)
    const b = await start(dirB)
    assert.equal(a.node.getConnections(b.peerId).length, 0, 'A and B start unconnected')
    assert.equal((await a.node.peerStore.has(b.peerId)), false, 'A has never heard of B')

    const received = waitForEvent(b.messenger, 'message')
    const sent = await a.messenger.send(b.peerId, 'hello B')
    assert.equal(sent.status, 'delivered')
    const got = await received
    assert.equal(got.text, 'hello B')
    assert.equal(got.id, sent.id)
    assert.equal(got.peer, a.peerId.toString())
    assert.equal(got.direction, 'in')

    const reply = await b.messenger.send(a.peerId, 'hi A')
    assert.equal(reply.status, 'delivered')
    const aHistory = await a.messenger.history({ peer: b.peerId.toString() })
    assert.deepEqual(aHistory.map(m => [m.direction, m.text, m.status]), [
      ['out', 'hello B', 'delivered'],
      ['in', 'hi A', 'delivered']
    ])
  })

  it('keeps history across a restart', async () => {
    const b = net.node(dirB)
    const before = await b.messenger.history()
    assert.equal(before.length, 2)
    await stop(b)
    const again = await start(dirB)
    assert.equal(again.peerId.toString(), b.peerId.toString(), 'same identity')
    assert.deepEqual(await again.messenger.history(), before)
    const a = net.node(dirA)
    const remembered = await again.node.peerStore.get(a.peerId)
    assert.ok(remembered.addresses.length > 0, "libp2p's peer store (datastore-level) kept A's addresses")
  })

  it('looks a peer up again when every address it had for it fails: a contact back on a new port still gets the message at once', async () => {
    // B restarted on a new port (a user's TCP port is new at each start) and has not greeted A
    // yet: A knows only the old one. Before, the send failed on it and went to the mailbox
    // (here, with no storer, it stayed queued) while B sat online, findable through the DHT.
    const a = net.node(dirA)
    const b = net.node(dirB)
    const dead = await closedPort()
    // A knows only the dead address before it hangs up (its DHT redials routing table peers),
    // and B cannot call A back: it forgets A's addresses
    await a.node.peerStore.patch(b.peerId, { multiaddrs: [multiaddr(`/ip4/127.0.0.1/tcp/${dead}`)] })
    await b.node.peerStore.patch(a.peerId, { multiaddrs: [] })
    await a.node.hangUp(b.peerId)
    assert.equal(a.node.getConnections(b.peerId).length, 0)
    const sent = await a.messenger.send(b.peerId, 'you moved')
    assert.equal(sent.status, 'delivered', sent.error)
  })

  it('queues messages for an offline peer and delivers them when it returns (it greets its contacts)', async () => {
    const a = net.node(dirA)
    let b = net.node(dirB)
    await b.messenger.addContact(a.peerId, 'alice')
    await stop(b)

    const first = await a.messenger.send(b.peerId, 'while you were away 1')
    const second = await a.messenger.send(b.peerId, 'while you were away 2')
    assert.equal(first.status, 'queued')
    assert.equal(second.status, 'queued')

    const delivered = new Set<string>()
    const bothDelivered = waitForEvent(a.messenger, 'status', r => {
      if (r.status === 'delivered') delivered.add(r.id)
      return delivered.has(first.id) && delivered.has(second.id)
    })
    b = await start(dirB)
    await bothDelivered
    const texts = (await b.messenger.history({ peer: a.peerId.toString() })).map(m => m.text)
    assert.deepEqual(texts.slice(-2), ['while you were away 1', 'while you were away 2'], 'in order')
    assert.equal((await a.messenger.history({ peer: b.peerId.toString() })).filter(m => m.status === 'queued').length, 0)
  })

  it('retries on its own backoff when the recipient does not reach out', async () => {
    const c = await start(await dirs.make(), { messenger: { retryBaseMs: 100, retryMaxMs: 400 } })
    const dirD = await dirs.make()
    let d = await start(dirD)
    const dPeer = d.peerId
    await stop(d)

    const queued = await c.messenger.send(dPeer, 'eventually')
    assert.equal(queued.status, 'queued')
    const delivered = waitForEvent(c.messenger, 'status', r => r.id === queued.id && r.status === 'delivered')
    d = await start(dirD)
    await delivered
    assert.deepEqual((await d.messenger.history()).map(m => m.text), ['eventually'])
  })

  it('delivers through the circuit relay between two peers that cannot be dialled directly', async () => {
    // neither has a listener of its own: each is reachable only by its reservation on the relay
    const sender = await start(await dirs.make(), { listen: ['/p2p-circuit'] })
    const hidden = await start(await dirs.make(), { listen: ['/p2p-circuit'] })
    for (const node of [sender, hidden]) {
      const relayed = await hasRelayAddress(node)
      assert.ok(relayed.every(ma => ma.toString().includes(`/p2p/${relay.peerId.toString()}/p2p-circuit`)), 'reserved on our relay')
    }

    const sent = await sender.messenger.send(hidden.peerId, 'through the relay')
    assert.equal(sent.status, 'delivered')
    const connections = sender.node.getConnections(hidden.peerId)
    assert.ok(connections.length > 0 && connections.every(c => c.limits != null && c.remoteAddr.toString().includes('/p2p-circuit')),
      'the only connection is a limited, relayed one')
    assert.equal((await hidden.messenger.history())[0].text, 'through the relay')
    assert.equal((await hidden.messenger.send(sender.peerId, 'and back')).status, 'delivered')
  })

  it('moves the chat stream off the relayed connection once a direct one is open', async () => {
    // a chat stream is kept between messages; kept on the relayed connection, it went on carrying
    // the conversation through the relay beside a direct connection (until the relay's limit, or
    // an upgrade's close of the relayed connection cut a message off half way)
    // no listener of their own but WebRTC signalled through the relay: a TCP listener on either
    // side would be found (the DHT dials it) and used from the first message on
    const sender = await start(await dirs.make(), { listen: ['/p2p-circuit', '/webrtc'] })
    const hidden = await start(await dirs.make(), { listen: ['/p2p-circuit', '/webrtc'] })
    const [relayed] = await hasRelayAddress(hidden)
    // the sender finds it through the relay, which notes the relayed address with the reservation
    await untilAsync(relay.node, ['peer:update'], async () => (await relay.node.peerStore.get(hidden.peerId)).addresses
      .some(a => a.multiaddr.toString().includes('/p2p-circuit')), 20_000, 'the relay to learn the relayed address')
    assert.equal((await sender.messenger.send(hidden.peerId, 'over the relay')).status, 'delivered')
    const chatStreams = (): Array<{ limited: boolean, open: number }> => sender.node.getConnections(hidden.peerId)
      .map(c => ({ limited: c.limits != null, open: c.streams.filter(s => s.protocol === CHAT && s.status === 'open').length }))
    assert.deepEqual(chatStreams(), [{ limited: true, open: 1 }], 'the first message went through the relay, its stream kept')

    // a direct connection beside it (on loopback dcutr finds no public address to punch to, so
    // nothing else moves the conversation)
    // (WebRTC's signalling and ICE may take longer than libp2p's own dial timeout on a loaded machine)
    // streams go on a WebRTC connection once identify has run on it (src/node/webrtc-guard.ts)
    const identified = waitForEvent<IdentifyResult>(sender.node, 'peer:identify', ({ connection }) => WebRTC.matches(connection.remoteAddr))
    const direct = await sender.node.dial(multiaddr(relayed.toString().replace(/\/p2p-circuit\/p2p\//, '/p2p-circuit/webrtc/p2p/')), { signal: AbortSignal.timeout(30_000) })
    assert.equal(direct.limits, undefined)
    assert.equal((await identified).connection, direct)
    assert.equal((await sender.messenger.send(hidden.peerId, 'now direct')).status, 'delivered')
    assert.deepEqual(chatStreams().sort((x, y) => Number(x.limited) - Number(y.limited)), [{ limited: false, open: 1 }, { limited: true, open: 0 }])
    assert.deepEqual((await hidden.messenger.history({ peer: sender.peerId.toString() })).map(m => m.text), ['over the relay', 'now direct'])
  })
})
