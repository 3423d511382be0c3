import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import fc from 'fast-check'
import { createLibp2p } from 'libp2p'
import { streamInput } from './inputs.ts'
import { DHT_PROTOCOL } from '../../src/node/constants.ts'
import { PROTOCOL as CHAT } from '../../src/protocols/chat/constants.ts'
import { PROTOCOL as FILE } from '../../src/protocols/file/constants.ts'
import { HOST_DHT_PROTOCOL, NOTICE_PROTOCOL, PROTOCOL as MAILBOX } from '../../src/protocols/mailbox/constants.ts'
import { PROTOCOL as PREKEYS } from '../../src/protocols/prekeys/constants.ts'
import type { Parley } from '../../src/parley.ts'
import type { Libp2p, Stream } from '@libp2p/interface'

/** How long a stream may go unanswered and open after the fuzzer closed its end */
const STREAM_LIMIT_MS = 5_000

export interface HandlerResult {
  protocol: string
  cases: number
  /** Streams the node answered (wrote something back) */
  answered: number
  /** Streams the node closed or reset without an answer */
  closed: number
  /** Streams still open STREAM_LIMIT_MS after the fuzzer closed its end: a handler that hangs */
  hung: number
  /** Whether the node still delivered an honest message afterwards */
  healthy: boolean
  ms: number
}

export interface HandlerFuzzNodes {
  /** A relay that hosts mail and serves both DHTs */
  relay: Parley
  /** A user node: chat, prekeys, notices, files */
  user: Parley
  /** Checks the user still works (an honest peer's message delivered), after each protocol */
  healthy: () => Promise<boolean>
}

/** Every protocol handler a stranger can reach, with the node that serves it */
export const HANDLERS: Array<{ protocol: string, on: 'relay' | 'user' }> = [
  { protocol: CHAT, on: 'user' },
  { protocol: PREKEYS, on: 'user' },
  { protocol: NOTICE_PROTOCOL, on: 'user' },
  { protocol: FILE, on: 'user' },
  { protocol: MAILBOX, on: 'relay' },
  { protocol: DHT_PROTOCOL, on: 'relay' },
  { protocol: HOST_DHT_PROTOCOL, on: 'relay' }
]

/**
 * Opens `cases` streams per protocol from a bare libp2p peer to real nodes and writes fuzzed
 * frames on each (`streamInput`), then closes its end and waits for the node to answer or close.
 */
export async function fuzzHandlers (nodes: HandlerFuzzNodes, options: { cases: number, seed: number }): Promise<HandlerResult[]> {
  const attacker = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  const results: HandlerResult[] = []
  try {
    for (const [i, { protocol, on }] of HANDLERS.entries()) {
      const victim = nodes[on]
      const inputs = fc.sample(streamInput(), { numRuns: options.cases, seed: options.seed + i })
      const result: HandlerResult = { protocol, cases: inputs.length, answered: 0, closed: 0, hung: 0, healthy: false, ms: 0 }
      const started = performance.now()
      for (const input of inputs) {
        const outcome = await fuzzStream(attacker, victim, protocol, input)
        result[outcome]++
      }
      result.ms = performance.now() - started
      result.healthy = await nodes.healthy()
      results.push(result)
    }
  } finally {
    await attacker.stop()
  }
  return results
}

async function fuzzStream (attacker: Libp2p, victim: Parley, protocol: string, input: Uint8Array): Promise<'answered' | 'closed' | 'hung'> {
  let stream: Stream
  try {
    stream = await attacker.dialProtocol(victim.addresses()[0], protocol, { signal: AbortSignal.timeout(STREAM_LIMIT_MS) })
  } catch {
    return 'closed'
  }
  let answered = false
  stream.addEventListener('message', () => { answered = true })
  const ended = new Promise<void>(resolve => { stream.addEventListener('close', () => { resolve() }, { once: true }) })
  try {
    stream.send(input)
    await stream.close({ signal: AbortSignal.timeout(STREAM_LIMIT_MS) })
  } catch {
    // the node reset it: that is an answer to garbage too
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  const hung = await Promise.race([
    ended.then(() => false),
    new Promise<boolean>(resolve => { timer = setTimeout(() => { resolve(true) }, STREAM_LIMIT_MS) })
  ])
  clearTimeout(timer)
  if (hung) {
    stream.abort(new Error('the fuzzer gave up on it'))
    return 'hung'
  }
  return answered ? 'answered' : 'closed'
}
