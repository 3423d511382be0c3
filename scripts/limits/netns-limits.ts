import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { peerIdFromString } from '@libp2p/peer-id'
import { toString as toHex } from 'uint8arrays/to-string'
import { MAX_REQUEST_MESSAGES, MAX_REQUEST_MESSAGES_PER_STRANGER } from '../../src/messenger/constants.ts'
import { INBOUND_CONNECTIONS_PER_IP_PER_S, MAX_PENDING_INBOUND_PER_IP, RELAY_MAX_CONNECTIONS, RELAY_MAX_RESERVATIONS, USER_MAX_CONNECTIONS, USER_MAX_PENDING_INBOUND } from '../../src/node/constants.ts'
import { MAX_ITEMS_PER_KEY } from '../../src/protocols/mailbox/constants.ts'
import { epochAt, mailboxKey } from '../../src/protocols/mailbox/index.ts'
import { InternetBox } from '../../test/net/index.ts'
import { CrashableDaemon } from '../crash-loop/daemon.ts'
import { HonestChat } from './honest-chat.ts'
import { RssSampler } from './rss.ts'
import { settle } from './settle.ts'
import { streamChecks, streamsReport } from './stream-checks.ts'
import type { LimitsOptions, LimitsReport, PhaseReport } from './limits.ts'
import type { Host } from '../../test/net/index.ts'
import type { ChildProcess } from 'node:child_process'

const SWARM_CHILD = fileURLToPath(new URL('./swarm-child.ts', import.meta.url))
/** Each limit is offered this many times over */
const OVERLOAD = 2
/** How long the per-IP rate is offered */
const RATE_SECONDS = 6
/** Hosts the connections to a user come from, each dialling under the per-IP rate */
const CONNECTION_HOSTS = 10
const DAEMON_PORT = 4001

/**
 * The limits on an internet in a box (test/net: every node on a public address of its own, no
 * LAN mode; needs root): first the per-IP ones, which LAN mode lifts on loopback (new
 * connections per IP per second, inbound handshakes still negotiating per IP and in all), then
 * the loopback run's phases with the load spread over many IPs, each offered twice over from
 * attacker hosts (`swarm-child.ts` in a namespace each) while `user` and `friend` chat.
 */
export async function runNetnsLimits (options: LimitsOptions): Promise<LimitsReport> {
  const started = Date.now()
  const say = options.onProgress ?? (() => {})
  const wanted = (name: string): boolean => options.only == null || options.only.some(o => name.includes(o))
  const box = await InternetBox.create()
  const children = new Set<ChildProcess>()
  const daemons: CrashableDaemon[] = []
  const chatRef: { chat?: HonestChat } = {}
  try {
    const [relayHost, userHost, friendHost] = [await box.addPublicHost('relay'), await box.addPublicHost('user'), await box.addPublicHost('friend')]
    const daemon = async (name: string, host: Host, args: string[]): Promise<CrashableDaemon> => {
      const d = new CrashableDaemon(name, await options.workDir(name), args, {
        listen: [`/ip4/${host.ip}/tcp/${DAEMON_PORT}`],
        spawn: (command, args, spawnOptions) => host.spawn(command, args, spawnOptions)
      })
      daemons.push(d)
      await d.start()
      return d
    }
    const relay = await daemon('relay', relayHost, ['--relay'])
    const bootstrap = ['--bootstrap', `/ip4/${relayHost.ip}/tcp/${DAEMON_PORT}/p2p/${relay.peerId}`]
    const awayHost = await box.addPublicHost('away')
    const [user, friend, away] = await Promise.all([daemon('user', userHost, bootstrap), daemon('friend', friendHost, bootstrap), daemon('away', awayHost, bootstrap)])
    await user.client.addContact(friend.peerId, 'friend')
    await friend.client.addContact(user.peerId, 'user')
    // `away` met the friend (a session), then went offline: the deposits phase aims at its mailbox
    await friend.client.addContact(away.peerId, 'away')
    // (just started, `away` may not be found yet: the friend writes again until it is delivered)
    const deadline = Date.now() + 60_000
    for (let n = 0; ; n++) {
      const met = await friend.client.send(away.peerId, `hello before you go ${n}`, { signal: AbortSignal.timeout(60_000) })
      if (met.status === 'delivered') break
      if (Date.now() > deadline) throw new Error(`the friend's messages to away were not delivered in 60 s: ${met.status} ${met.error ?? ''}`)
      await new Promise(resolve => setTimeout(resolve, 1_000))
    }
    await away.stop()
    const userAddr = `/ip4/${userHost.ip}/tcp/${DAEMON_PORT}/p2p/${user.peerId}`
    const relayAddr = `/ip4/${relayHost.ip}/tcp/${DAEMON_PORT}/p2p/${relay.peerId}`
    const rss = new RssSampler({ relay: () => relay.pid, user: () => user.pid })
    const start = { relay: await rss.now('relay'), user: await rss.now('user') }
    const chat = new HonestChat(user, friend)
    chatRef.chat = chat
    rss.start()
    chat.start()

    /** Starts the attacker process in `host`; `report()` gives its next line */
    const attacker = (host: Host, args: string[]): { report: () => Promise<any>, go: () => void } => {
      const child = host.spawn(process.execPath, ['--experimental-transform-types', '--disable-warning=ExperimentalWarning', SWARM_CHILD, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
      children.add(child)
      let stderr = ''
      child.stderr?.on('data', d => { stderr = (stderr + String(d)).slice(-2_000) })
      const lines: string[] = []
      const waiting: Array<(line: string) => void> = []
      createInterface({ input: child.stdout! }).on('line', line => {
        const next = waiting.shift()
        if (next != null) next(line)
        else lines.push(line)
      })
      const exited = new Promise<never>((_resolve, reject) => {
        child.once('close', code => { reject(new Error(`attacker ${args[0]} exited (${code}) without a report: ${stderr}`)) })
      })
      exited.catch(() => {})
      return {
        report: async () => Promise.race([exited, new Promise<any>(resolve => {
          const line = lines.shift()
          if (line != null) resolve(JSON.parse(line))
          else waiting.push(l => { resolve(JSON.parse(l)) })
        })]),
        go: () => { child.stdin?.write('go\n') }
      }
    }
    const attack = async (host: Host, args: string[]): Promise<any> => attacker(host, args).report()
    const release = async (): Promise<void> => {
      await Promise.all([...children].map(async child => new Promise<void>(resolve => {
        if (child.exitCode != null) { resolve(); return }
        child.once('close', () => { resolve() })
        child.kill('SIGTERM')
      })))
      children.clear()
    }

    const phases: PhaseReport[] = []
    const phase = async (name: string, run: () => Promise<Omit<PhaseReport, 'name' | 'chat' | 'rssPeak'>>, target: 'user' | 'relay' = 'user'): Promise<void> => {
      if (!wanted(name)) return
      say(`phase: ${name}`)
      chat.take()
      rss.resetPeak(target, await rss.now(target))
      try {
        const result = await run()
        await rss.sample()
        const report = { name, ...result, chat: chat.take(), rssPeak: rss.peak(target) }
        say(`  ${report.holds ? 'held' : 'BROKEN'}: limit ${report.limit}, offered ${report.offered}, admitted ${report.admitted}; ${report.detail}; chat ${report.chat.delivered}/${report.chat.sent} delivered (${report.chat.stored} stored, ${report.chat.failed} failed, p95 ${report.chat.p95Ms} ms); RSS peak ${(report.rssPeak / 1_048_576).toFixed(0)} MiB${report.chat.errors.length > 0 ? `; chat failures: ${report.chat.errors.join(' | ')}` : ''}`)
        phases.push(report)
      } finally {
        await release()
      }
    }
    let attackers = 0
    const attackerHost = async (): Promise<Host> => box.addPublicHost(`a${++attackers}`)

    await phase('new connections from one IP per second', async () => {
      const perSecond = OVERLOAD * INBOUND_CONNECTIONS_PER_IP_PER_S
      const got = await attack(await attackerHost(), ['dial', userAddr, String(perSecond * RATE_SECONDS), String(perSecond)])
      // a fixed one-second window: at most the limit in each second the offer touched
      const bound = INBOUND_CONNECTIONS_PER_IP_PER_S * Math.ceil(got.seconds + 1)
      const honest = await attack(await attackerHost(), ['dial', userAddr, '1', '1'])
      return {
        limit: INBOUND_CONNECTIONS_PER_IP_PER_S,
        offered: got.offered,
        admitted: got.connected,
        holds: got.connected <= bound && honest.connected === 1,
        detail: `over ${Number(got.seconds).toFixed(1)} s (at most ${bound} allowed); a dial from another IP meanwhile: ${honest.connected === 1 ? 'in' : 'refused'}`
      }
    })

    await phase('handshakes still negotiating from one IP', async () => {
      const one = attacker(await attackerHost(), ['silent', userAddr, String(OVERLOAD * MAX_PENDING_INBOUND_PER_IP)])
      await one.report()
      one.go()
      const got = await one.report()
      const honest = await attack(await attackerHost(), ['dial', userAddr, '1', '1'])
      return {
        limit: MAX_PENDING_INBOUND_PER_IP,
        offered: got.offered,
        admitted: got.open,
        holds: got.open <= MAX_PENDING_INBOUND_PER_IP && honest.connected === 1,
        detail: `${got.closedEarly} closed by the node at once; a dial from another IP meanwhile: ${honest.connected === 1 ? 'in' : 'refused'}`
      }
    })

    await phase('handshakes still negotiating in all', async () => {
      // each host stays within its per-IP share, so only the total can bind
      const hosts = Math.ceil(OVERLOAD * USER_MAX_PENDING_INBOUND / MAX_PENDING_INBOUND_PER_IP)
      const swarm = await Promise.all(Array.from({ length: hosts }, async () => attacker(await attackerHost(), ['silent', userAddr, String(MAX_PENDING_INBOUND_PER_IP)])))
      // every attacker ready first, then all sockets at once: within libp2p's 10 s upgrade timeout
      await Promise.all(swarm.map(async a => a.report()))
      for (const a of swarm) a.go()
      const results = await Promise.all(swarm.map(async a => a.report()))
      const open = results.reduce((n, r) => n + r.open, 0)
      return {
        limit: USER_MAX_PENDING_INBOUND,
        offered: results.reduce((n, r) => n + r.offered, 0),
        admitted: open,
        holds: open <= USER_MAX_PENDING_INBOUND,
        detail: `from ${hosts} IPs; each handshake is dropped after libp2p's 10 s upgrade timeout`
      }
    })

    /** 2x `limit` fresh identities from `hosts` IPs, each under the per-IP rate; what `daemon` settles at */
    const connectionsFromManyIps = async (daemon: CrashableDaemon, addr: string, limit: number, hosts: number): Promise<Omit<PhaseReport, 'name' | 'chat' | 'rssPeak'>> => {
      const perHost = Math.ceil(OVERLOAD * limit / hosts)
      const perSecond = INBOUND_CONNECTIONS_PER_IP_PER_S - 1
      const results = await Promise.all(Array.from({ length: hosts }, async () => attack(await attackerHost(), ['dial', addr, String(perHost), String(perSecond)])))
      const settled = await settle(async () => (await daemon.client.peers()).length)
      return {
        limit,
        offered: perHost * hosts,
        admitted: settled,
        holds: settled <= limit,
        detail: `from ${hosts} IPs at ${perSecond}/s each; ${results.reduce((n, r) => n + r.connected, 0)} dials completed`
      }
    }
    await phase('connections to a user from many IPs', async () => connectionsFromManyIps(user, userAddr, USER_MAX_CONNECTIONS, CONNECTION_HOSTS))
    await phase('connections to a relay from many IPs', async () => connectionsFromManyIps(relay, relayAddr, RELAY_MAX_CONNECTIONS, 2 * CONNECTION_HOSTS), 'relay')

    await phase('relay reservations from many IPs', async () => {
      const hosts = 8
      const perHost = OVERLOAD * RELAY_MAX_RESERVATIONS / hosts
      const results = await Promise.all(Array.from({ length: hosts }, async () => attack(await attackerHost(), ['reserve', relayAddr, String(perHost), String(INBOUND_CONNECTIONS_PER_IP_PER_S - 1)])))
      const granted = results.reduce((n, r) => n + r.granted, 0)
      return { limit: RELAY_MAX_RESERVATIONS, offered: perHost * hosts, admitted: granted, holds: granted <= RELAY_MAX_RESERVATIONS, detail: `from ${hosts} IPs` }
    }, 'relay')

    await phase('inbound streams per protocol on one connection', async () => {
      const host = await attackerHost()
      const results = []
      for (const { addr, protocol, limit } of streamChecks(userAddr, relayAddr)) {
        results.push({ ...await attack(host, ['streams', addr, protocol, String(OVERLOAD * limit)]), limit })
        await release()
      }
      return streamsReport(results)
    })

    await phase('message requests in all', async () => {
      // a few hosts with many strangers each: every host is a process of Parley nodes, and 16 of
      // them (5 strangers each) starved the 2 cores so that each message took seconds; the cap
      // is per stranger and in all, not per IP
      const hosts = 4
      const perHost = Math.ceil(OVERLOAD * MAX_REQUEST_MESSAGES / MAX_REQUEST_MESSAGES_PER_STRANGER / hosts)
      const results = await Promise.all(Array.from({ length: hosts }, async () => {
        const host = await attackerHost()
        return attack(host, ['strangers', relayAddr, user.peerId, String(perHost), String(MAX_REQUEST_MESSAGES_PER_STRANGER), '32', host.ip])
      }))
      const ids = new Set<string>(results.flatMap(r => r.ids))
      const kept = (await user.client.messages({ limit: 100_000 })).filter(m => m.direction === 'in' && ids.has(m.peer))
      return {
        limit: MAX_REQUEST_MESSAGES,
        offered: results.reduce((n, r) => n + r.sent, 0),
        admitted: kept.length,
        holds: kept.length <= MAX_REQUEST_MESSAGES,
        detail: `${ids.size} strangers from ${hosts} IPs; ${results.reduce((n, r) => n + r.failed, 0)} sends failed`
      }
    })

    await phase('deposits under one mailbox key', async () => {
      const key = toHex(mailboxKey(peerIdFromString(away.peerId), epochAt(Date.now())), 'base16')
      const hosts = 8
      const depositorsPerHost = 5
      const each = OVERLOAD * MAX_ITEMS_PER_KEY / (hosts * depositorsPerHost)
      const results = await Promise.all(Array.from({ length: hosts }, async () => attack(await attackerHost(), ['deposit', relayAddr, key, String(depositorsPerHost), String(each)])))
      const stored = results.reduce((n, r) => n + r.stored, 0)
      const honest = await friend.client.send(away.peerId, 'while you were away', { signal: AbortSignal.timeout(60_000) })
      return {
        limit: MAX_ITEMS_PER_KEY,
        offered: results.reduce((n, r) => n + r.offered, 0),
        admitted: stored,
        holds: stored <= MAX_ITEMS_PER_KEY && honest.status === 'stored',
        detail: `${hosts * depositorsPerHost} depositors from ${hosts} IPs; an honest deposit: ${honest.status}`
      }
    }, 'relay')

    await chat.stop()
    rss.stop()
    return {
      phases,
      rss: {
        relay: { start: start.relay, peak: rss.overallPeak('relay'), after: await rss.now('relay') },
        user: { start: start.user, peak: rss.overallPeak('user'), after: await rss.now('user') }
      },
      seconds: Math.round((Date.now() - started) / 1_000)
    }
  } finally {
    await chatRef.chat?.stop().catch(() => {})
    for (const child of children) child.kill('SIGKILL')
    await Promise.all(daemons.map(async d => d.stop()))
    await box.destroy()
  }
}
