import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import * as varint from 'uint8-varint'
import { pbStream } from '@libp2p/utils'
import { PROTOCOL as MAILBOX } from '../../src/protocols/mailbox/constants.ts'
import { MailboxRequest, StoreResponse } from '../../src/protocols/mailbox/pb/mailbox.ts'
import type { Libp2p, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What a stranger's message costs a mailbox: the smallest envelope is 422 bytes */
export const FLOOD_ENVELOPE_BYTES = 1_000

/** Circuit relay v2's reservation protocol (libp2p specs, relay/circuit-v2.md) */
const HOP_PROTOCOL = '/libp2p/circuit/relay/0.2.0/hop'
/** HopMessage { type: RESERVE }: field 1 (varint) = 0 */
const RESERVE = Uint8Array.of(0x08, 0x00)
/** HopMessage.status is field 5 (varint); Status.OK is 100 */
const STATUS_TAG = 0x28
const STATUS_OK = 100

/**
 * Fresh identities, each its own minimal libp2p node (TCP, Noise, yamux, nothing else): what a
 * peer with its own client and as many keys as it likes brings to a node
 */
export class Swarm {
  readonly nodes: Libp2p[] = []

  /** Adds `count` nodes, each with a newly generated key */
  async grow (count: number): Promise<Libp2p[]> {
    const added = await inBatches(Array.from({ length: count }), 64, async () => createLibp2p({
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      // the swarm dials; it never prunes what it opened
      connectionManager: { maxConnections: 10_000 }
    }))
    this.nodes.push(...added)
    return added
  }

  async stop (): Promise<void> {
    await inBatches(this.nodes.splice(0), 64, async node => node.stop())
  }
}

export interface ConnectFigures {
  offered: number
  /** Dials that completed */
  connected: number
  /** Connections still open once all dials were done */
  held: number
}

/** Every node of `nodes` dials `target` and keeps the connection (the node under test may close it) */
export async function connectAll (nodes: Libp2p[], target: string, concurrency = 32): Promise<ConnectFigures> {
  const ma = multiaddr(target)
  const results = await inBatches(nodes, concurrency, async node => node.dial(ma, { signal: AbortSignal.timeout(20_000) }).then(() => true, () => false))
  return { offered: nodes.length, connected: results.filter(Boolean).length, held: held(nodes, ma) }
}

/** How many of `nodes` still have an open connection to the peer of `target` */
export function held (nodes: Libp2p[], target: Multiaddr): number {
  const peer = target.getComponents().find(c => c.name === 'p2p')?.value
  return nodes.filter(node => node.getConnections().some(c => c.remotePeer.toString() === peer && c.status === 'open')).length
}

export interface ReserveFigures {
  offered: number
  /** Answered OK */
  granted: number
  /** Answered with another status, or not at all */
  refused: number
}

/**
 * Every node asks the relay at `target` for a reservation, by hand (a HopMessage RESERVE, the
 * status read from the answer), and keeps its connection: a reservation lasts while it does
 */
export async function reserveAll (nodes: Libp2p[], target: string, concurrency = 32): Promise<ReserveFigures> {
  const ma = multiaddr(target)
  const results = await inBatches(nodes, concurrency, async node => reserveOne(node, ma))
  const granted = results.filter(Boolean).length
  return { offered: nodes.length, granted, refused: nodes.length - granted }
}

/** True when the relay at `target` granted `node` a reservation */
export async function reserveOne (node: Libp2p, target: Multiaddr): Promise<boolean> {
  try {
    const stream = await node.dialProtocol(target, HOP_PROTOCOL, { signal: AbortSignal.timeout(20_000) })
    stream.send(Uint8Array.of(...varint.encode(RESERVE.byteLength), ...RESERVE))
    const answer = await firstBytes(stream, 10_000)
    await stream.close().catch(() => {})
    return statusOf(answer) === STATUS_OK
  } catch {
    return false
  }
}

export interface StreamFigures {
  protocol: string
  offered: number
  /** Streams negotiated and still open once all were offered */
  open: number
}

/**
 * Opens `count` streams of `protocol` on one connection from `node` to `target`, sends nothing
 * on them and counts how many the node under test lets stay open
 */
export async function holdStreams (node: Libp2p, target: string, protocol: string, count: number): Promise<{ figures: StreamFigures, streams: Stream[] }> {
  const connection = await node.dial(multiaddr(target), { signal: AbortSignal.timeout(20_000) })
  const streams: Stream[] = []
  for (let i = 0; i < count; i++) {
    try {
      streams.push(await connection.newStream(protocol, { signal: AbortSignal.timeout(5_000), negotiateFully: true }))
    } catch {
      // refused (the node's limit for the protocol), or the connection went
    }
  }
  // a refusal past the limit may come as a reset right after negotiation
  await Promise.all(streams.map(async s => new Promise<void>(resolve => {
    if (s.status !== 'open') { resolve(); return }
    const timer = setTimeout(resolve, 1_000)
    s.addEventListener('close', () => { clearTimeout(timer); resolve() }, { once: true })
  })))
  return { figures: { protocol, offered: count, open: streams.filter(s => s.status === 'open').length }, streams }
}

/** Runs `fn` over `items`, at most `concurrency` at a time, results in order */
export async function inBatches<T, R> (items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i])
    }
  }))
  return results
}

/** The first chunk a stream receives */
async function firstBytes (stream: Stream, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error('no answer')) }, timeoutMs)
    stream.addEventListener('message', (evt: any) => {
      clearTimeout(timer)
      resolve(evt.data.subarray())
    }, { once: true })
    stream.addEventListener('close', () => { clearTimeout(timer); reject(new Error('closed unanswered')) }, { once: true })
  })
}

/** HopMessage.status of a length-prefixed answer, walking its fields (varint and length-delimited) */
function statusOf (answer: Uint8Array): number | undefined {
  const length = varint.decode(answer)
  let at = varint.encodingLength(length)
  const end = Math.min(answer.byteLength, at + length)
  while (at < end) {
    const tag = varint.decode(answer, at)
    at += varint.encodingLength(tag)
    const value = varint.decode(answer, at)
    at += varint.encodingLength(value)
    if (tag === STATUS_TAG) return value
    if ((tag & 7) === 2) at += value // a length-delimited field: skip its bytes
  }
  return undefined
}

/** Asks the storer at `addr` to hold a random envelope of `bytes` under `key`; its answer's status */
export async function storeAt (node: Libp2p, addr: string, key: Uint8Array<ArrayBuffer>, bytes = FLOOD_ENVELOPE_BYTES): Promise<StoreResponse.Status | undefined> {
  try {
    const stream = await node.dialProtocol(multiaddr(addr), MAILBOX, { signal: AbortSignal.timeout(10_000) })
    const pb = pbStream(stream)
    await pb.write({ store: { key, envelope: randomBytes(bytes) } }, MailboxRequest)
    const response = await pb.read(StoreResponse, { signal: AbortSignal.timeout(10_000) })
    await stream.close().catch(() => {})
    return response.status
  } catch {
    return undefined
  }
}

/** Random bytes (getRandomValues fills at most 64 KiB a call) */
export function randomBytes (length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length)
  for (let at = 0; at < length; at += 65_536) crypto.getRandomValues(out.subarray(at, Math.min(length, at + 65_536)))
  return out
}
