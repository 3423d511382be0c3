import assert from 'node:assert/strict'
import { createWriteStream } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { logger } from '@libp2p/logger'
import { ControlClient } from '../../src/control/client.ts'
import { DELIVERY_GRACE_ON_STOP_MS } from '../../src/shutdown/constants.ts'
import { runDaemon } from '../helpers/cli.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import { InternetBox } from '../net/index.ts'
import type { DaemonEvent, DaemonProcess } from '../helpers/cli.ts'
import type { Host, NattedHost } from '../net/index.ts'

const log = logger('parley:test:shutdown')

/**
 * How many times in a row the relay and the NATted user are stopped (the issue asks for 50).
 * PARLEY_SHUTDOWN_RUNS=3 makes a quick local run.
 */
const RUNS = Number(process.env.PARLEY_SHUTDOWN_RUNS ?? 50)


/**
 * SIGTERM to exit, every role. Measured on 2 cores, 50 runs each: relay 0.12 to 0.64 s; NATted
 * user 1.08 to 1.42 s (3.1 to 3.3 s while its stuck deliveries used DELIVERY_GRACE_ON_STOP_MS);
 * storer 1.09 to 1.27 s. Before the fix a user that had tried WebRTC never exited and a relay
 * crashed (SIGABRT) within two stops.
 */
const STOP_BOUND_MS = 5_000

/** A daemon that has lost its relay finds it again within this long (DHT walks every 5 s) */
const RECONNECT_TIMEOUT_MS = 30_000

/** The storer listens on a fixed port, as a public one does, so its address survives restarts */
const STORER_LISTEN = ['/ip4/0.0.0.0/tcp/4001', '/p2p-circuit', '/webrtc']

/**
 * `parley daemon` processes on an internet in a box (see test/net and internet.spec.ts), each
 * stopped with SIGTERM while messages are under way, the way a service manager stops them. A
 * stop must end in exit code 0, no signal (no crash in node-datachannel's threads) and within
 * STOP_BOUND_MS. Each run restarts the same data directory, as a service restart does.
 *
 * The cast: relay R; A behind a port-restricted NAT, the user the second test restarts; B behind
 * a symmetric NAT, so A and B always hold a relayed connection; D behind a port-restricted NAT,
 * so A and D keep trying WebRTC (hole punching; node-datachannel peer connections come and go);
 * P, a public user storing mail (--mailbox-budget 16), which the third test restarts.
 *
 * 50 restarts per role cost 50 process starts each (1.5 s of CPU apiece); what keeps the file
 * near four minutes: the long-lived peers and their sessions are set up once, messages go through
 * the control socket from this process (no CLI process per message), each run waits only for the
 * events that show traffic reaching the daemon about to stop (no delivery is awaited), and the
 * daemons share one V8 compile cache.
 */
describe('SIGTERM on a live daemon, for every role, while traffic flows', function () {
  this.timeout(RUNS * 20_000 + 120_000)
  const dirs = new TempDirs()
  // the messenger's log by default: why a message went to the mailboxes (see `sendDelivered`);
  // and the stop's steps, with how long each took, for a stop that overruns to say where
  const env = { DEBUG: process.env.DEBUG ?? 'parley:messenger,parley:stop', NODE_COMPILE_CACHE: join(tmpdir(), 'parley-test-compile-cache') }
  let net: InternetBox
  let relayHost: Host
  let storerHost: Host
  let hostA: NattedHost
  const running = new Set<Live>()
  let relay: Live
  let relayDir: string
  let relayAddr: string
  let a: Live
  let aDir: string
  let b: Live
  let d: Live
  let storer: Live
  let storerDir: string

  let started = 0
  async function start (host: Host, dataDir: string, args: string[]): Promise<Live> {
    const live = new Live(await runDaemon(dataDir, args, { spawner: host, env }), dataDir)
    // PARLEY_TEST_LOG_DIR=dir (with DEBUG set) keeps each daemon's log from its ready line on
    if (process.env.PARLEY_TEST_LOG_DIR != null) {
      live.daemon.child.stderr?.pipe(createWriteStream(join(process.env.PARLEY_TEST_LOG_DIR, `${String(++started).padStart(3, '0')}-${host.name}.log`)))
    }
    running.add(live)
    void live.exited.then(() => running.delete(live))
    return live
  }

  const startRelay = async (): Promise<Live> => start(relayHost, relayDir, ['--relay', '--log-peers'])
  const startUser = async (host: Host, dataDir: string): Promise<Live> => start(host, dataDir, ['--bootstrap', relayAddr])
  const startStorer = async (): Promise<Live> =>
    start(storerHost, storerDir, ['--bootstrap', relayAddr, '--mailbox-budget', '16', ...STORER_LISTEN.flatMap(l => ['--listen', l])])

  before(async function () {
    if (process.getuid?.() !== 0) this.skip()
    net = await InternetBox.create()
    relayHost = await net.addPublicHost('relay')
    storerHost = await net.addPublicHost('storer')
    hostA = await net.addNattedHost('a', { nat: 'port-restricted' })
    const hostB = await net.addNattedHost('b', { nat: 'symmetric' })
    const hostD = await net.addNattedHost('d', { nat: 'port-restricted' })
    relayDir = await dirs.make()
    relay = await startRelay()
    relayAddr = `/ip4/${relayHost.ip}/tcp/4001/p2p/${relay.peerId}`
    aDir = await dirs.make()
    storerDir = await dirs.make()
    ;[a, b, d, storer] = await Promise.all([startUser(hostA, aDir), startUser(hostB, await dirs.make()), startUser(hostD, await dirs.make()), startStorer()])
    await Promise.all([a, b, d].map(async u => u.daemon.event(hasCircuitAddress, 'a relay reservation', RECONNECT_TIMEOUT_MS)))
    // sessions (prekeys) first, so the runs carry chat. A only ever writes to the public P: a
    // message of A's still under way holds its stop for up to the messenger's grace
    await Promise.all([send(b, a, 'hello'), send(d, a, 'hello'), send(a, storer, 'hello')])
  })

  // a test that failed mid-run may have left one of the restarted daemons stopped
  beforeEach(async () => {
    if (!relay.running) relay = await startRelay()
    if (!a.running) a = await startUser(hostA, aDir)
    if (!storer.running) storer = await startStorer()
  })

  after(async () => {
    await Promise.all([...running].map(async live => live.terminate(STOP_BOUND_MS)))
    await net?.destroy()
    await dirs.cleanup()
  })

  it(`the relay exits 0 within ${STOP_BOUND_MS} ms, ${RUNS} times in a row, while users chat through it`, async () => {
    const times: number[] = []
    for (let run = 1; run <= RUNS; run++) {
      const t0 = Date.now()
      if (run > 1) relay = await startRelay()
      const t1 = Date.now()
      // B's and D's messages to A go through the relay: a circuit, or the relay's mailbox
      const flow = new AbortController()
      const sends = [send(b, a, `relay run ${run}`, flow.signal), send(d, a, `relay run ${run}`, flow.signal)]
      await Promise.all([a, b].map(async u => relay.daemon.event(identified(u.peerId), `the relay to hear from ${u.name}`, RECONNECT_TIMEOUT_MS)))
      log('relay run %d: started in %d ms, users back after %d ms', run, t1 - t0, Date.now() - t1)
      const stopped = await relay.terminate(STOP_BOUND_MS)
      flow.abort()
      await Promise.all(sends)
      assertClean(stopped, `relay, run ${run}`)
      times.push(stopped.ms)
    }
    log('relay stop times (ms): %s', summary(times))
  })

  it(`a NATted user with a relayed connection and chat under way exits 0 within ${STOP_BOUND_MS} ms, ${RUNS} times in a row`, async () => {
    // every run starts its own A, which B and D then hear from anew
    assertClean(await a.terminate(STOP_BOUND_MS), 'NATted user, before the runs')
    const times: number[] = []
    for (let run = 1; run <= RUNS; run++) {
      const seen = new Set([...b.daemon.events, ...d.daemon.events])
      a = await startUser(hostA, aDir)
      await reachable(a)
      // A writes first, as a user back online does, and so opens its relayed connections to B
      // and D
      await Promise.all([sendDelivered(a, b, `back for run ${run}`), sendDelivered(a, d, `back for run ${run}`)])
      await Promise.all([b, d].map(async u => u.daemon.event(e => !seen.has(e) && identified(a.peerId)(e), `${u.name} to hear from A`, RECONNECT_TIMEOUT_MS)))
      const flow = new AbortController()
      // chat both ways under way at the stop (A's stuck deliveries are the next test's)
      const sends = [send(b, a, `user run ${run}`, flow.signal), send(d, a, `user run ${run}`, flow.signal), send(a, storer, `user run ${run}`, flow.signal)]
      // (B's symmetric NAT does not keep A and B from adding WebRTC beside the relayed connection)
      const toB = (await a.client.peers()).filter(p => p.peerId === b.peerId)
      assert.ok(toB.some(p => p.limited), `run ${run}: A and B connected through the relay (${JSON.stringify(toB)})`)
      const stopped = await a.terminate(STOP_BOUND_MS)
      flow.abort()
      await Promise.all(sends)
      assertClean(stopped, `NATted user, run ${run}`)
      times.push(stopped.ms)
    }
    log('user stop times (ms): %s', summary(times))
  })

  it(`a user whose own messages are stuck under way exits 0 within ${STOP_BOUND_MS} ms: they get ${DELIVERY_GRACE_ON_STOP_MS} ms`, async () => {
    assertClean(await a.terminate(STOP_BOUND_MS), 'NATted user, before')
    a = await startUser(hostA, aDir)
    await reachable(a)
    // right after a restart A has no connection to B or D: its messages to them are dialling,
    // looking up prekeys or sending when the stop comes, and get the grace, not their timeouts
    const flow = new AbortController()
    const sends = [send(a, b, 'under way', flow.signal), send(a, d, 'under way', flow.signal), send(a, storer, 'under way', flow.signal)]
    const stopped = await a.terminate(STOP_BOUND_MS)
    flow.abort()
    await Promise.all(sends)
    assertClean(stopped, 'NATted user with its own deliveries under way')
    log('stop with deliveries under way: %d ms', stopped.ms)
  })

  it(`a user storing mail (--mailbox-budget 16) exits 0 within ${STOP_BOUND_MS} ms while mail and chat arrive, ${RUNS} times`, async () => {
    // A met C, who then went away: messages to C are deposited with the storers (R and P)
    const c = await startUser(hostA, await dirs.make())
    await reachable(c)
    // C's relayed address reaches the relay by identify push, a second after its reservation;
    // a lookup of C before then finds nothing, and A would have no session to leave mail with
    const before = new Set(relay.daemon.events)
    await relay.daemon.event(e => !before.has(e) && identified(c.peerId)(e), 'the relay to learn C\'s relayed address', RECONNECT_TIMEOUT_MS)
    // (a first message can still race C's address to the relay and go to the mailboxes: then
    // the next one, with the session set up, is delivered)
    await until(async () => (await send(a, c, 'hello C')) === 'delivered', 'a message of A\'s delivered to C', RECONNECT_TIMEOUT_MS)
    assertClean(await c.terminate(STOP_BOUND_MS), 'C')
    const times: number[] = []
    for (let run = 1; run <= RUNS; run++) {
      if (run > 1) storer = await startStorer()
      const flow = new AbortController()
      if (run === 1) {
        await until(async () => {
          await send(a, c, `mail run ${run}`, flow.signal)
          return (await storer.client.mailbox()).items > 0
        }, 'the storer to hold mail', RECONNECT_TIMEOUT_MS)
      }
      // under way at the stop: chat to P and deposits for C. A depositor skips a storer that
      // failed it for a minute (UNRESPONSIVE_MS), so after the first stop A's deposits may all
      // go to the relay; the chat still reaches P
      // A and B back in touch with the restarted storer first
      await Promise.all([sendDelivered(a, storer, `back for run ${run}`), sendDelivered(b, storer, `back for run ${run}`)])
      await Promise.all([a, b].map(async u => storer.daemon.event(identified(u.peerId), `the storer to hear from ${u.name}`, RECONNECT_TIMEOUT_MS)))
      const sends = [send(a, storer, `chat run ${run}`, flow.signal), send(b, storer, `chat run ${run}`, flow.signal), send(a, c, `mail run ${run}`, flow.signal)]
      const stopped = await storer.terminate(STOP_BOUND_MS)
      flow.abort()
      await Promise.all(sends)
      assertClean(stopped, `storer, run ${run}`)
      times.push(stopped.ms)
    }
    log('storer stop times (ms): %s', summary(times))
  })
})

/** A daemon process of this test, with how it ended */
class Live {
  readonly daemon: DaemonProcess
  readonly client: ControlClient
  readonly exited: Promise<Exit>
  /** The end of its stderr: what a crash in native code prints (`terminate called ...`) */
  private stderrTail = ''

  constructor (daemon: DaemonProcess, dataDir: string) {
    this.daemon = daemon
    this.client = new ControlClient(dataDir)
    const { child } = daemon
    child.stderr?.on('data', chunk => { this.stderrTail = (this.stderrTail + String(chunk)).slice(-8_000) })
    this.exited = child.exitCode != null || child.signalCode != null
      ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
      : new Promise(resolve => child.once('exit', (code, signal) => { resolve({ code, signal }) }))
  }

  /** The lines of the end of its stderr that match `pattern` */
  stderrLines (pattern: RegExp): string[] {
    return this.stderrTail.split('\n').filter(line => pattern.test(line))
  }

  get running (): boolean {
    return this.daemon.child.exitCode == null && this.daemon.child.signalCode == null
  }

  get peerId (): string {
    return this.daemon.ready.peerId
  }

  get name (): string {
    return this.peerId.slice(-6)
  }

  /** SIGTERM, then how it ended and how long that took; SIGKILL once `boundMs` has passed */
  async terminate (boundMs: number): Promise<Stopped> {
    const started = Date.now()
    this.daemon.child.kill('SIGTERM')
    let timer: ReturnType<typeof setTimeout> | undefined
    const overran = new Promise<'overran'>(resolve => { timer = setTimeout(() => { resolve('overran') }, boundMs) })
    const first = await Promise.race([this.exited, overran])
    clearTimeout(timer)
    if (first === 'overran') this.daemon.child.kill('SIGKILL')
    const { code, signal } = await this.exited
    return { code, signal, ms: Date.now() - started, overran: first === 'overran', stderr: this.stderrTail }
  }
}

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

interface Stopped extends Exit {
  ms: number
  /** Still running at the bound, and killed */
  overran: boolean
  stderr: string
}

function assertClean (stopped: Stopped, what: string): void {
  const tail = stopped.stderr.split('\n').slice(-15).join('\n')
  assert.ok(!stopped.overran, `${what}: still running ${STOP_BOUND_MS} ms after SIGTERM\n${tail}`)
  assert.deepEqual({ code: stopped.code, signal: stopped.signal }, { code: 0, signal: null }, `${what}: exited ${stopped.code ?? stopped.signal} after ${stopped.ms} ms\n${tail}`)
}

/**
 * Sends through `from`'s control socket. What becomes of the message (delivered, stored,
 * queued) depends on where the stop lands and is not this test's subject: a daemon that stops
 * under the request ends it with a reset, and `signal` lets a run stop waiting for a sender
 * still looking for a peer that went away (its messenger carries on).
 */
async function send (from: Live, to: Live, text: string, signal?: AbortSignal): Promise<string> {
  return from.client.send(to.peerId, text, signal != null ? { signal } : {}).then(m => m.status, (err: any) => err.code ?? err.name)
}

/**
 * Writes to `to` until a message is delivered, which opens the connection a test waits on: on a
 * loaded machine a first one can go to the mailboxes while the way to `to` is still being found
 * (it is delivered from there; nothing is lost), and then `to` would never hear from `from`
 */
async function sendDelivered (from: Live, to: Live, text: string): Promise<void> {
  const deadline = Date.now() + RECONNECT_TIMEOUT_MS
  const statuses: string[] = []
  while (true) {
    const status = await send(from, to, `${text} (${statuses.length + 1})`)
    statuses.push(status)
    if (status === 'delivered') return
    if (Date.now() > deadline) {
      // (CI once saw 150 sends in a row go to the mailboxes, each within 200 ms: the reasons)
      const why = from.stderrLines(/unreachable/).slice(-3).join('\n')
      throw new Error(`${from.name}'s messages to ${to.name} were not delivered in ${RECONNECT_TIMEOUT_MS} ms: ${statuses.length} sends, ${[...new Set(statuses)].join(', ')}\n${why}`)
    }
  }
}

/**
 * Resolves once a restarted user holds its relay reservation again. B's and D's messages reach
 * it through that; one sent before it existed fails (NO_RESERVATION) and goes to the mailboxes.
 */
async function reachable (user: Live): Promise<void> {
  await user.daemon.event(hasCircuitAddress, `${user.name}'s relay reservation`, RECONNECT_TIMEOUT_MS)
}

function identified (peerId: string): (e: DaemonEvent) => boolean {
  return e => e.event === 'peer:identify' && e.peerId === peerId
}

function hasCircuitAddress (e: DaemonEvent): boolean {
  return e.addresses?.some(x => x.includes('/p2p-circuit')) === true
}

/** Polls `check` until it holds: for state behind the control API, which has no event for it */
async function until (check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
  }
}

function summary (ms: number[]): string {
  const sorted = [...ms].sort((x, y) => x - y)
  return `min ${sorted[0]}, median ${sorted[Math.floor(sorted.length / 2)]}, max ${sorted[sorted.length - 1]} over ${ms.length}`
}
