import assert from 'node:assert/strict'
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { logger } from '@libp2p/logger'
import { buildWeb } from '../../scripts/web/build.ts'
import { RELAY_WEBRTC_DIRECT_PORT, RELAY_WS_PORT } from '../../src/node/constants.ts'
import { CHROMIUM, connectionsTo, incoming, openApp, outgoingStatus, peerIdOf, reservation, send } from '../browser/helpers/browser.ts'
import { runDaemon } from '../helpers/cli.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import { InternetBox } from '../net/index.ts'
import { launchInNamespace, serveWebIn } from './helpers/page-in-box.ts'
import { MessageEvents } from './helpers/message-events.ts'
import type { DaemonProcess } from '../helpers/cli.ts'
import type { Flow, Host, NatKind, NattedHost } from '../net/index.ts'
import type { BrowserContext } from 'playwright-core'

const CHAT = '/parley/chat/1.0.0'

const log = logger('parley:test:browser-netns')

/** A first message may wait for a WebRTC attempt and a retry of the outbox (docs/NETWORK.md) */
const DELIVERED_TIMEOUT_MS = 45_000
const RESERVATION_TIMEOUT_MS = 30_000

interface Transport {
  name: string
  /** What the relay's address for it contains */
  marker: string
  proto: 'tcp' | 'udp'
  port: number
}

const TRANSPORTS: Transport[] = [
  { name: 'WebSockets', marker: `/tcp/${RELAY_WS_PORT}/ws/`, proto: 'tcp', port: RELAY_WS_PORT },
  { name: 'WebRTC-Direct', marker: `/udp/${RELAY_WEBRTC_DIRECT_PORT}/webrtc-direct/certhash/`, proto: 'udp', port: RELAY_WEBRTC_DIRECT_PORT }
]

/** Where the page's namespace sits: straight on the internet, or behind its own NAT router */
const PLACEMENTS: Array<{ name: string, nat?: NatKind }> = [
  { name: 'on a public address' },
  { name: 'behind a port-restricted NAT', nat: 'port-restricted' }
]

/**
 * A web page in Chromium on the internet in a box (test/net): relay R on a public host, started
 * as the README says (`parley daemon --relay`); user A behind a port-restricted NAT, bootstrapped
 * from R; and a page whose Chromium runs in a namespace of its own (test/network/helpers/
 * page-in-box.ts), served from that namespace's loopback with R in its config.json. The page
 * reaches R over one transport, takes a reservation there and chats with A both ways.
 */
describe('a browser page in the box: public relay, user behind NAT', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const env = { DEBUG: process.env.DEBUG ?? '' }
  const contexts = new Set<BrowserContext>()
  const daemons = new Set<DaemonProcess>()
  let net: InternetBox
  let relayHost: Host
  let hostA: NattedHost
  let relay: DaemonProcess
  let a: DaemonProcess
  let aEvents: MessageEvents
  let webRoot: string
  let hosts = 0

  before(async function () {
    if (process.getuid?.() !== 0) this.skip()
    if (await access(CHROMIUM).then(() => false, () => true)) this.skip()
    net = await InternetBox.create()
    relayHost = await net.addPublicHost('relay')
    hostA = await net.addNattedHost('a', { nat: 'port-restricted' })
    relay = await runDaemon(await dirs.make(), ['--relay', '--log-peers'], { spawner: relayHost, env })
    daemons.add(relay)
    const dirA = await dirs.make()
    a = await runDaemon(dirA, ['--bootstrap', `/ip4/${relayHost.ip}/tcp/4001/p2p/${relay.ready.peerId}`], { spawner: hostA, env })
    daemons.add(a)
    aEvents = new MessageEvents(dirA)
    await aEvents.start()
    const built = await buildWeb(join(await dirs.make('parley-web-'), 'web'))
    webRoot = built.outDir
    await a.event(e => e.addresses?.some(x => x.includes('/p2p-circuit')) === true, 'a relay reservation for A')
  })

  after(async () => {
    await Promise.allSettled([...contexts].map(async c => c.close()))
    await aEvents?.stop()
    await Promise.allSettled([...daemons].map(async d => d.stop()))
    await net?.destroy()
    await dirs.cleanup()
  })

  for (const placement of PLACEMENTS) {
    for (const transport of TRANSPORTS) {
      it(`a page ${placement.name} reaches R over ${transport.name} alone, holds a reservation there and chats with A both ways`, async () => {
        const name = `page${++hosts}`
        const pageHost = placement.nat == null ? await net.addPublicHost(name) : await net.addNattedHost(name, { nat: placement.nat })
        const relayId = relay.ready.peerId
        const bootstrap = relay.ready.addresses.filter(ma => ma.includes(transport.marker))
        assert.equal(bootstrap.length, 1, `R announces one ${transport.name} address: ${relay.ready.addresses.join(' ')}`)
        const url = await serveWebIn(pageHost, webRoot, { bootstrap })

        const context = await launchInNamespace(pageHost, await dirs.make('parley-chromium-'))
        contexts.add(context)
        const t0 = Date.now()
        const page = await openApp(context, url)
        const ready = Date.now() - t0
        const circuit = await reservation(page, RESERVATION_TIMEOUT_MS)
        const reserved = Date.now() - t0
        assert.ok(circuit.some(ma => ma.includes(`/p2p/${relayId}/p2p-circuit`)), `a reservation on R: ${circuit.join(' ')}`)

        // the page's connections to R all use the one transport it was given
        const toRelay = await connectionsTo(page, relayId)
        assert.ok(toRelay.length > 0, 'the page is connected to R')
        for (const c of toRelay) assert.ok(c.address.includes(transport.marker), `over ${transport.name}: ${c.address}`)

        const pageId = await peerIdOf(page)
        const tSend = Date.now()
        const out = await send(page, a.ready.peerId, `hello A, from a page ${placement.name}`)
        const firstAttempt = Date.now() - tSend
        await outgoingStatus(page, out.id, 'delivered', DELIVERED_TIMEOUT_MS)
        const there = Date.now() - t0
        await aEvents.next(m => m.direction === 'in' && m.peer === pageId && m.text === out.text, 'A to receive the page\'s message', 10_000)

        const tBack = Date.now()
        const back = await aEvents.client.send(pageId, 'hello page, from A')
        if (back.status !== 'delivered') {
          await aEvents.next(m => m.id === back.id && m.status === 'delivered', 'A\'s reply to be delivered', DELIVERED_TIMEOUT_MS)
        }
        await incoming(page, a.ready.peerId, 'hello page, from A', 10_000)
        const backMs = Date.now() - tBack

        // now that they have met, each message is delivered at the first attempt, while the two
        // sides' attempts at a direct WebRTC connection come and go beside the relayed one
        const tNext = Date.now()
        const next = await send(page, a.ready.peerId, 'and a second one')
        const nextBack = await aEvents.client.send(pageId, 'a second one back')
        const nextMs = Date.now() - tNext
        assert.deepEqual([next.status, nextBack.status], ['delivered', 'delivered'], 'second messages at the first attempt')
        log('page %s over %s: ready %d ms, reservation %d ms, first message delivered %d ms after load (its first attempt: %s after %d ms); A to page %s in %d ms; then both ways in %d ms',
          placement.name, transport.name, ready, reserved, there, out.status, firstAttempt, back.status, backMs, nextMs)

        // on the wire: the page's namespace spoke to R on that transport's port and no other
        const pageFlows = await pageHost.flows()
        const toR = (proto: string, port: number): Flow[] => pageFlows.filter(f => f.original.dst === relayHost.ip && f.proto === proto && f.original.dport === port)
        assert.ok(toR(transport.proto, transport.port).some(f => f.reply.packets > 0), `traffic with R on ${transport.proto}/${transport.port}: ${JSON.stringify(pageFlows)}`)
        for (const other of TRANSPORTS.filter(t => t !== transport)) {
          assert.deepEqual(toR(other.proto, other.port), [], `no ${other.name} traffic with R`)
        }
        // with R as their STUN server the page and A may punch through to a direct WebRTC
        // connection (docs/NETWORK.md, "Hole punching"). Whatever the page's chat used that
        // libp2p calls direct must be direct on the wire: a UDP flow between the two, packets
        // both ways (a "direct" connection that carried nothing is what the outside test saw)
        const between = (await hostA.router.flows()).filter(f => f.original.dst === pageHost.publicIp || f.reply.src === pageHost.publicIp)
        const punched = between.some(f => f.proto === 'udp' && f.original.packets > 0 && f.reply.packets > 0)
        const directChat = (await connectionsTo(page, a.ready.peerId)).filter(c => !c.limited && c.protocols.includes(CHAT))
        if (directChat.length > 0) assert.ok(punched, `chat on a direct connection (${JSON.stringify(directChat)}) with no flow between A and the page: ${JSON.stringify(between)}`)
        log('page %s over %s: hole punched to A: %s; chat direct: %s', placement.name, transport.name, punched, directChat.length > 0)

        contexts.delete(context)
        await context.close()
      })
    }
  }
})
