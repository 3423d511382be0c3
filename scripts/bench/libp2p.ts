/**
 * The libp2p baseline: a plain `createLibp2p` with TCP, Noise and yamux only (no identify, DHT
 * or other services) and two tiny protocols of our own: an echo and a byte sink.
 */
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { LevelDatastore } from 'datastore-level'
import { createLibp2p } from 'libp2p'
import { pEvent } from 'p-event'
import { noiseCrypto } from '../../src/node/noise-crypto.ts'
import { ByteCounter, pump, roundTrips } from './echo.ts'
import { elapsedMs, elapsedUs, median, medianOf, mibPerSecond, now, summarize } from './stats.ts'
import { withTempDirs } from './temp-dirs.ts'
import type { BenchConfig, Figures } from './config.ts'
import type { Summary } from './stats.ts'
import type { Libp2p, Stream } from '@libp2p/interface'
import type { Datastore } from 'interface-datastore'

export const ECHO_PROTOCOL = '/parley-bench/echo/1.0.0'
export const SINK_PROTOCOL = '/parley-bench/sink/1.0.0'
export const LOOPBACK_TCP = '/ip4/127.0.0.1/tcp/0'

/**
 * Resolves once `stream` takes data again after `send()` returned false. Not `stream.onDrain()`:
 * in @libp2p/utils 7.4 its promise, once resolved by a drain, is never replaced, so every later
 * call resolves at once and a writer that relies on it buffers everything it sends.
 */
export async function drained (stream: Stream): Promise<void> {
  if (!stream.writableNeedsDrain) return
  await pEvent(stream, 'drain', { rejectionEvents: ['close'] })
}

/** Sends back whatever arrives, honouring backpressure, and closes when the remote does */
async function echo (stream: Stream): Promise<void> {
  try {
    for await (const chunk of stream) {
      if (!stream.send(chunk)) {
        await drained(stream)
      }
    }
    await stream.close()
  } catch (err: any) {
    stream.abort(err)
  }
}

export interface BareNodeInit {
  /** Keep the peer store here (Parley keeps it on disk in LevelDB). @default in memory */
  datastore?: Datastore
  /**
   * Bulk-transfer settings: Noise on src/node/noise-crypto.ts. Yamux keeps its defaults: its
   * window options changed nothing measurable on loopback. @default false
   */
  tuned?: boolean
}

/** A started bare node listening on 127.0.0.1 with the echo protocol */
export async function createBareNode (init: BareNodeInit = {}): Promise<Libp2p> {
  const node = await createLibp2p({
    ...(init.datastore != null ? { datastore: init.datastore } : {}),
    addresses: { listen: [LOOPBACK_TCP] },
    transports: [tcp()],
    connectionEncrypters: [noise(init.tuned === true ? { crypto: noiseCrypto } : {})],
    streamMuxers: [yamux()],
    // the dial bench opens many connections a second from one IP
    connectionManager: { inboundConnectionThreshold: 100_000, maxIncomingPendingConnections: 100 }
  })
  await node.handle(ECHO_PROTOCOL, echo, { maxInboundStreams: 1_024 })
  return node
}

interface PairInit {
  /** Each node keeps its peer store in a LevelDB datastore in a temp dir, as Parley does */
  onDiskPeerStore?: boolean
  tuned?: boolean
}

/** Runs `fn` with two bare nodes, `a` already connected to `b`, and stops both afterwards */
async function withPair<T> (fn: (a: Libp2p, b: Libp2p) => Promise<T>, init: PairInit = {}): Promise<T> {
  return withTempDirs(async dirs => {
    const stores: LevelDatastore[] = []
    const datastore = async (): Promise<LevelDatastore | undefined> => {
      if (init.onDiskPeerStore !== true) return undefined
      const store = new LevelDatastore(await dirs.make())
      await store.open()
      stores.push(store)
      return store
    }
    const a = await createBareNode({ datastore: await datastore(), tuned: init.tuned })
    const b = await createBareNode({ datastore: await datastore(), tuned: init.tuned })
    try {
      await a.dial(b.getMultiaddrs())
      return await fn(a, b)
    } finally {
      await Promise.all([a.stop(), b.stop()])
      await Promise.all(stores.map(async store => store.close()))
    }
  })
}

export function countInto (stream: Stream, counter: ByteCounter): void {
  stream.addEventListener('message', evt => { counter.add(evt.data.byteLength) })
}

/** `libp2p_rtt_us`: request/response on one stream that stays open */
export async function libp2pRoundTrip (config: BenchConfig): Promise<Figures> {
  return withPair(async (a, b) => {
    const stream = await a.dialProtocol(b.peerId, ECHO_PROTOCOL)
    const counter = new ByteCounter()
    countInto(stream, counter)
    const samples = summarize(await roundTrips({ send: data => stream.send(data), counter }, config.messageBytes, config.rttWarmup, config.rttIterations))
    await stream.close()
    return { libp2p_rtt_us: samples.p50, libp2p_rtt_p99_us: samples.p99 }
  })
}

async function newStreamRoundTrips (a: Libp2p, b: Libp2p, config: BenchConfig): Promise<Summary> {
  const payload = crypto.getRandomValues(new Uint8Array(config.messageBytes))
  const samples = new Float64Array(config.newStreamIterations)
  for (let i = 0; i < config.newStreamWarmup + config.newStreamIterations; i++) {
    const start = now()
    const stream = await a.dialProtocol(b.peerId, ECHO_PROTOCOL)
    const counter = new ByteCounter()
    countInto(stream, counter)
    stream.send(payload)
    await counter.reach(payload.byteLength)
    await stream.close()
    if (i >= config.newStreamWarmup) samples[i - config.newStreamWarmup] = elapsedUs(start)
  }
  return summarize(samples)
}

/**
 * `libp2p_new_stream_rtt_us`: what the chat protocol does per message on an open connection:
 * open a stream (protocol negotiation included), send, await the reply, close. Then again with
 * the peer stores on disk: libp2p writes the remote peer's record on every new stream, at both
 * ends (`peerStore.merge` of the negotiated protocol), and Parley's peer store is on disk.
 */
export async function libp2pNewStreamRoundTrip (config: BenchConfig): Promise<Figures> {
  const inMemory = await withPair(async (a, b) => newStreamRoundTrips(a, b, config))
  const onDisk = await withPair(async (a, b) => newStreamRoundTrips(a, b, config), { onDiskPeerStore: true })
  return {
    libp2p_new_stream_rtt_us: inMemory.p50,
    libp2p_new_stream_rtt_p99_us: inMemory.p99,
    libp2p_new_stream_disk_peerstore_rtt_us: onDisk.p50
  }
}

/** `libp2p_dial_ms`: TCP connect + Noise XX handshake + yamux negotiation of a fresh connection */
export async function libp2pDial (config: BenchConfig): Promise<Figures> {
  const a = await createBareNode()
  const b = await createBareNode()
  try {
    const target = b.getMultiaddrs()
    const samples: number[] = []
    for (let i = 0; i < config.dialWarmup + config.dialIterations; i++) {
      const start = now()
      const connection = await a.dial(target)
      const ms = elapsedMs(start)
      await connection.close()
      if (i >= config.dialWarmup) samples.push(ms)
    }
    const summary = summarize(samples)
    return { libp2p_dial_ms: summary.p50, libp2p_dial_p99_ms: summary.p99 }
  } finally {
    await Promise.all([a.stop(), b.stop()])
  }
}

/** One stream, one direction, timed until the receiver has every byte (MiB/s) */
async function sinkThroughput (config: BenchConfig, chunkBytes: number, tuned: boolean): Promise<number> {
  return withPair(async (a, b) => {
    const received = new ByteCounter()
    await b.handle(SINK_PROTOCOL, stream => { countInto(stream, received) })
    const stream = await a.dialProtocol(b.peerId, SINK_PROTOCOL)
    const ms = await pump({
      write: data => stream.send(data),
      drain: async () => { await drained(stream) }
    }, received, config.bulkBytes, chunkBytes)
    await stream.close()
    return mibPerSecond(config.bulkBytes, ms)
  }, { tuned })
}

/** `libp2p_MiBps`: plain nodes, in the writes of the raw TCP run */
export async function libp2pThroughput (config: BenchConfig): Promise<Figures> {
  return { libp2p_MiBps: await medianOf(config.throughputRuns, async () => sinkThroughput(config, config.chunkBytes, false)) }
}

/** `libp2p_tuned_MiBps`: the bulk-transfer settings (`BareNodeInit.tuned`), in file-chunk writes */
export async function libp2pTunedThroughput (config: BenchConfig): Promise<Figures> {
  return { libp2p_tuned_MiBps: await medianOf(config.throughputRuns, async () => sinkThroughput(config, config.fileChunkBytes, true)) }
}

/** `libp2p_startup_ms`: create and start a bare node (the baseline for Parley's startup) */
export async function libp2pStartup (config: BenchConfig): Promise<Figures> {
  const samples: number[] = []
  for (let i = 0; i < config.startupSamples; i++) {
    const start = now()
    const node = await createBareNode()
    samples.push(elapsedMs(start))
    await node.stop()
  }
  return { libp2p_startup_ms: median(samples) }
}
