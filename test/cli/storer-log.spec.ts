import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { startDaemonProcessWithEnv } from '../helpers/cli.ts'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { base58btc } from 'multiformats/bases/base58'
import { mailboxKey, recentEpochs, TTL_MS } from '../../src/protocols/mailbox/index.ts'
import { inboxHas } from '../helpers/mailbox-network.ts'
import { connectedTo, startNode } from '../helpers/nodes.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { DaemonProcess } from '../helpers/cli.ts'
import type { Parley } from '../../src/parley.ts'
import type { TestNodeInit } from '../helpers/nodes.ts'

const LOOPBACK = ['--listen', '/ip4/127.0.0.1/tcp/0']

/**
 * The hosts' DHT's own log (kad-dht's, under the prefix Parley gives it) names every peer that
 * connects and asks it anything (a user's node keeps its routing table), which a storer sees on
 * its connections whatever it logs. What it must not show is a user asking for one of the
 * mailbox keys no PeerId gives away (its or its peers' mailbox identities, requests keys): those
 * lookups go under couriers.
 */
const DHT_INTERNALS = /parley:mailbox:dht/

/** Every mailbox key of `node`'s, for the epochs a fetch reads, that its PeerId does not give away, as kad-dht logs keys (base58btc) */
async function unlinkableKeys (node: Parley): Promise<string[]> {
  const { identities } = node.node.services.mailbox
  const requests = peerIdFromPrivateKey(await identities.requests())
  const epochs = recentEpochs(Date.now(), TTL_MS)
  const keys = [
    ...epochs.map(e => mailboxKey(requests, e)),
    ...await Promise.all(epochs.map(async e => (await identities.forEpoch(e)).key))
  ]
  return keys.map(k => base58btc.baseEncode(k))
}

/**
 * Issue 19's examination of a storer's log: a `parley daemon --relay` holding mail, run with
 * every Parley log on (`DEBUG=parley:*`), through a realistic run: A and B write to each other,
 * B goes offline, A and a stranger C leave mail, B comes back and reads it. Its log must not
 * name A, B or C. (Its database is examined in test/integration/storer-examination.spec.ts.)
 */
describe('a storer\'s log, with every Parley log on, after a realistic run', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const running = new Set<Parley>()
  let storer: DaemonProcess | undefined
  after(async () => {
    await Promise.all([...running].map(async n => n.stop()))
    await storer?.stop()
    await dirs.cleanup()
  })

  it('names no PeerId of A, B or C, and ties none of them to a mailbox key', async () => {
    storer = await startDaemonProcessWithEnv(await dirs.make(), [...LOOPBACK, '--relay', '--lan'], { DEBUG: 'parley:*' })
    let log = ''
    storer.child.stderr?.on('data', chunk => { log += String(chunk) })
    const storerId = storer.ready.peerId
    const init: Partial<TestNodeInit> = { bootstrap: [multiaddr(storer.ready.addresses[0])], mailbox: { replicas: 1 }, messenger: { stampBits: 8 } }
    const start = async (dataDir: string): Promise<Parley> => {
      const node = await startNode({ dataDir, ...init })
      running.add(node)
      await connectedTo(node, peerIdFromString(storerId))
      return node
    }
    const stop = async (node: Parley): Promise<void> => {
      running.delete(node)
      await node.stop()
    }
    const [dirA, dirB, dirC] = [await dirs.make(), await dirs.make(), await dirs.make()]
    const a = await start(dirA)
    let b = await start(dirB)
    await Promise.all([a, b].map(async n => n.node.services.prekeys.published))
    assert.equal((await b.messenger.send(a.peerId, 'hi A')).status, 'delivered')
    await inboxHas(a, b, 1)
    assert.equal((await a.messenger.send(b.peerId, 'hi B')).status, 'delivered')
    await inboxHas(b, a, 1)
    await stop(b)

    const c = await start(dirC)
    const fromA = await a.messenger.send(b.peerId, 'from A while B is away')
    const fromC = await c.messenger.send(b.peerId, 'from a stranger')
    assert.equal(fromA.status, 'stored', fromA.error)
    assert.equal(fromC.status, 'stored', fromC.error)
    b = await start(dirB)
    assert.ok((await inboxHas(b, a, 2)).some(m => m.text === 'from A while B is away'))
    assert.ok((await inboxHas(b, c, 1)).some(m => m.text === 'from a stranger'))
    for (const node of [a, b, c]) await stop(node)
    assert.equal(await storer.stop(), 0)

    assert.match(log, /parley:/, 'the storer logged')
    const secret = (await Promise.all([a, b, c].map(unlinkableKeys))).flat()
    for (const [who, node] of [['A', a], ['B', b], ['C', c]] as const) {
      const lines = log.split('\n').filter(line => line.includes(node.peerId.toString()))
      assert.deepEqual(lines.filter(line => !DHT_INTERNALS.test(line)), [], `the storer's log names ${who}`)
      assert.deepEqual(lines.filter(line => secret.some(key => line.includes(key))), [], `the storer's log ties ${who} to a mailbox key`)
    }
    // the lookups did reach the log, under couriers
    assert.ok(secret.some(key => log.includes(key)), 'the storer logged lookups of those keys')
  })
})
