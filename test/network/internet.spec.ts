import assert from 'node:assert/strict'
import { logger } from '@libp2p/logger'
import { parley, runDaemon } from '../helpers/cli.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import { InternetBox } from '../net/index.ts'
import type { DaemonProcess, DaemonEvent } from '../helpers/cli.ts'
import type { Flow, Host, NattedHost } from '../net/index.ts'

/**
 * What one connection of a NATted user may carry in an idle minute (docs/NETWORK.md, "Idle
 * traffic"). Measured on A's link to its relay with a peer B reached through it (port-restricted
 * against symmetric NAT, so hole punching is tried and fails): 640 to 1,760 packets and 45 to
 * 142 kB a minute (the top when the relay's 2-minute limit renews the relayed connection and a
 * new round of attempts starts). Before: about 2,450 packets; in the outside test, a loop of
 * up to 46,000 packets a minute.
 */
const IDLE_MAX_PACKETS_PER_MIN = 3_000
const IDLE_MAX_BYTES_PER_MIN = 250_000
/** The idle minute itself: a measurement window, not a wait for something to happen */
const IDLE_WINDOW_MS = 60_000

const log = logger('parley:test:internet')

/**
 * Parley on an internet in a box (test/net): a relay R and a user P on public addresses, users A
 * and B each behind its own NAT router, every node a separate `parley daemon` process with
 * default flags in its own network namespace. Needs root, like `ip netns`; CI runs as root.
 */
describe('Parley on the internet in a box', function () {
  this.timeout(240_000)
  const dirs = new TempDirs()
  let net: InternetBox
  let relayHost: Host
  let publicHost: Host
  let hostA: NattedHost
  let hostB: NattedHost
  let relay: DaemonProcess
  let relayAddr: string
  const running = new Set<DaemonProcess>()

  /** `parley daemon` in `host`'s namespace, as a user would start it: no --lan, no --no-mdns */
  async function daemon (host: Host, dataDir: string, args: string[]): Promise<DaemonProcess> {
    const d = await runDaemon(dataDir, args, { spawner: host, env: { DEBUG: process.env.DEBUG ?? '' } })
    running.add(d)
    return d
  }

  async function stop (d: DaemonProcess): Promise<number | null> {
    running.delete(d)
    return d.stop()
  }

  /**
   * A user daemon that bootstraps from the relay, once it holds a reservation there: from then
   * on others find it through the relay (which knows its relayed address from the moment it
   * grants the reservation), so a message to it goes straight to it
   */
  async function user (host: Host, dataDir: string): Promise<DaemonProcess> {
    const d = await daemon(host, dataDir, ['--bootstrap', relayAddr])
    await d.event(e => e.addresses?.some(a => a.includes('/p2p-circuit')) === true, 'a relay reservation')
    return d
  }

  async function send (dataDir: string, peer: string, text: string): Promise<{ id: string, status: string }> {
    const out = await parley(['--data', dataDir, 'send', peer, text, '--json'])
    assert.equal(out.code, 0, out.stderr)
    return JSON.parse(out.stdout)
  }

  async function history (dataDir: string, peer: string): Promise<Array<{ direction: string, text: string, status: string }>> {
    const out = await parley(['--data', dataDir, 'messages', '--peer', peer, '--json'])
    assert.equal(out.code, 0, out.stderr)
    return JSON.parse(out.stdout)
  }

  before(async function () {
    if (process.getuid?.() !== 0) this.skip()
    net = await InternetBox.create()
    relayHost = await net.addPublicHost('relay')
    publicHost = await net.addPublicHost('p')
    hostA = await net.addNattedHost('a', { nat: 'port-restricted' })
    hostB = await net.addNattedHost('b', { nat: 'symmetric' })
  })

  after(async () => {
    await Promise.all([...running].map(async d => stop(d)))
    await net?.destroy()
    await dirs.cleanup()
  })

  it('a relay started as the README says is public and announces its public addresses at once', async () => {
    relay = await daemon(relayHost, await dirs.make(), ['--relay', '--log-peers'])
    assert.equal(relay.ready.lan, false)
    assert.equal(relay.ready.mdns, false)
    const id = relay.ready.peerId
    const ip = relayHost.ip
    for (const expected of [`/ip4/${ip}/tcp/4001/p2p/${id}`, `/ip4/${ip}/tcp/4002/ws/p2p/${id}`]) {
      assert.ok(relay.ready.addresses.includes(expected), `${expected} in ${relay.ready.addresses.join(' ')}`)
    }
    assert.ok(relay.ready.addresses.some(a => a.startsWith(`/ip4/${ip}/udp/4003/webrtc-direct/certhash/`)), 'WebRTC-Direct for browsers')
    assert.ok(relay.ready.addresses.every(a => !a.startsWith('/ip4/127.')), 'no loopback address announced')
    relayAddr = `/ip4/${ip}/tcp/4001/p2p/${id}`
  })

  it('A and B, behind two NATs, find each other through the relay and chat both ways with delivered', async () => {
    const dirA = await dirs.make()
    const dirB = await dirs.make()
    const [a, b] = await Promise.all([user(hostA, dirA), user(hostB, dirB)])
    assert.equal(a.ready.mode, 'public mode: a bootstrap node is public; mDNS off')

    const there = await send(dirA, b.ready.peerId, 'hello from behind NAT A')
    assert.equal(there.status, 'delivered')
    const back = await send(dirB, a.ready.peerId, 'and back from behind NAT B')
    assert.equal(back.status, 'delivered')
    assert.deepEqual((await history(dirB, a.ready.peerId)).map(m => [m.direction, m.text]), [
      ['in', 'hello from behind NAT A'], ['out', 'and back from behind NAT B']
    ])

    // port-restricted against symmetric: ICE tries (its checks leave A's NAT) but nothing comes
    // back through either NAT, so the conversation went through the relay
    const between = (await hostA.router.flows()).filter(f => f.original.dst === hostB.publicIp || f.reply.src === hostB.publicIp)
    assert.deepEqual(between.filter(f => f.reply.packets > 0), [], 'a packet came back between the two NATs')

    // neither side lost its connection to the relay on the way (autonat used to cut it)
    for (const d of [a, b]) {
      assert.deepEqual(d.events.filter(e => e.event === 'peer:disconnect' && e.peerId === relay.ready.peerId), [])
    }
    assert.equal(await stop(a), 0)
    assert.equal(await stop(b), 0)
  })

  it(`an idle minute: no connection of a NATted user carries more than ${IDLE_MAX_PACKETS_PER_MIN} packets or ${IDLE_MAX_BYTES_PER_MIN} bytes`, async () => {
    const dirA = await dirs.make()
    const dirB = await dirs.make()
    const [a, b] = await Promise.all([user(hostA, dirA), user(hostB, dirB)])
    assert.equal((await send(dirA, b.ready.peerId, 'hello')).status, 'delivered')
    assert.equal((await send(dirB, a.ready.peerId, 'hello back')).status, 'delivered')
    const key = (f: Flow): string => `${f.proto} ${f.original.src}:${f.original.sport} ${f.original.dst}:${f.original.dport}`
    const before = new Map((await hostA.router.flows()).map(f => [key(f), f]))
    await new Promise(resolve => setTimeout(resolve, IDLE_WINDOW_MS))
    const carried = (await hostA.router.flows()).map(f => {
      const was = before.get(key(f))
      return {
        flow: key(f),
        packets: f.original.packets + f.reply.packets - (was != null ? was.original.packets + was.reply.packets : 0),
        bytes: f.original.bytes + f.reply.bytes - (was != null ? was.original.bytes + was.reply.bytes : 0)
      }
    }).filter(c => c.packets > 0)
    log('an idle minute on A\'s router: %o', carried)
    for (const c of carried) {
      assert.ok(c.packets <= IDLE_MAX_PACKETS_PER_MIN && c.bytes <= IDLE_MAX_BYTES_PER_MIN, `an idle minute on ${c.flow}: ${c.packets} packets, ${c.bytes} bytes`)
    }
    assert.ok(carried.some(c => c.flow.endsWith(`${relayHost.ip}:4001`)), `A's connection to its relay was measured: ${JSON.stringify(carried)}`)
    assert.equal(await stop(a), 0)
    assert.equal(await stop(b), 0)
  })

  it('autonat: P\'s public address is confirmed, A\'s never is, both keep their relay connections, and P\'s stays confirmed across a restart', async () => {
    // on a fixed port, as a public node runs: a user's default port is new at each start
    const dirP = await dirs.make()
    const listenP = ['--listen', '/ip4/0.0.0.0/tcp/4001', '--listen', '/p2p-circuit']
    const p = await daemon(publicHost, dirP, ['--bootstrap', relayAddr, ...listenP])
    const a = await user(hostA, await dirs.make())
    const isPublicTcp = (ip: string) => (e: DaemonEvent): boolean => e.addresses?.some(x => x.startsWith(`/ip4/${ip}/tcp/`) && !x.includes('/p2p-circuit')) === true
    await p.event(isPublicTcp(publicHost.ip), `P's address ${publicHost.ip} confirmed by autonat`, 60_000)
    // by the time P's was confirmed, A has asked the relay too: its NAT's address never appears
    assert.deepEqual(a.events.filter(isPublicTcp(hostA.router.wanIp)), [], 'A announced its NAT\'s address as reachable')
    for (const d of [p, a]) {
      assert.deepEqual(d.events.filter(e => e.event === 'peer:disconnect' && e.peerId === relay.ready.peerId), [])
    }
    assert.equal(await stop(p), 0)

    // restarted (a service restart), P announces its confirmed address from the start, not only
    // once autonat has asked its peers again: until then its peers could not dial it
    const again = await daemon(publicHost, dirP, ['--bootstrap', relayAddr, ...listenP])
    assert.ok(isPublicTcp(publicHost.ip)({ event: 'ready', ...again.ready }), `P's addresses when ready after a restart: ${JSON.stringify(again.ready.addresses)}`)
    assert.equal(await stop(again), 0)
    assert.equal(await stop(a), 0)
  })

  it('P leaves mail for A while A is offline; A returns and gets it once, in order', async () => {
    const dirP = await dirs.make()
    const dirA = await dirs.make()
    const p = await daemon(publicHost, dirP, ['--bootstrap', relayAddr])
    let a = await user(hostA, dirA)
    // sent as soon as A holds its reservation: its relay already answers lookups of A with A's
    // relayed address (src/node/reserved-client-addresses.ts)
    assert.equal((await send(dirP, a.ready.peerId, 'are you there?')).status, 'delivered')
    assert.equal(await stop(a), 0)

    const texts = ['one', 'two', 'three']
    for (const text of texts) {
      assert.equal((await send(dirP, a.ready.peerId, text)).status, 'stored')
    }
    a = await user(hostA, dirA)
    const inbox = async (): Promise<string[]> => (await history(dirA, p.ready.peerId)).filter(m => m.direction === 'in').map(m => m.text)
    await until(async () => (await inbox()).length >= 4, 'A to fetch its mail', 60_000)
    assert.deepEqual(await inbox(), ['are you there?', ...texts])
    assert.equal(await stop(a), 0)
    assert.equal(await stop(p), 0)
  })
})

/** Polls `check` until it holds: for state behind a CLI, which has no events to wait on */
async function until (check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
  }
}
