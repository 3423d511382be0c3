/**
 * First message to a peer known only through a relay: A and B are both bootstrapped from relay
 * R, A has never connected to B, so `send` has to find B in the DHT (through R), dial it, open a
 * chat stream and wait for the ack. Every sample uses a fresh relay and a fresh pair.
 */
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { IDENTITY_FILE, KEY_FILE_MODE } from '../../src/identity/index.ts'
import { connectedTo, identified, startParley, startRelay } from './parley.ts'
import { progress } from './log.ts'
import { elapsedMs, median, now } from './stats.ts'
import { withTempDirs } from './temp-dirs.ts'
import { nextEvent } from './wait.ts'
import type { BenchConfig, Figures } from './config.ts'
import type { TempDirs } from './temp-dirs.ts'
import type { Parley } from '../../src/parley.ts'
import type { PeerId } from '@libp2p/interface'

/** kad-dht announces each completed self-query on the node's event bus (not in its typings) */
const SELF_QUERY_EVENT = 'kad-dht:query:self'
const WAIT_MS = 20_000
/** A first contact this slow waited on a timer (see docs/BENCHMARKS.md), not on the network */
const STALLED_MS = 1_000

/**
 * `warm`: the integration test's order. A joins and finishes its first DHT self-query (it finds
 * only R), then B joins; A sends as soon as R has identified B.
 * The `cold` ones: B joins and settles first; A sends as soon as its bootstrap connection to R
 * opens, before its first self-query has run (a restart flushing the outbox, a one-shot send).
 * A's identity is chosen so that in the DHT's XOR metric B is nearer to A than R is
 * (`cold-near`: A's self-query must then ask B) or farther (`cold-far`: it need not).
 * `cold-near-lookup`: as `cold-near`, but A calls `peerRouting.findPeer(B)` before sending: the
 * change suggested in docs/BENCHMARKS.md, emulated from outside.
 */
type Scenario = 'warm' | 'cold-near' | 'cold-far' | 'cold-near-lookup'

interface Sample {
  /** createParley until the bootstrap connection to the relay is open */
  relayConnectMs: number
  /** send until delivered */
  sendMs: number
  /** send until the first connection between A and B opened (either side dialling) */
  connectMs: number
  /** B reached A first (B's own DHT self-query dials the peers the relay tells it about) */
  inboundFirst: boolean
}

/** The DHT's key for a peer: SHA-256 of its multihash (as in @libp2p/kad-dht) */
function kadId (peer: PeerId): Buffer {
  return createHash('sha256').update(peer.toMultihash().bytes).digest()
}

/** -1, 0 or 1 as `a` is nearer to, as near as, or farther from `target` than `b` */
function compareDistance (target: Buffer, a: Buffer, b: Buffer): number {
  for (let i = 0; i < target.length; i++) {
    const da = a[i] ^ target[i]
    const db = b[i] ^ target[i]
    if (da !== db) return da < db ? -1 : 1
  }
  return 0
}

/**
 * A new data dir holding an identity that is nearer (XOR) to `nearer` than to `farther`. About
 * one key in two qualifies; it is written where `createParley` loads its identity from.
 */
async function dataDirWithIdentity (dirs: TempDirs, nearer: PeerId, farther: PeerId): Promise<string> {
  const dataDir = await dirs.make()
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const key = await generateKeyPair('Ed25519')
    const self = kadId(peerIdFromPrivateKey(key))
    if (compareDistance(self, kadId(nearer), kadId(farther)) < 0) {
      await writeFile(join(dataDir, IDENTITY_FILE), privateKeyToProtobuf(key), { mode: KEY_FILE_MODE })
      return dataDir
    }
  }
  throw new Error('found no identity with the requested DHT distances')
}

/** Undefined when A was already connected to B before it sent (B's self-query was quicker) */
async function sample (dirs: TempDirs, scenario: Scenario): Promise<Sample | undefined> {
  const nodes: Parley[] = []
  try {
    const relay = await startRelay(dirs)
    nodes.push(relay)
    /** Starts a node bootstrapped from R; with `settle`, also waits for its first DHT self-query */
    const join = async (settle: boolean, dataDir?: string): Promise<{ node: Parley, relayConnectMs: number }> => {
      const start = now()
      const node = await startParley(dirs, { bootstrap: relay.addresses(), ...(dataDir != null ? { dataDir } : {}) })
      nodes.push(node)
      // armed at once: the self-query runs only after the bootstrap dial, which @libp2p/bootstrap delays
      const selfQuery = settle ? nextEvent(node.node, SELF_QUERY_EVENT, WAIT_MS) : undefined
      selfQuery?.catch(() => {}) // awaited below; this only keeps an early failure from going unhandled
      await connectedTo(node, relay.peerId, WAIT_MS)
      const relayConnectMs = elapsedMs(start)
      await selfQuery
      return { node, relayConnectMs }
    }

    let a: Parley
    let b: Parley
    let relayConnectMs: number
    if (scenario === 'warm') {
      ({ node: a, relayConnectMs } = await join(true))
      ;({ node: b } = await join(false))
      await identified(relay, b.peerId, WAIT_MS)
    } else {
      ({ node: b } = await join(true))
      const dataDir = scenario === 'cold-far'
        ? await dataDirWithIdentity(dirs, relay.peerId, b.peerId)
        : await dataDirWithIdentity(dirs, b.peerId, relay.peerId)
      ;({ node: a, relayConnectMs } = await join(false, dataDir))
    }
    if (a.node.getConnections(b.peerId).length > 0) {
      return undefined // not a first contact
    }

    let inboundFirst: boolean | undefined
    let connectMs = NaN
    const start = now()
    a.node.addEventListener('connection:open', evt => {
      if (inboundFirst == null && evt.detail.remotePeer.equals(b.peerId)) {
        inboundFirst = evt.detail.direction === 'inbound'
        connectMs = elapsedMs(start)
      }
    })
    if (scenario === 'cold-near-lookup') {
      await a.node.peerRouting.findPeer(b.peerId, { signal: AbortSignal.timeout(WAIT_MS) })
    }
    const record = await a.messenger.send(b.peerId, 'hello, first contact')
    const sendMs = elapsedMs(start)
    if (record.status !== 'delivered') {
      throw new Error(`the first message ended ${record.status}, not delivered`)
    }
    return { relayConnectMs, sendMs, connectMs, inboundFirst: inboundFirst === true }
  } finally {
    await Promise.all(nodes.map(async node => node.stop()))
  }
}

async function samples (scenario: Scenario, count: number): Promise<Sample[]> {
  const results: Sample[] = []
  for (let attempt = 1; results.length < count; attempt++) {
    if (attempt > count * 2) throw new Error(`too few clean first contacts (${scenario}): A kept meeting B before sending`)
    const result = await withTempDirs(async dirs => sample(dirs, scenario))
    if (result == null) {
      progress(`  first contact (${scenario}): A already knew B, sample discarded`)
      continue
    }
    results.push(result)
    progress(`  first contact (${scenario}) ${results.length}/${count}: ${result.sendMs.toFixed(1)} ms, connected after ${result.connectMs.toFixed(1)} ms${result.inboundFirst ? ' (B dialled A first)' : ''}`)
  }
  return results
}

/**
 * `first_contact_ms` (warm), `first_contact_cold_*` (near, the stalling case), `_far`, `_lookup`,
 * and `relay_connect_ms`. Stalled samples are counted, since a median would hide them.
 */
export async function firstContact (config: BenchConfig): Promise<Figures> {
  const warm = await samples('warm', config.firstContactSamples)
  const near = await samples('cold-near', config.firstContactStallSamples)
  const far = await samples('cold-far', config.firstContactColdSamples)
  const lookup = await samples('cold-near-lookup', config.firstContactColdSamples)
  const stalled = (list: Sample[]): number => list.filter(s => s.sendMs > STALLED_MS).length
  /** Median and stall count of a scenario, or nothing if it was not run */
  const figures = (name: string, list: Sample[]): Figures => list.length === 0
    ? {}
    : {
        [`${name}_ms`]: median(list.map(s => s.sendMs)),
        [`${name}_connect_ms`]: median(list.map(s => s.connectMs)),
        [`${name}_stalled`]: stalled(list)
      }
  return {
    first_contact_ms: median(warm.map(s => s.sendMs)),
    first_contact_max_ms: Math.max(...warm.map(s => s.sendMs)),
    first_contact_connect_ms: median(warm.map(s => s.connectMs)),
    first_contact_inbound_first: warm.filter(s => s.inboundFirst).length,
    ...figures('first_contact_cold', near),
    ...figures('first_contact_cold_far', far),
    ...figures('first_contact_cold_lookup', lookup),
    relay_connect_ms: median([...warm, ...near, ...far, ...lookup].map(s => s.relayConnectMs))
  }
}
