import assert from 'node:assert/strict'
import { peerIdFromString } from '@libp2p/peer-id'
import { politeRandomWalk } from '../../src/node/polite-random-walk.ts'
import type { PeerId, PeerInfo } from '@libp2p/interface'

const CONNECTED = peerIdFromString('12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA')
const NEW = peerIdFromString('12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK')

describe('the polite random walk', () => {
  it('asks the DHT at most once per interval and yields only peers the node is not connected to', async () => {
    const queries: number[] = []
    const peerRouting = {
      async * getClosestPeers (): AsyncGenerator<PeerInfo> {
        queries.push(Date.now())
        yield { id: CONNECTED, multiaddrs: [] }
        yield { id: NEW, multiaddrs: [] }
      }
    }
    const connectionManager = { getConnections: (peer?: PeerId) => peer?.equals(CONNECTED) === true ? [{}] : [] }
    const walk = politeRandomWalk({ peerRouting: peerRouting as any, connectionManager }, 200)
    const controller = new AbortController()
    const found: string[] = []
    const started = Date.now()
    for await (const peer of walk.walk({ signal: controller.signal })) {
      found.push(peer.id.toString())
      if (found.length === 3) break
    }
    assert.deepEqual(found, [NEW, NEW, NEW].map(String))
    assert.equal(queries.length, 3)
    for (let i = 1; i < queries.length; i++) assert.ok(queries[i] - queries[i - 1] >= 190, `query ${i} came ${queries[i] - queries[i - 1]} ms after the one before`)
    assert.ok(queries[0] - started >= 190, 'even the first query waits one interval')
  })

  it('stops waiting at once when aborted', async () => {
    const walk = politeRandomWalk({ peerRouting: { getClosestPeers: async function * () {} } as any, connectionManager: { getConnections: () => [] } }, 60_000)
    const controller = new AbortController()
    const next = walk.walk({ signal: controller.signal }).next()
    controller.abort(new Error('stopped'))
    await assert.rejects(next, /stopped/)
  })
})
