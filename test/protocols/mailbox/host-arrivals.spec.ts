import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { TypedEventEmitter } from 'main-event'
import { closestFirst } from '../../../src/protocols/mailbox/distance.ts'
import { HostArrivals } from '../../../src/protocols/mailbox/host-arrivals.ts'
import type { MailboxHostRouting } from '../../../src/protocols/mailbox/host-routing.ts'
import type { IdentifyResult, Libp2pEvents, PeerId } from '@libp2p/interface'

const PROTOCOL = '/parley/mailbox/1.0.0'
const KEY = new Uint8Array(32).fill(5)
const SPREAD = 2

async function peers (n: number): Promise<PeerId[]> {
  return Promise.all(Array.from({ length: n }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))))
}

describe('hosts that may hold this node\'s mail, noticed as they connect', () => {
  let events: TypedEventEmitter<Libp2pEvents>
  let known: PeerId[]
  let told: PeerId[]
  let arrivals: HostArrivals
  let arrived: () => Promise<void>

  beforeEach(async () => {
    events = new TypedEventEmitter<Libp2pEvents>()
    known = await peers(6)
    told = []
    let waiting = Promise.withResolvers<void>()
    arrived = async () => { await waiting.promise; waiting = Promise.withResolvers<void>() }
    const routing = { knownHosts: (key: Uint8Array, count: number) => closestFirst(key, known).slice(0, count) } as unknown as MailboxHostRouting
    arrivals = new HostArrivals({
      events,
      hostRouting: () => routing,
      protocol: PROTOCOL,
      keys: async () => [KEY],
      spread: SPREAD,
      intervalMs: 60_000,
      onHost: host => { told.push(host); waiting.resolve() }
    })
    arrivals.start()
  })
  afterEach(() => { arrivals.stop() })

  const identify = (peerId: PeerId, protocols = [PROTOCOL]): void => {
    events.safeDispatchEvent('peer:identify', { detail: { peerId, protocols } as unknown as IdentifyResult })
  }

  it('tell a host among the closest known to a key of ours, once a while; not one further away, nor a peer that hosts nothing', async () => {
    const [closest, , , , , farthest] = closestFirst(KEY, known)
    identify(farthest)
    identify(closest, ['/parley/chat/1.0.0'])
    identify(closest)
    await arrived()
    identify(closest)
    // a newcomer closer than any known host is one to ask
    let nearer = (await peers(1))[0]
    while (!closestFirst(KEY, [nearer, ...known])[0].equals(nearer)) nearer = (await peers(1))[0]
    identify(nearer)
    await arrived()
    assert.deepEqual(told.map(p => p.toString()), [closest.toString(), nearer.toString()])
  })
})
