import assert from 'node:assert/strict'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { relayStunDiscovery, StunServerList } from '../../src/stun/index.ts'
import { stunServer } from '../../src/stun/server.ts'
import type { RelayStunDiscovery, StunServer } from '../../src/stun/index.ts'
import type { Libp2p } from 'libp2p'

const LISTEN = { listen: ['/ip4/127.0.0.1/tcp/0'] }

/** Real nodes on loopback TCP: a relay with a STUN server, a user that learns about it */
describe('a user learns which of its relays answer STUN', () => {
  let relay: Libp2p<{ stun: StunServer }>
  let plain: Libp2p
  let user: Libp2p<{ relayStun: RelayStunDiscovery }>
  /** Resolves `listed` when a server is set */
  class WatchedList extends StunServerList {
    readonly listed = Promise.withResolvers<void>()
    override set (relay: string, ip: string, port: number): void {
      super.set(relay, ip, port)
      this.listed.resolve()
    }
  }
  const list = new WatchedList()

  before(async () => {
    const base = { addresses: LISTEN, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] }
    relay = await createLibp2p({ ...base, services: { identify: identify(), stun: stunServer({ port: 0 }) } })
    plain = await createLibp2p({ ...base, services: { identify: identify() } })
    user = await createLibp2p({ ...base, services: { identify: identify(), relayStun: relayStunDiscovery({ list }) } })
  })

  after(async () => {
    await Promise.all([relay, plain, user].map(async n => n?.stop()))
  })

  it('lists a relay at the IP it was reached at and the port it answers on, and takes it off when it disconnects', async () => {
    const { port } = relay.services.stun.addresses()[0]
    assert.deepEqual(user.services.relayStun.iceServers(), [])
    await Promise.all([user.dial(plain.getMultiaddrs()[0]), user.dial(relay.getMultiaddrs()[0])])
    await list.listed.promise
    assert.deepEqual(user.services.relayStun.iceServers(), [{ urls: `stun:127.0.0.1:${port}` }])
    await user.hangUp(relay.peerId)
    assert.deepEqual(user.services.relayStun.iceServers(), [])
  })
})
