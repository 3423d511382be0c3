import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { persistentPeerStore } from '@libp2p/peer-store'
import { MemoryDatastore } from 'datastore-core'
import { TypedEventEmitter } from 'main-event'
import { DHT_KEEP_ALIVE_TAG, dhtKeepAliveForServersOnly } from '../../src/node/dht-keep-alive.ts'
import { DHT_PROTOCOL } from '../../src/node/constants.ts'
import { waitForEvent } from '../helpers/events.ts'
import type { Libp2pEvents, PeerId, Startable } from '@libp2p/interface'

async function newPeer (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

describe('DHT keep-alive for DHT servers only', () => {
  let events: TypedEventEmitter<Libp2pEvents>
  let peerStore: ReturnType<typeof persistentPeerStore>
  let service: Startable

  beforeEach(async () => {
    events = new TypedEventEmitter<Libp2pEvents>()
    const components = { peerId: await newPeer(), datastore: new MemoryDatastore(), events, logger: defaultLogger() }
    peerStore = persistentPeerStore(components)
    service = dhtKeepAliveForServersOnly({ protocols: [DHT_PROTOCOL] })({ ...components, peerStore })
    await service.start?.()
  })

  afterEach(async () => { await service.stop?.() })

  /** Tags `peer` as kad-dht's closest-peers tagger does after pinging it */
  async function tagAsKadDHTDoes (peer: PeerId): Promise<void> {
    await peerStore.merge(peer, { tags: { 'kad-close': { value: 50 }, [DHT_KEEP_ALIVE_TAG]: { value: 1 } } })
  }

  /** A client peer tagged, and untagged by the service: every update before it was handled too */
  async function untaggedClient (): Promise<PeerId> {
    const client = await newPeer()
    await peerStore.merge(client, { protocols: ['/parley/chat/1.0.0'] })
    const untagged = waitForEvent(events, 'peer:update', (e: any) => e.peer.id.equals(client) && e.peer.tags.has('kad-close') && !e.peer.tags.has(DHT_KEEP_ALIVE_TAG))
    await tagAsKadDHTDoes(client)
    await untagged
    return client
  }

  it('takes the keep-alive tag off a peer that does not serve the DHT (a NATted client met through a query)', async () => {
    // libp2p redialled such a peer through the relay every time the relay's 2-minute limit
    // closed the connection, and each new relayed connection set off hole-punching attempts
    const tags = (await peerStore.get(await untaggedClient())).tags
    assert.equal(tags.has(DHT_KEEP_ALIVE_TAG), false)
    assert.equal(tags.get('kad-close')?.value, 50, 'other tags stay')
  })

  it('leaves it on a DHT server', async () => {
    const server = await newPeer()
    await peerStore.merge(server, { protocols: [DHT_PROTOCOL, '/parley/chat/1.0.0'] })
    await tagAsKadDHTDoes(server)
    await untaggedClient()
    assert.equal((await peerStore.get(server)).tags.get(DHT_KEEP_ALIVE_TAG)?.value, 1)
  })
})
