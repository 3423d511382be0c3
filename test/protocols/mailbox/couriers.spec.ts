import assert from 'node:assert/strict'
import { memory } from '@libp2p/memory'
import { logger } from '@libp2p/logger'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { multiaddr } from '@multiformats/multiaddr'
import { fromString } from 'uint8arrays/from-string'
import { Couriers } from '../../../src/protocols/mailbox/couriers.ts'
import { CouriersStoppedError } from '../../../src/protocols/mailbox/errors.ts'
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'

const PROTOCOL = '/parley/test-courier/1.0.0'
const log = logger('parley:test:couriers')

/** A dial-only node on the memory transport, as `courierNodeFactory` makes one */
async function courierNode (privateKey: any): Promise<Libp2p> {
  return createLibp2p({ privateKey, addresses: { listen: [] }, transports: [memory()], connectionEncrypters: [noise()], streamMuxers: [yamux()], connectionMonitor: { enabled: false } })
}

/** A storer that answers PROTOCOL and notes who each stream came from */
async function storerNode (): Promise<{ node: Libp2p, from: string[] }> {
  const from: string[] = []
  const node = await createLibp2p({ addresses: { listen: [`/memory/courier-storer-${Math.random()}`] }, transports: [memory()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  await node.handle(PROTOCOL, (stream, connection) => {
    from.push(connection.remotePeer.toString())
    void stream.close()
  })
  return { node, from }
}

describe('mailbox couriers', function () {
  this.timeout(30_000)
  let own: Libp2p
  let storer: { node: Libp2p, from: string[] }
  let couriers: Couriers
  let made: number

  beforeEach(async () => {
    storer = await storerNode()
    // the user's own node: it only knows where the storer is
    own = await createLibp2p({ transports: [memory()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
    await own.peerStore.merge(storer.node.peerId, { multiaddrs: storer.node.getMultiaddrs() })
    made = 0
  })

  afterEach(async () => {
    await couriers?.stop()
    await Promise.all([own.stop(), storer.node.stop()])
  })

  function start (lifetimeMs: number): void {
    couriers = new Couriers({ createNode: async key => { made++; return courierNode(key) }, peerStore: own.peerStore, log, lifetimeMs })
  }

  async function use (mailbox: string, to: PeerId = storer.node.peerId): Promise<Stream> {
    const stream = await couriers.open(fromString(mailbox), to, PROTOCOL)
    await stream.close()
    return stream
  }

  it('reaches the storer under a PeerId that is not the node\'s, one per mailbox, shared by that mailbox\'s streams', async () => {
    start(60_000)
    await use('a')
    await use('a')
    await use('b')
    assert.equal(made, 2)
    assert.equal(storer.from.length, 3)
    assert.ok(!storer.from.includes(own.peerId.toString()), 'never the node\'s own PeerId')
    assert.equal(storer.from[0], storer.from[1], 'one mailbox, one courier')
    assert.notEqual(storer.from[0], storer.from[2], 'two mailboxes, two couriers')
  })

  it('goes the way the node\'s own connection to the storer went, not another address the storer announces', async () => {
    const dials: string[] = []
    couriers = new Couriers({
      createNode: async key => {
        const node = await courierNode(key)
        const dialProtocol = node.dialProtocol.bind(node)
        node.dialProtocol = async (target: any, ...rest: any[]) => {
          dials.push(String(target))
          return dialProtocol(target, ...rest as [any])
        }
        return node
      },
      peerStore: own.peerStore,
      connections: peer => own.getConnections(peer),
      log
    })
    // the storer announces another address first; the node reached it at its second
    const second = storer.node.getMultiaddrs()[0]
    await own.peerStore.patch(storer.node.peerId, { multiaddrs: [multiaddr('/memory/courier-elsewhere'), second] })
    await own.dial(second)
    await use('a')
    assert.deepEqual(dials, [second.toString()])
  })

  it('a courier past its lifetime serves no new stream, and stops once its last one has closed', async () => {
    start(200)
    const open = await couriers.open(fromString('a'), storer.node.peerId, PROTOCOL)
    const first = storer.from.length
    // a new courier for the same mailbox once the first has expired, while a stream is still open
    await new Promise<void>(resolve => { setTimeout(resolve, 300) })
    assert.equal(couriers.running, 1, 'the expired courier lives on for its open stream')
    await use('a')
    assert.equal(made, 2)
    assert.notEqual(storer.from[first], storer.from[first - 1], 'a fresh identity after the lifetime')
    await open.close()
    await untilTrue(() => couriers.running === 1)
  })

  it('a storer it cannot reach fails the open; the mailbox\'s courier still serves the next one', async () => {
    start(60_000)
    const nowhere = (await createLibp2p({ transports: [memory()], connectionEncrypters: [noise()], streamMuxers: [yamux()] }))
    const id = nowhere.peerId
    await nowhere.stop()
    await assert.rejects(couriers.open(fromString('a'), id, PROTOCOL, { signal: AbortSignal.timeout(2_000) }))
    await use('a')
    assert.equal(made, 1, 'the same courier, still fine for its mailbox')
  })

  it('after stop, every courier is stopped and opening fails with CouriersStoppedError', async () => {
    start(60_000)
    await use('a')
    await use('b')
    await couriers.stop()
    assert.equal(couriers.running, 0)
    await assert.rejects(use('c'), CouriersStoppedError)
    await untilTrue(() => storer.node.getConnections().length === 0)
  })
})

/** Resolves once `check` holds, checked on every turn of the event loop (timers, closes) */
async function untilTrue (check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise(resolve => setImmediate(resolve))
  }
}
