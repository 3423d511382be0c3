import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { MAX_BYTES_PER_DEPOSITOR, MAX_ITEMS_PER_KEY } from '../../src/protocols/mailbox/constants.ts'
import { epochAt, mailboxKey } from '../../src/protocols/mailbox/index.ts'
import { StoreResponse } from '../../src/protocols/mailbox/pb/mailbox.ts'
import { MAX_REQUEST_BYTES_PER_STRANGER, MAX_REQUEST_MESSAGES, MAX_REQUEST_MESSAGES_PER_STRANGER } from '../../src/messenger/constants.ts'
import { RELAY_MAX_CONNECTIONS, RELAY_MAX_RESERVATIONS, USER_MAX_CONNECTIONS } from '../../src/node/constants.ts'
import { CrashableDaemon } from '../crash-loop/daemon.ts'
import { Swarm, connectAll, holdStreams, inBatches, reserveAll, storeAt } from './attackers.ts'
import { HonestChat } from './honest-chat.ts'
import { RssSampler } from './rss.ts'
import { settle } from './settle.ts'
import { streamChecks, streamsReport } from './stream-checks.ts'
import { Strangers } from './strangers.ts'
import type { ChatFigures } from './honest-chat.ts'

/** Each limit is offered this many times over */
const OVERLOAD = 2
/** A 64 KiB request is the largest a stranger may send; a little under, with the envelope */
const LARGE_REQUEST_CHARS = 60 * 1_024
/** Envelopes near the largest a mailbox takes, to offer many bytes in few requests */
const LARGE_ENVELOPE_BYTES = 128 * 1_024

export interface LimitsOptions {
  workDir: (name: string) => Promise<string>
  /** Only the phases whose name contains one of these */
  only?: string[]
  onProgress?: (line: string) => void
}

export interface PhaseReport {
  name: string
  /** The limit, as documented */
  limit: number
  offered: number
  /** What the node under test let in (its own count where it gives one) */
  admitted: number
  holds: boolean
  /** The two honest users' chat while the phase ran */
  chat: ChatFigures
  /** Peak RSS of the node under attack during the phase, bytes */
  rssPeak: number
  detail: string
}

export interface LimitsReport {
  phases: PhaseReport[]
  rss: Record<'relay' | 'user', { start: number, peak: number, after: number }>
  seconds: number
}

/**
 * Offers twice each documented limit of a node from fresh identities (connections to a user and
 * to a relay, relay reservations, inbound streams per protocol on one connection, message
 * requests per stranger and in all, deposits under one mailbox key), each phase alone, while
 * two real users (daemons, each other's contacts) write to each other throughout. Measures what
 * the node let in, its RSS (peak per phase, and after the run) and the honest chat.
 *
 * On loopback, where Parley is in LAN mode, per-IP limits are lifted; they are offered on the
 * namespace network (not here yet).
 */
export async function runLimits (options: LimitsOptions): Promise<LimitsReport> {
  const started = Date.now()
  const say = options.onProgress ?? (() => {})
  const relay = new CrashableDaemon('relay', await options.workDir('relay'), ['--relay', '--lan'])
  await relay.start()
  const bootstrap = ['--bootstrap', relay.addresses[0]]
  const user = new CrashableDaemon('user', await options.workDir('user'), bootstrap)
  const friend = new CrashableDaemon('friend', await options.workDir('friend'), bootstrap)
  // someone away, whose mailbox key the flood aims at (started once, to meet the friend)
  const away = new CrashableDaemon('away', await options.workDir('away'), bootstrap)
  const rss = new RssSampler({ relay: () => relay.pid, user: () => user.pid })
  const chat = new HonestChat(user, friend)
  const phases: PhaseReport[] = []
  const wanted = (name: string): boolean => options.only == null || options.only.some(o => name.includes(o))
  try {
    await Promise.all([user.start(), friend.start(), away.start()])
    await user.client.addContact(friend.peerId, 'friend')
    await friend.client.addContact(user.peerId, 'user')
    await friend.client.addContact(away.peerId, 'away')
    // they met (a session) before `away` went away: later messages to it go to its mailboxes
    const met = await friend.client.send(away.peerId, 'hello before you go', { signal: AbortSignal.timeout(60_000) })
    if (met.status !== 'delivered') throw new Error(`the friend's first message to away was ${met.status}: ${met.error ?? ''}`)
    await away.stop()
    const start = { relay: await rss.now('relay'), user: await rss.now('user') }
    rss.start()
    chat.start()
    const userAddr = withPeer(user)
    const relayAddr = withPeer(relay)

    const phase = async (name: string, target: 'relay' | 'user', run: () => Promise<Omit<PhaseReport, 'name' | 'chat' | 'rssPeak'>>): Promise<void> => {
      if (!wanted(name)) return
      say(`phase: ${name}`)
      chat.take()
      rss.resetPeak(target, await rss.now(target))
      const result = await run()
      await rss.sample()
      const report = { name, ...result, chat: chat.take(), rssPeak: rss.peak(target) }
      say(`  ${report.holds ? 'held' : 'BROKEN'}: limit ${report.limit}, offered ${report.offered}, admitted ${report.admitted}; ${report.detail}; chat ${report.chat.delivered}/${report.chat.sent} delivered (${report.chat.stored} stored, ${report.chat.failed} failed, p95 ${report.chat.p95Ms} ms); RSS peak ${mib(report.rssPeak)} MiB`)
      phases.push(report)
    }

    await phase('connections to a user', 'user', async () => connectionsTo(user, userAddr, USER_MAX_CONNECTIONS))
    await phase('connections to a relay', 'relay', async () => connectionsTo(relay, relayAddr, RELAY_MAX_CONNECTIONS))

    await phase('relay reservations', 'relay', async () => {
      const swarm = new Swarm()
      try {
        const figures = await reserveAll(await swarm.grow(OVERLOAD * RELAY_MAX_RESERVATIONS), relayAddr)
        return { limit: RELAY_MAX_RESERVATIONS, offered: figures.offered, admitted: figures.granted, holds: figures.granted <= RELAY_MAX_RESERVATIONS, detail: `${figures.refused} refused` }
      } finally {
        await swarm.stop()
      }
    })

    await phase('inbound streams per protocol on one connection', 'user', async () => {
      const swarm = new Swarm()
      try {
        const results = []
        for (const { addr, protocol, limit } of streamChecks(userAddr, relayAddr)) {
          const [node] = await swarm.grow(1)
          const { figures } = await holdStreams(node, addr, protocol, OVERLOAD * limit)
          results.push({ ...figures, limit })
        }
        return streamsReport(results)
      } finally {
        await swarm.stop()
      }
    })

    await phase('message requests from one stranger', 'user', async () => {
      const strangers = new Strangers(relay.addresses)
      try {
        await strangers.grow(2)
        const [many, large] = strangers.nodes
        // twice the count, in small messages; twice the bytes, in the largest
        const sent = await strangers.write(user.peerId, OVERLOAD * MAX_REQUEST_MESSAGES_PER_STRANGER, 32, [many])
        const sentLarge = await strangers.write(user.peerId, Math.ceil(OVERLOAD * MAX_REQUEST_BYTES_PER_STRANGER / LARGE_REQUEST_CHARS), LARGE_REQUEST_CHARS, [large])
        const kept = await user.client.messages({ peer: many.peerId.toString(), limit: 10_000 })
        const keptLarge = await user.client.messages({ peer: large.peerId.toString(), limit: 10_000 })
        const keptBytes = keptLarge.reduce((n, m) => n + m.text.length, 0)
        return {
          limit: MAX_REQUEST_MESSAGES_PER_STRANGER,
          offered: sent.sent,
          admitted: kept.length,
          holds: kept.length <= MAX_REQUEST_MESSAGES_PER_STRANGER && keptBytes <= MAX_REQUEST_BYTES_PER_STRANGER,
          detail: `${sentLarge.sent} large messages (${sentLarge.bytesSent} bytes) offered by another, ${keptLarge.length} kept (${keptBytes} bytes, limit ${MAX_REQUEST_BYTES_PER_STRANGER})`
        }
      } finally {
        await strangers.stop()
      }
    })

    await phase('message requests in all', 'user', async () => {
      const strangers = new Strangers(relay.addresses)
      try {
        const count = Math.ceil(OVERLOAD * MAX_REQUEST_MESSAGES / MAX_REQUEST_MESSAGES_PER_STRANGER)
        await strangers.grow(count)
        const sent = await strangers.write(user.peerId, MAX_REQUEST_MESSAGES_PER_STRANGER, 32)
        const ids = new Set(strangers.nodes.map(n => n.peerId.toString()))
        const kept = (await user.client.messages({ limit: 100_000 })).filter(m => m.direction === 'in' && ids.has(m.peer))
        return { limit: MAX_REQUEST_MESSAGES, offered: sent.sent, admitted: kept.length, holds: kept.length <= MAX_REQUEST_MESSAGES, detail: `${count} strangers, ${sent.failed} sends failed` }
      } finally {
        await strangers.stop()
      }
    })

    await phase('deposits under one mailbox key', 'relay', async () => {
      const key = mailboxKey(peerIdFromString(away.peerId), epochAt(Date.now())) as Uint8Array<ArrayBuffer>
      const offered = OVERLOAD * MAX_ITEMS_PER_KEY
      const depositors = Math.ceil(offered / 100)
      const swarm = new Swarm()
      try {
        const nodes = await swarm.grow(depositors)
        let stored = 0
        await inBatches(nodes, 16, async node => {
          for (let n = 0; n < offered / depositors; n++) {
            if (await storeAt(node, relayAddr, key) === StoreResponse.Status.STORED) stored++
          }
        })
        // and one depositor offering twice its bytes, in large envelopes under keys of its own choosing
        const [greedy] = await swarm.grow(1)
        let greedyStored = 0
        for (let bytes = 0; bytes < OVERLOAD * MAX_BYTES_PER_DEPOSITOR; bytes += LARGE_ENVELOPE_BYTES) {
          const ownKey = mailboxKey(peerIdFromPrivateKey(await generateKeyPair('Ed25519')), epochAt(Date.now())) as Uint8Array<ArrayBuffer>
          if (await storeAt(greedy, relayAddr, ownKey, LARGE_ENVELOPE_BYTES) === StoreResponse.Status.STORED) greedyStored += LARGE_ENVELOPE_BYTES
        }
        // an honest message to the one away still goes to the mailbox
        const honest = await friend.client.send(away.peerId, 'while you were away', { signal: AbortSignal.timeout(60_000) })
        return {
          limit: MAX_ITEMS_PER_KEY,
          offered,
          admitted: stored,
          holds: stored <= MAX_ITEMS_PER_KEY && greedyStored <= MAX_BYTES_PER_DEPOSITOR && honest.status === 'stored',
          detail: `${depositors} depositors; one depositor offered ${OVERLOAD * MAX_BYTES_PER_DEPOSITOR} bytes, ${greedyStored} stored (limit ${MAX_BYTES_PER_DEPOSITOR}); an honest deposit: ${honest.status}`
        }
      } finally {
        await swarm.stop()
      }
    })

    await chat.stop()
    rss.stop()
    // what stays once the load is gone
    await new Promise(resolve => setTimeout(resolve, 10_000))
    const after = { relay: await rss.now('relay'), user: await rss.now('user') }
    return {
      phases,
      rss: {
        relay: { start: start.relay, peak: rss.overallPeak('relay'), after: after.relay },
        user: { start: start.user, peak: rss.overallPeak('user'), after: after.user }
      },
      seconds: Math.round((Date.now() - started) / 1_000)
    }
  } finally {
    rss.stop()
    await chat.stop().catch(() => {})
    await Promise.all([user.stop(), friend.stop(), away.stop()])
    await relay.stop()
  }
}

async function connectionsTo (daemon: CrashableDaemon, addr: string, limit: number): Promise<Omit<PhaseReport, 'name' | 'chat' | 'rssPeak'>> {
  const swarm = new Swarm()
  let most = 0
  const poll = setInterval(() => {
    void daemon.client.peers().then(p => { most = Math.max(most, p.length) }, () => {})
  }, 500)
  try {
    const figures = await connectAll(await swarm.grow(OVERLOAD * limit), addr)
    // handshakes already under way when the limit was reached complete (at most the pending
    // inbound limit more), then libp2p's pruner closes the excess: what counts is where it settles
    const settled = await settle(async () => (await daemon.client.peers()).length)
    most = Math.max(most, settled)
    return {
      limit,
      offered: figures.offered,
      admitted: settled,
      holds: settled <= limit,
      detail: `${figures.connected} dials completed, ${figures.held} still open on the attackers' side; the node had at most ${most} connections, ${settled} once settled`
    }
  } finally {
    clearInterval(poll)
    await swarm.stop()
  }
}

function withPeer (daemon: CrashableDaemon): string {
  const addr = daemon.addresses.find(a => a.includes('/tcp/') && !a.includes('/ws') && !a.includes('p2p-circuit')) ?? daemon.addresses[0]
  return addr.includes('/p2p/') ? addr : `${addr}/p2p/${daemon.peerId}`
}

const mib = (bytes: number): string => (bytes / 1_048_576).toFixed(0)
