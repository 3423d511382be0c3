import assert from 'node:assert/strict'
import { peerIdFromString } from '@libp2p/peer-id'
import { CODE_P2P } from '@multiformats/multiaddr'
import { until, untilAsync, waitForEvent } from '../helpers/events.ts'
import { LOOPBACK_TCP, startNode, startRelay } from '../helpers/nodes.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { Parley } from '../../src/parley.ts'
import type { PeerUpdate } from '@libp2p/interface'

const isCircuit = (ma: { toString: () => string }): boolean => ma.toString().includes('/p2p-circuit')

/**
 * A user behind a NAT is found through its relay: the relay answers a lookup of it with what its
 * peer store has. It used to learn the user's relayed address only from the user's identify
 * push, a second or more after the reservation (the user's address manager waits a second
 * before announcing); a message sent meanwhile found no address and went to the mailbox with
 * both users online (internet-in-a-box, in CI).
 */
describe('a relay and the users it holds reservations for', function () {
  this.timeout(60_000)
  const dirs = new TempDirs()
  const nodes: Parley[] = []

  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async n => n.stop()))
    await dirs.cleanup()
  })

  it('answers a lookup of the user with its relayed address as soon as the reservation is granted', async () => {
    const relay = await startRelay(await dirs.make(), { mailboxHost: false })
    nodes.push(relay)
    const finder = await startNode({ dataDir: await dirs.make(), bootstrap: relay.addresses() })
    nodes.push(finder)
    // the relay may grant it before the user's start resolves: every reservation is noted
    const reservations = new Set<string>()
    relay.node.addEventListener('peer:update', evt => {
      const { peer } = (evt as CustomEvent<PeerUpdate>).detail
      if (peer.tags.has('circuit-relay-source')) reservations.add(peer.id.toString())
    })
    const user = await startNode({ dataDir: await dirs.make(), listen: [LOOPBACK_TCP, '/p2p-circuit'], bootstrap: relay.addresses() })
    nodes.push(user)
    const userId = user.peerId.toString()
    await until(relay.node, ['peer:update'], () => reservations.has(userId), 20_000, 'the reservation')

    const found = await finder.node.peerRouting.findPeer(peerIdFromString(userId), { useCache: false })
    const relayed = found.multiaddrs.map(String).filter(a => isCircuit(a))
    assert.ok(relayed.length > 0, `a relayed address among ${found.multiaddrs.join(' ')}`)
    for (const address of relayed) {
      assert.ok(relay.addresses().some(own => address === `${own.toString()}/p2p-circuit`), `${address} goes through the relay`)
    }
  })

  it('puts the relayed address back when an identify answered before the reservation lands after it', async () => {
    const relay = await startRelay(await dirs.make(), { mailboxHost: false })
    nodes.push(relay)
    const user = await startNode({ dataDir: await dirs.make(), listen: [LOOPBACK_TCP, '/p2p-circuit'], bootstrap: relay.addresses() })
    nodes.push(user)
    // once the user's own announcement (its signed list, relayed address included) has landed,
    // nothing more comes from the user to put the address back
    const announcedByUser = async (): Promise<boolean> => (await relay.node.peerStore.get(user.peerId).catch(() => undefined))?.addresses.some(a => a.isCertified && isCircuit(a.multiaddr)) ?? false
    await untilAsync(relay.node, ['peer:update'], announcedByUser, 20_000, 'the user to announce its relayed address')

    // what the relay's identify of the user does with the list the user had before it reserved
    const direct = user.addresses().filter(ma => !isCircuit(ma)).map(ma => ma.decapsulateCode(CODE_P2P))
    const back = waitForEvent<PeerUpdate>(relay.node, 'peer:update', ({ peer }) => peer.id.equals(user.peerId) && peer.addresses.some(a => isCircuit(a.multiaddr)))
    await relay.node.peerStore.patch(user.peerId, { multiaddrs: direct })
    const { peer } = await back
    // the user's own list is signed (certified): the relay's are not
    assert.deepEqual(peer.addresses.filter(a => isCircuit(a.multiaddr) && a.isCertified), [], 'the relay put the relayed addresses back, not the user')
  })
})
