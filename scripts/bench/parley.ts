/** Parley's own figures: chat round trips and throughput between connected nodes, startup */
import { pbStream } from '@libp2p/utils'
import { createParley } from '../../src/parley.ts'
import { MESSAGE_ID_BYTES } from '../../src/protocols/chat/index.ts'
import { MAX_FRAME_BYTES } from '../../src/protocols/chat/constants.ts'
import { ChatAck, ChatMessage } from '../../src/protocols/chat/pb/chat.ts'
import { envelopeBytes } from './crypto.ts'
import { LOOPBACK_TCP } from './libp2p.ts'
import { progress } from './log.ts'
import { elapsedMs, elapsedUs, median, now, sleep, summarize } from './stats.ts'
import { withTempDirs } from './temp-dirs.ts'
import { until } from './wait.ts'
import type { BenchConfig, Figures } from './config.ts'
import type { TempDirs } from './temp-dirs.ts'
import type { Parley, ParleyInit } from '../../src/parley.ts'
import type { MessageRecord } from '../../src/storage/types.ts'
import type { PeerId } from '@libp2p/interface'

/** A Parley node on 127.0.0.1 only, LAN mode, no mDNS, its data (LevelDB) in a temp dir */
export async function startParley (dirs: TempDirs, init: Partial<ParleyInit> = {}): Promise<Parley> {
  return createParley({ dataDir: await dirs.make(), listen: [LOOPBACK_TCP], lan: true, mdns: false, ...init })
}

export async function startRelay (dirs: TempDirs): Promise<Parley> {
  return startParley(dirs, { relay: true })
}

/** Resolves once `node` has an open connection to `peer` */
export async function connectedTo (node: Parley, peer: PeerId, timeoutMs = 20_000): Promise<void> {
  await until(node.node, ['connection:open'], () => node.node.getConnections(peer).length > 0, timeoutMs, `a connection to ${peer}`)
}

/** Resolves once `node` holds `peer`'s addresses and protocols, i.e. identify has run */
export async function identified (node: Parley, peer: PeerId, timeoutMs = 20_000): Promise<void> {
  const check = async (): Promise<boolean> => {
    const known = await node.node.peerStore.get(peer).catch(() => undefined)
    return known != null && known.addresses.length > 0 && known.protocols.length > 0
  }
  await until(node.node, ['peer:identify'], check, timeoutMs, `identify with ${peer}`)
}

async function stopAll (nodes: Array<Parley | undefined>): Promise<void> {
  await Promise.all(nodes.map(async node => node?.stop()))
}

/** Two nodes with on-disk data dirs, `a` connected to `b` and identified, then left to settle */
async function withChatPair<T> (fn: (a: Parley, b: Parley) => Promise<T>): Promise<T> {
  return withTempDirs(async dirs => {
    let a: Parley | undefined
    let b: Parley | undefined
    try {
      a = await startParley(dirs)
      b = await startParley(dirs)
      await a.node.dial(b.addresses())
      await Promise.all([identified(a, b.peerId), identified(b, a.peerId)])
      // let the DHT ping, gossipsub and identify-push traffic that follows a new connection pass
      await sleep(500)
      return await fn(a, b)
    } finally {
      await stopAll([a, b])
    }
  })
}

/** A send that did not end `delivered` at once is retried by the messenger; say so, it skews p99 */
function reportUndelivered (record: MessageRecord): void {
  progress(`  a send ended "${record.status}"${record.error != null ? ` (${record.error})` : ''}; DEBUG=parley:messenger shows why`)
}

function textOf (bytes: number): string {
  return 'x'.repeat(bytes)
}

/** p50 and p99 (µs) of `iterations` timed calls of `fn`, after `warmup` untimed ones */
export async function timeLoop (warmup: number, iterations: number, fn: () => Promise<void>): Promise<{ p50: number, p99: number, totalMs: number }> {
  for (let i = 0; i < warmup; i++) await fn()
  const samples = new Float64Array(iterations)
  const loopStart = now()
  for (let i = 0; i < iterations; i++) {
    const start = now()
    await fn()
    samples[i] = elapsedUs(start)
  }
  const totalMs = elapsedMs(loopStart)
  const { p50, p99 } = summarize(samples)
  return { p50, p99, totalMs }
}

/**
 * `chat_rtt_*`: `messenger.send` until `delivered` (the ack, sent after the recipient decrypted
 * the message and stored it in LevelDB), one message at a time on an open connection; the E2E
 * session exists after the warm-up. The same loop gives the sequential throughput. Then the
 * breakdown: the chat service's `send` alone with an opaque envelope of the real size, to a
 * recipient that stores nothing (the protocol's share), and the prototype on one stream.
 */
export async function chatRoundTrip (config: BenchConfig): Promise<Figures> {
  const envelope = new Uint8Array(await envelopeBytes(config.messageBytes))
  return withChatPair(async (a, b) => {
    const text = textOf(config.messageBytes)
    let failures = 0
    const messenger = await timeLoop(config.chatWarmup, config.chatIterations, async () => {
      const record = await a.messenger.send(b.peerId, text)
      if (record.status !== 'delivered') {
        failures++
        reportUndelivered(record)
      }
    })
    b.node.services.chat.setHandler(async () => {})
    const protocol = await timeLoop(config.chatWarmup, config.chatIterations, async () => {
      const id = crypto.getRandomValues(new Uint8Array(MESSAGE_ID_BYTES))
      await a.node.services.chat.send(b.peerId, { id, envelope })
    })
    const persistent = await persistentStreamRoundTrip(a, b, envelope, config)
    return {
      chat_rtt_us: messenger.p50,
      chat_rtt_p99_us: messenger.p99,
      chat_msgs_per_s_sequential: config.chatIterations / (messenger.totalMs / 1_000),
      chat_rtt_not_delivered: failures,
      chat_protocol_rtt_us: protocol.p50,
      chat_protocol_persistent_rtt_us: persistent.p50
    }
  })
}

/** A prototype of the chat protocol on one long-lived stream, for the suggestion in BENCHMARKS.md */
const PERSISTENT_PROTOCOL = '/parley-bench/chat-persistent/1.0.0'

/**
 * The chat protocol's frames (same protobufs, same length-prefixing, same envelope size) but on
 * one stream that stays open, between the same two Parley nodes; the recipient stores nothing, as
 * in `chat_protocol_rtt_us`. What reusing a stream per peer would save.
 */
async function persistentStreamRoundTrip (a: Parley, b: Parley, envelope: Uint8Array<ArrayBuffer>, config: BenchConfig): Promise<{ p50: number }> {
  await b.node.handle(PERSISTENT_PROTOCOL, async stream => {
    const pb = pbStream(stream, { maxDataLength: MAX_FRAME_BYTES })
    try {
      while (true) {
        const message = await pb.read(ChatMessage)
        await pb.write({ id: message.id, status: ChatAck.Status.OK, reason: '' }, ChatAck)
      }
    } catch (err: any) {
      if (err.name === 'UnexpectedEOFError') await stream.close()
      else stream.abort(err)
    }
  })
  const stream = await a.node.dialProtocol(b.peerId, PERSISTENT_PROTOCOL)
  try {
    const pb = pbStream(stream, { maxDataLength: MAX_FRAME_BYTES })
    return await timeLoop(config.chatWarmup, config.chatIterations, async () => {
      const id = crypto.getRandomValues(new Uint8Array(MESSAGE_ID_BYTES))
      await pb.write({ id, envelope }, ChatMessage)
      const ack = await pb.read(ChatAck)
      if (ack.status !== ChatAck.Status.OK) throw new Error('the prototype recipient refused a message')
    })
  } finally {
    await stream.close()
  }
}

/**
 * `chat_msgs_per_s`: `chatConcurrency` senders call `messenger.send` back to back until
 * `chatBulkMessages` messages are delivered. (The messenger delivers one peer's outbox in order,
 * one message at a time, so concurrency overlaps only the database work.)
 */
export async function chatThroughput (config: BenchConfig): Promise<Figures> {
  return withChatPair(async (a, b) => {
    const text = textOf(config.messageBytes)
    for (let i = 0; i < config.chatWarmup; i++) await a.messenger.send(b.peerId, text)
    let next = 0
    let failures = 0
    const start = now()
    await Promise.all(Array.from({ length: config.chatConcurrency }, async () => {
      while (next < config.chatBulkMessages) {
        next++
        const record = await a.messenger.send(b.peerId, text)
        if (record.status !== 'delivered') {
          failures++
          reportUndelivered(record)
        }
      }
    }))
    const ms = elapsedMs(start)
    return {
      chat_msgs_per_s: config.chatBulkMessages / (ms / 1_000),
      chat_bulk_not_delivered: failures
    }
  })
}

/** `startup_ms`: `createParley` with a fresh data dir (identity, LevelDB, libp2p) until started */
export async function parleyStartup (config: BenchConfig): Promise<Figures> {
  return withTempDirs(async dirs => {
    const samples: number[] = []
    for (let i = 0; i < config.startupSamples; i++) {
      const dataDir = await dirs.make()
      const start = now()
      const node = await createParley({ dataDir, listen: [LOOPBACK_TCP], lan: true, mdns: false })
      samples.push(elapsedMs(start))
      await node.stop()
    }
    return { startup_ms: median(samples) }
  })
}
