import assert from 'node:assert/strict'
import net from 'node:net'
import { bootstrap } from '@libp2p/bootstrap'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { createConnectionGater } from '../../src/node/connection-gater.ts'
import { createParley } from '../../src/parley.ts'
import { until } from '../helpers/events.ts'
import type { LookupHost } from '../../src/node/host-lookup.ts'
import type { Parley } from '../../src/parley.ts'
import type { Libp2p } from '@libp2p/interface'

/** A public relay's name; in this file its host is the listener on 127.0.0.1 (see `LoopbackNet`) */
const RELAY_NAME = 'relay.parley.test'
/** What a resolver says RELAY_NAME is: a public address, never connected to */
const RELAY_PUBLIC_IP = '93.184.216.34'

/**
 * Stands in for the network: the TCP transport's every connect goes through `net.connect`,
 * which this replaces while the tests run. Connects to 127.0.0.1 go ahead, RELAY_NAME is sent to
 * 127.0.0.1, and anything else is refused before a packet or a DNS query leaves the machine.
 * Every connect is recorded, so a test sees whether the gater let an address reach the
 * transport at all, and a gater that lets too much through fails a test instead of sending
 * traffic off loopback.
 */
class LoopbackNet {
  readonly connects: string[] = []
  private readonly original = net.connect

  install (): void {
    Object.assign(net, { connect: (options: net.NetConnectOpts) => this.connect(options) })
  }

  restore (): void {
    Object.assign(net, { connect: this.original })
  }

  private connect (options: net.NetConnectOpts): net.Socket {
    const host = 'host' in options ? options.host ?? '' : ''
    this.connects.push(host)
    if (host === '127.0.0.1') return this.original(options)
    // the transport brought its own resolver: Node asks it, not the OS, and connects to its answer
    if (host === RELAY_NAME && 'lookup' in options && options.lookup != null) return this.original(options)
    if (host === RELAY_NAME) return this.original({ ...options, host: '127.0.0.1' })
    throw new Error(`test network: refused to connect to ${host}`)
  }
}

/** A node outside LAN mode whose gater resolves names with `lookupHost` instead of the OS */
async function dialerWith (lookupHost: LookupHost, extra: { bootstrap?: string } = {}): Promise<Libp2p> {
  return createLibp2p({
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: createConnectionGater({ lan: false, lookupHost }),
    ...(extra.bootstrap != null ? { peerDiscovery: [bootstrap({ list: [extra.bootstrap], timeout: 0 })] } : {})
  })
}

/** Answers RELAY_NAME with a public address and `loopback.parley.test` with 127.0.0.1 */
const testLookup: LookupHost = async (name) => {
  const answers: Record<string, string[]> = { [RELAY_NAME]: [RELAY_PUBLIC_IP], 'loopback.parley.test': ['127.0.0.1'] }
  const answer = answers[name]
  if (answer == null) throw new Error(`getaddrinfo ENOTFOUND ${name}`)
  return answer
}

async function assertDenied (dial: Promise<unknown>, addr: string): Promise<void> {
  await assert.rejects(dial, (err: Error) => {
    assert.equal(err.name, 'DialDeniedError', `${addr}: ${err.message}`)
    return true
  })
}

describe('connection gater, on real nodes outside LAN mode', () => {
  const network = new LoopbackNet()
  /** A real listener on 127.0.0.1: what a hostile address tries to make the node reach */
  let target: Libp2p
  let port: string
  let inbound = 0
  const started: Array<{ stop: () => Promise<void> | void }> = []

  before(async () => {
    network.install()
    target = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()]
    })
    target.addEventListener('connection:open', () => { inbound++ })
    port = target.getMultiaddrs()[0].getComponents().find(c => c.name === 'tcp')?.value ?? ''
  })

  beforeEach(() => {
    network.connects.length = 0
    inbound = 0
  })

  afterEach(async () => {
    await Promise.all(started.splice(0).map(async node => node.stop()))
  })

  after(async () => {
    await target.stop()
    network.restore()
  })

  describe('a Parley node, as createParley assembles it', () => {
    let parley: Parley

    beforeEach(async () => {
      parley = await createParley({ listen: ['/ip4/127.0.0.1/tcp/0'], lan: false, mdns: false })
      started.push(parley)
    })

    it('refuses DNS names that reach a loopback listener, before connecting', async () => {
      // `127.1` and `2130706433` are 127.0.0.1 to the OS (inet_aton), with no DNS query
      for (const name of ['localhost', '127.0.0.1', '127.1', '2130706433']) {
        for (const proto of ['dns4', 'dns']) {
          const addr = `/${proto}/${name}/tcp/${port}/p2p/${target.peerId}`
          await assertDenied(parley.node.dial(multiaddr(addr)), addr)
        }
      }
      assert.deepEqual(network.connects, [])
      assert.equal(inbound, 0)
    })

    it('refuses NAT64 addresses that embed a private IPv4, before connecting', async () => {
      // 64:ff9b::127.0.0.1 and 64:ff9b::10.0.0.1 (RFC 6052), and the local-use prefix (RFC 8215)
      for (const ip of ['64:ff9b::7f00:1', '64:ff9b::a00:1', '64:ff9b:1::808:808']) {
        const addr = `/ip6/${ip}/tcp/${port}/p2p/${target.peerId}`
        await assertDenied(parley.node.dial(multiaddr(addr)), addr)
      }
      assert.deepEqual(network.connects, [])
      assert.equal(inbound, 0)
    })
  })

  describe('a Parley node whose resolver answers differently the second time (DNS rebinding)', () => {
    it('does not connect to the local address the name turns into after the gater let it through', async () => {
      // public to the gater's query, 127.0.0.1 to any later one (a TTL of 0)
      const asked: string[] = []
      const rebinding: LookupHost = async (name) => {
        asked.push(name)
        if (name !== RELAY_NAME) throw new Error(`getaddrinfo ENOTFOUND ${name}`)
        return asked.length === 1 ? [RELAY_PUBLIC_IP] : ['127.0.0.1']
      }
      const parley = await createParley({ listen: ['/ip4/127.0.0.1/tcp/0'], lan: false, mdns: false, lookupHost: rebinding })
      started.push(parley)
      const addr = `/dns4/${RELAY_NAME}/tcp/${port}/p2p/${target.peerId}`
      await assert.rejects(parley.node.dial(multiaddr(addr)))
      assert.equal(inbound, 0, 'the rebound name reached the loopback listener')
      assert.ok(asked.length >= 2, 'the transport resolved the name through the gated resolver')
    })
  })

  describe('a node whose resolver is given', () => {
    it('refuses a name that resolves to loopback, before connecting', async () => {
      const node = await dialerWith(testLookup)
      started.push(node)
      const addr = `/dns4/loopback.parley.test/tcp/${port}/p2p/${target.peerId}`
      await assertDenied(node.dial(multiaddr(addr)), addr)
      assert.deepEqual(network.connects, [])
      assert.equal(inbound, 0)
    })

    it('still dials a relay by a name that resolves to a public address', async () => {
      const node = await dialerWith(testLookup)
      started.push(node)
      const connection = await node.dial(multiaddr(`/dns4/${RELAY_NAME}/tcp/${port}/p2p/${target.peerId}`))
      assert.ok(connection.remotePeer.equals(target.peerId))
      assert.deepEqual(network.connects, [RELAY_NAME])
    })

    it('still reaches a bootstrap relay given by a public name', async () => {
      // the path of `bootstrap-nodes.json`: @libp2p/bootstrap stores the address, then dials the peer
      const node = await dialerWith(testLookup, { bootstrap: `/dns4/${RELAY_NAME}/tcp/${port}/p2p/${target.peerId}` })
      started.push(node)
      await until(node, ['peer:connect'], () => node.getConnections(target.peerId).length > 0, 10_000, 'a connection to the bootstrap relay')
      assert.deepEqual(network.connects, [RELAY_NAME])
    })
  })
})
