/**
 * The cast and one attempt of the hole-punching test (hole-punch.spec.ts), shared with the
 * measurement script (scripts/hole-punch.ts), which runs many attempts of the same code.
 */
import { ControlClient } from '../../src/control/client.ts'
import { WEBRTC_CONNECT_TIMEOUT_MS } from '../../src/node/constants.ts'
import { runDaemon } from '../helpers/cli.ts'
import type { DaemonEvent, DaemonProcess } from '../helpers/cli.ts'
import type { TempDirs } from '../helpers/temp-dir.ts'
import type { Flow, Host, InternetBox, NatKind, NattedHost } from '../net/index.ts'

/**
 * Every pair of NAT kinds, and whether a direct connection is possible: ICE needs one side's
 * mapping to be endpoint-independent (its STUN-learnt address is the one the other reaches), and
 * a symmetric side's checks come from a port the other side's filter has never seen, so its
 * peer must not filter by port (a full cone).
 */
export const PAIRS: ReadonlyArray<readonly [NatKind, NatKind, boolean]> = [
  ['full-cone', 'full-cone', true],
  ['full-cone', 'port-restricted', true],
  ['port-restricted', 'port-restricted', true],
  ['full-cone', 'symmetric', true],
  ['port-restricted', 'symmetric', false],
  ['symmetric', 'symmetric', false]
]

export function pairName (a: NatKind, b: NatKind): string {
  return `${a} ↔ ${b}`
}

/** How long after A's first message a direct connection may take to appear */
export const DIRECT_WAIT_MS = 30_000
/** A user holds a reservation on R within this long of starting */
const RESERVATION_TIMEOUT_MS = 30_000
/** How often the routers' conntrack is read while ICE is checking (there is no event for it) */
const FLOW_POLL_MS = 100
/** Packets each way that make a UDP flow a connection (DTLS and SCTP set-up alone are more) */
const MIN_PACKETS_EACH_WAY = 10

export interface AttemptResult {
  /** A's first message to B */
  firstMessage: string
  msFirstSend: number
  /** A's next message, once A and B are connected (directly or through R) */
  secondMessage: string
  /** On the wire: A's router forwarded UDP with B's router, packets both ways */
  direct: boolean
  /** Either daemon reported a connection to the other that is not relayed */
  libp2pDirect: boolean
  /** From A's first send until its router carried the direct flow */
  msToDirect?: number
  /** UDP between the two routers, as A's router tracked it */
  flows: Flow[]
  /** With R stopped: B to A, then A to B (direct pairs only) */
  withoutRelay?: string[]
}

/** R, and behind each NAT kind a host for A and one for B; fresh user daemons every attempt */
export class HolePunchCast {
  private relay?: DaemonProcess
  private relayAddr = ''
  private readonly running = new Set<DaemonProcess>()

  private constructor (
    private readonly relayHost: Host,
    private readonly relayDir: string,
    private readonly hostsA: Map<NatKind, NattedHost>,
    private readonly hostsB: Map<NatKind, NattedHost>,
    private readonly dirs: TempDirs,
    private readonly env: Record<string, string>
  ) {}

  static async create (net: InternetBox, dirs: TempDirs, env: Record<string, string> = {}): Promise<HolePunchCast> {
    const relayHost = await net.addPublicHost('relay')
    const hostsA = new Map<NatKind, NattedHost>()
    const hostsB = new Map<NatKind, NattedHost>()
    for (const kind of ['full-cone', 'port-restricted', 'symmetric'] as const) {
      // short names: they end up in interface names (15 characters at most)
      hostsA.set(kind, await net.addNattedHost(`a${kind.slice(0, 2)}`, { nat: kind }))
      hostsB.set(kind, await net.addNattedHost(`b${kind.slice(0, 2)}`, { nat: kind }))
    }
    return new HolePunchCast(relayHost, await dirs.make(), hostsA, hostsB, dirs, env)
  }

  /**
   * A and B start afresh (new identities), A writes to B for the first time, and the wire and the
   * daemons say whether they went direct; for a direct pair R is then stopped and they chat
   * again. Everything started is stopped before this returns.
   */
  async attempt (kindA: NatKind, kindB: NatKind): Promise<AttemptResult> {
    const hostA = this.hostsA.get(kindA) as NattedHost
    const hostB = this.hostsB.get(kindB) as NattedHost
    // connections of earlier attempts (their daemons are gone) must not pass for this one's
    await Promise.all([hostA.router.run('conntrack', ['-F']), hostB.router.run('conntrack', ['-F'])])
    await this.startRelay()
    const [a, b] = await Promise.all([this.user(hostA), this.user(hostB)])
    try {
      const t0 = performance.now()
      const clientA = new ControlClient(dirOf(a))
      const first = await clientA.send(b.ready.peerId, 'hello from A')
      const msFirstSend = Math.round(performance.now() - t0)
      // libp2p calls a WebRTC connection direct before ICE has connected (and on the answering
      // side even when it never does; see src/node/webrtc-guard.ts), so each one it reports is
      // checked on the wire: A's router must forward UDP both ways with B's router
      const between = async (): Promise<Flow[]> => (await hostA.router.flows()).filter(f => f.proto === 'udp' &&
        (f.original.dst === hostB.publicIp || f.original.src === hostB.publicIp))
      const carries = (flows: Flow[]): boolean => flows.some(f => f.original.packets >= MIN_PACKETS_EACH_WAY && f.reply.packets >= MIN_PACKETS_EACH_WAY)
      const deadline = t0 + DIRECT_WAIT_MS
      let msToDirect: number | undefined
      let libp2pDirect = false
      const seen = new Set<DaemonEvent>()
      while (msToDirect == null && performance.now() < deadline) {
        const next = (d: DaemonProcess, peer: string): Promise<DaemonEvent> =>
          d.event(e => !seen.has(e) && directTo(peer)(e), 'a direct connection', Math.max(1, deadline - performance.now()))
        const event = await Promise.any([next(a, b.ready.peerId), next(b, a.ready.peerId)]).catch(() => undefined)
        if (event == null) break
        seen.add(event)
        libp2pDirect = true
        // ICE may still be checking: the flow builds up within the guard's 10 s, or never
        const settled = performance.now() + WEBRTC_CONNECT_TIMEOUT_MS
        while (performance.now() < settled && !carries(await between())) {
          await new Promise(resolve => setTimeout(resolve, FLOW_POLL_MS))
        }
        if (carries(await between())) msToDirect = Math.round(performance.now() - t0)
      }
      const flows = await between()
      const direct = carries(flows)
      // chat, over whatever connection A and B now have
      const second = await clientA.send(b.ready.peerId, 'and again')
      const result: AttemptResult = {
        firstMessage: first.status,
        msFirstSend,
        secondMessage: second.status,
        direct,
        libp2pDirect,
        ...(msToDirect != null ? { msToDirect } : {}),
        flows
      }
      if (direct) {
        await this.stop(this.relay)
        result.withoutRelay = [
          (await new ControlClient(dirOf(b)).send(a.ready.peerId, 'from B, with the relay gone')).status,
          (await clientA.send(b.ready.peerId, 'from A, with the relay gone')).status
        ]
      }
      return result
    } finally {
      await Promise.all([this.stop(a), this.stop(b)])
    }
  }

  /** Stops every daemon still running */
  async stop (daemon?: DaemonProcess): Promise<void> {
    const list = daemon != null ? [daemon] : [...this.running]
    await Promise.all(list.map(async d => {
      this.running.delete(d)
      if (d === this.relay) this.relay = undefined
      await d.stop()
    }))
  }

  private async startRelay (): Promise<void> {
    if (this.relay != null) return
    this.relay = await this.daemon(this.relayHost, this.relayDir, ['--relay', '--log-peers'])
    this.relayAddr = `/ip4/${this.relayHost.ip}/tcp/4001/p2p/${this.relay.ready.peerId}`
  }

  /**
   * A user daemon, once it holds a reservation on R and R has its relayed address: A finds B by
   * asking R (the DHT), which learns B's relayed address by identify push a second after the
   * reservation; a lookup before then finds no address and the first message goes to B's
   * mailbox, which is right but not what is measured here
   */
  private async user (host: Host): Promise<DaemonProcess> {
    const relay = this.relay as DaemonProcess
    const d = await this.daemon(host, await this.dirs.make(), ['--bootstrap', this.relayAddr])
    await d.event(e => e.addresses?.some(x => x.includes('/p2p-circuit')) === true, 'a relay reservation', RESERVATION_TIMEOUT_MS)
    await relay.event(e => e.event === 'peer:identify' && e.peerId === d.ready.peerId && hasRelayedAddress(e),
      'the relay to learn the relayed address', RESERVATION_TIMEOUT_MS)
    return d
  }

  private async daemon (host: Host, dataDir: string, args: string[]): Promise<DaemonProcess> {
    const d = await runDaemon(dataDir, args, { spawner: host, env: this.env })
    dataDirs.set(d, dataDir)
    this.running.add(d)
    return d
  }
}

const dataDirs = new WeakMap<DaemonProcess, string>()

function dirOf (d: DaemonProcess): string {
  return dataDirs.get(d) as string
}

function directTo (peerId: string) {
  return (e: DaemonEvent): boolean => e.event === 'connection:open' && e.peerId === peerId && e.limited === false
}

function hasRelayedAddress (e: DaemonEvent): boolean {
  return Array.isArray(e.listenAddrs) && e.listenAddrs.some(a => String(a).includes('/p2p-circuit'))
}
