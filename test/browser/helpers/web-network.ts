import { join } from 'node:path'
import { buildWeb } from '../../../scripts/web/build.ts'
import { startStaticServer } from '../../../scripts/web/static-server.ts'
import { peerIdFromString } from '@libp2p/peer-id'
import { untilAsync } from '../../helpers/events.ts'
import { TempDirs } from '../../helpers/temp-dir.ts'
import { connectedTo, hasRelayAddress, LOOPBACK_TCP, LOOPBACK_WS, startNode } from '../../helpers/nodes.ts'
import { assertChromium, launchProfile, openApp, pageLog, reservation } from './browser.ts'
import type { StaticServer } from '../../../scripts/web/static-server.ts'
import type { Parley } from '../../../src/parley.ts'
import type { TestNodeInit } from '../../helpers/nodes.ts'
import type { BrowserContext, Page } from 'playwright-core'

/** Node's WebRTC bound to loopback, so no ICE candidate leaves the machine */
export const LOOPBACK_RTC = '127.0.0.1'
export const LOOPBACK_WEBRTC_DIRECT = '/ip4/127.0.0.1/udp/0/webrtc-direct'

export interface WebNetworkInit {
  /** How many relays; the page bootstraps from all of them. @default 1 */
  relays?: number
  /**
   * Relays hold mail for offline peers, as relays do by default. Without any host a node's
   * mailbox lookups run to their timeout, which also holds up its stop. @default true
   */
  mailboxes?: boolean
  /** The disappearing-message timers the pages allow (config.json's `timers`); the node's defaults if absent */
  timers?: number[]
  /** config.json's ICE servers for calls, and its transport policy */
  calls?: { iceServers: RTCIceServer[], iceTransportPolicy?: RTCIceTransportPolicy }
}

export interface OpenOptions {
  /** Runs on the browser context before the app loads (init scripts, permissions) */
  prepare?: (context: BrowserContext) => Promise<void>
}

export interface OpenPage {
  context: BrowserContext
  page: Page
  peerId: string
}

/**
 * Relays on loopback (TCP for Node nodes, WebSockets and WebRTC-Direct for pages), the web app
 * built into a temporary directory and served on 127.0.0.1, and Chromium profiles that open it.
 * LAN mode throughout: every address here is loopback.
 */
export class WebNetwork {
  readonly dirs = new TempDirs()
  readonly relays: Parley[] = []
  readonly nodes = new Set<Parley>()
  readonly contexts = new Set<BrowserContext>()
  /** Pages opened since the last `takeLogs` */
  private opened: OpenPage[] = []
  server!: StaticServer
  private readonly servers: StaticServer[] = []
  private root = ''
  private timers?: number[]
  private calls?: WebNetworkInit['calls']

  async start (init: WebNetworkInit = {}): Promise<void> {
    await assertChromium()
    const out = await this.dirs.make('parley-web-')
    const built = await buildWeb(join(out, 'web'))
    for (let i = 0; i < (init.relays ?? 1); i++) {
      const relay = await startNode({
        dataDir: await this.dirs.make(),
        relay: true,
        listen: [LOOPBACK_TCP, LOOPBACK_WS, LOOPBACK_WEBRTC_DIRECT],
        rtcBindAddress: LOOPBACK_RTC,
        mailboxHost: init.mailboxes === false ? false : {},
        bootstrap: this.relays.flatMap(r => r.addresses())
      })
      for (const other of this.relays) await connectedTo(relay, other.peerId)
      this.relays.push(relay)
    }
    this.root = built.outDir
    this.timers = init.timers
    this.calls = init.calls
    this.server = await this.serve('/ws/')
  }

  /** The built app's directory */
  get appDir (): string {
    return this.root
  }

  /**
   * Serves the app (or another build, from `root`) with config.json listing the relays'
   * addresses that contain `transport`; on `port` to serve the same origin again
   */
  async serve (transport: '/ws/' | '/webrtc-direct/', options: { root?: string, port?: number } = {}): Promise<StaticServer> {
    const bootstrap = this.relays.flatMap(r => r.addresses()).map(String).filter(ma => ma.includes(transport))
    const server = await startStaticServer({
      root: options.root ?? this.root,
      config: { bootstrap, lan: true, ...(this.timers != null ? { timers: this.timers } : {}), ...this.calls },
      ...(options.port != null ? { port: options.port } : {})
    })
    this.servers.push(server)
    return server
  }

  /** A fresh browser profile directory (kept until `stop`, so a profile can be reopened) */
  async profile (): Promise<string> {
    return this.dirs.make('parley-chromium-')
  }

  /** Opens the app (`fragment`: e.g. an invite's `#invite=...`) in `profileDir` and waits for its node to start and hold a relay reservation */
  async open (profileDir: string, server = this.server, fragment = '', options: OpenOptions = {}): Promise<OpenPage> {
    const context = await launchProfile(profileDir)
    this.contexts.add(context)
    await options.prepare?.(context)
    const page = await openApp(context, server.url + fragment)
    const peerId = await page.evaluate(() => window.parley!.peerId.toString())
    const open = { context, page, peerId }
    this.opened.push(open)
    await reservation(page)
    await this.relayKnows(peerId)
    return open
  }

  /**
   * What the pages opened since the last call logged, each headed by its PeerId; a failed test
   * prints it (`afterEach`), since a page's log is all there is of what went on inside it
   */
  takeLogs (): string {
    const logs = this.opened.map(o => `--- page ${o.peerId} ---\n${pageLog(o.page).join('\n')}`).join('\n')
    this.opened = []
    return logs
  }

  /**
   * Resolves once a relay has the page's relay addresses in its peer store (noted as it grants
   * the reservation, src/node/reserved-client-addresses.ts), so a lookup of the page through the
   * DHT finds a way to reach it
   */
  async relayKnows (peerId: string): Promise<void> {
    const id = peerIdFromString(peerId)
    await Promise.any(this.relays.map(async relay => untilAsync(relay.node, ['peer:update'], async () => {
      const peer = await relay.node.peerStore.get(id).catch(() => undefined)
      return peer?.addresses.some(a => a.multiaddr.toString().includes('/p2p-circuit')) ?? false
    }, 20_000, `a relay to learn the relay addresses of ${peerId}`)))
  }

  async close (open: OpenPage): Promise<void> {
    this.contexts.delete(open.context)
    await open.context.close()
  }

  /**
   * A Node user node (as `parley daemon` runs one) that pages can reach through a relay. Like
   * `open`, it resolves once a relay has the node's relay addresses: a page can dial only those
   * (and /ws).
   */
  async node (extra: Partial<TestNodeInit> = {}): Promise<Parley> {
    const node = await startNode({
      dataDir: await this.dirs.make(),
      listen: [LOOPBACK_TCP, '/p2p-circuit', '/webrtc'],
      rtcBindAddress: LOOPBACK_RTC,
      bootstrap: this.relays.flatMap(r => r.addresses()),
      ...extra
    })
    this.nodes.add(node)
    await hasRelayAddress(node)
    await this.relayKnows(node.peerId.toString())
    return node
  }

  async stopNode (node: Parley): Promise<void> {
    this.nodes.delete(node)
    await node.stop()
  }

  async stop (): Promise<void> {
    await Promise.all([...this.contexts].map(async c => c.close()))
    await Promise.all([...this.nodes].map(async n => n.stop()))
    await Promise.all(this.relays.map(async r => r.stop()))
    await Promise.all(this.servers.map(async s => s.close()))
    await this.dirs.cleanup()
  }
}

/**
 * Registers an `afterEach` that prints the pages' logs when a test of the suite fails, or after
 * every test with PARLEY_TEST_LOGS=1 (as test/helpers/cli.ts does for daemons)
 */
export function printPageLogsOnFailure (net: WebNetwork): void {
  afterEach(function () {
    const logs = net.takeLogs()
    if (this.currentTest?.state === 'failed' || process.env.PARLEY_TEST_LOGS != null) process.stderr.write(`${logs}\n`)
  })
}
