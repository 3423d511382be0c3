import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { logger } from '@libp2p/logger'
import { memory } from '@libp2p/memory'
import { noise } from '@libp2p/noise'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { fromString } from 'uint8arrays/from-string'
import { HOST_DHT_PROTOCOL, MAX_FIND_NODE_PEERS } from '../../../src/protocols/mailbox/constants.ts'
import { lookupUnderCourier } from '../../../src/protocols/mailbox/courier-lookup.ts'
import { Couriers } from '../../../src/protocols/mailbox/couriers.ts'
import { closestFirst } from '../../../src/protocols/mailbox/distance.ts'
import { FindNodeMessage, FindNodeType } from '../../../src/protocols/mailbox/pb/find-node.ts'
import type { Libp2p, PeerId } from '@libp2p/interface'

const log = logger('parley:test:courier-lookup')
/** A fresh object each time: createLibp2p writes the key it generates into the options it is given */
const transportInit = (): any => ({ transports: [memory()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })

/** A host of the hosts' DHT that answers every FIND_NODE with `answer(key)`, noting who asked */
interface FakeHost { node: Libp2p, askedBy: string[], answer: (key: Uint8Array) => Uint8Array }

async function fakeHost (answer: (key: Uint8Array) => Uint8Array): Promise<FakeHost> {
  const node = await createLibp2p({ ...transportInit(), addresses: { listen: [`/memory/lookup-host-${Math.random()}`] } })
  const host: FakeHost = { node, askedBy: [], answer }
  await node.handle(HOST_DHT_PROTOCOL, async (stream, connection) => {
    host.askedBy.push(connection.remotePeer.toString())
    const lp = lpStream(stream)
    const request = FindNodeMessage.decode(await lp.read())
    await lp.write(host.answer(request.key ?? new Uint8Array()))
    await stream.close()
  })
  return host
}

const closer = (...hosts: FakeHost[]): Uint8Array => FindNodeMessage.encode({
  type: FindNodeType.FIND_NODE,
  closer: hosts.map(h => ({ id: h.node.peerId.toMultihash().bytes, multiaddrs: h.node.getMultiaddrs().map(ma => ma.bytes) }))
})

describe('a lookup of the hosts closest to a key, under a courier', function () {
  this.timeout(30_000)
  const nodes: Libp2p[] = []
  let couriers: Couriers | undefined
  afterEach(async () => {
    await couriers?.stop()
    await Promise.all(nodes.splice(0).map(async n => n.stop()))
  })

  async function setUp (hosts: FakeHost[], seeds: FakeHost[]): Promise<{ own: Libp2p, lookup: (key: Uint8Array) => Promise<PeerId[]> }> {
    nodes.push(...hosts.map(h => h.node))
    const own = await createLibp2p(transportInit())
    nodes.push(own)
    // the node knows its seeds' addresses; the others it learns from the answers
    for (const seed of seeds) await own.peerStore.merge(seed.node.peerId, { multiaddrs: seed.node.getMultiaddrs() })
    couriers = new Couriers({ createNode: async privateKey => createLibp2p({ ...transportInit(), privateKey }), peerStore: own.peerStore, log })
    const lookup = async (key: Uint8Array): Promise<PeerId[]> => lookupUnderCourier({ couriers: couriers!, peerStore: own.peerStore, self: own.peerId, log }, fromString('mailbox'), key, seeds.map(s => s.node.peerId))
    return { own, lookup }
  }

  it('follows the answers to hosts it did not know, returns those that answered closest first, and asks each under the courier, never the node', async () => {
    const far = await fakeHost(() => closer())
    const near = await fakeHost(() => closer())
    const seed = await fakeHost(() => closer(near, far))
    const { own, lookup } = await setUp([far, near, seed], [seed])
    const key = crypto.getRandomValues(new Uint8Array(32))
    const found = await lookup(key)
    assert.deepEqual(found.map(String), closestFirst(key, [far, near, seed].map(h => h.node.peerId)).map(String))
    const askers = new Set([far, near, seed].flatMap(h => h.askedBy))
    assert.equal(askers.size, 1, 'one courier for the mailbox')
    assert.ok(!askers.has(own.peerId.toString()))
  })

  it('a host that answers garbage, too many peers or ids that are no PeerIds is left out; the others still count', async () => {
    const honest = await fakeHost(() => closer())
    const garbage = await fakeHost(() => crypto.getRandomValues(new Uint8Array(64)))
    const crowd = await Promise.all(Array.from({ length: MAX_FIND_NODE_PEERS + 1 }, async () => generateKeyPair('Ed25519')))
    const flooding = await fakeHost(() => FindNodeMessage.encode({ type: FindNodeType.FIND_NODE, closer: crowd.map(k => ({ id: peerIdFromPrivateKey(k).toMultihash().bytes, multiaddrs: [] })) }))
    const bogus = await fakeHost(() => FindNodeMessage.encode({ type: FindNodeType.FIND_NODE, closer: [{ id: fromString('not a multihash'), multiaddrs: [fromString('nor an address')] }] }))
    const { lookup } = await setUp([honest, garbage, flooding, bogus], [honest, garbage, flooding, bogus])
    const found = (await lookup(crypto.getRandomValues(new Uint8Array(32)))).map(String).sort()
    assert.deepEqual(found, [honest, bogus].map(h => h.node.peerId.toString()).sort())
  })

  it('with no seeds, finds nothing and asks nobody', async () => {
    const { lookup } = await setUp([], [])
    assert.deepEqual(await lookup(crypto.getRandomValues(new Uint8Array(32))), [])
    assert.equal(couriers!.running, 0)
  })
})
