/**
 * The storage side of a chat message, without any network: raw LevelDB operations (the `level`
 * package, on disk, JSON values) as the floor, and Parley's own store doing what the messenger
 * does per message, so the chat round trip can be split into protocol, storage and crypto.
 */
import { join } from 'node:path'
import { Level } from 'level'
import { LevelStore } from '../../src/storage/level-store.ts'
import { envelopeBytes } from './crypto.ts'
import { elapsedUs, now, summarize } from './stats.ts'
import { withTempDirs } from './temp-dirs.ts'
import type { BenchConfig, Figures } from './config.ts'

async function timeEach (warmup: number, iterations: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn(i)
  const samples = new Float64Array(iterations)
  for (let i = 0; i < iterations; i++) {
    const start = now()
    await fn(warmup + i)
    samples[i] = elapsedUs(start)
  }
  return summarize(samples).p50
}

const hexId = (i: number): string => i.toString(16).padStart(32, '0')

/** About the size of a serialized Double Ratchet session record */
const SESSION_RECORD_BYTES = 600

/** `leveldb_get_us`, `leveldb_batch_us`: p50 of one get, and of one batch of 3 small puts */
async function rawLevel (config: BenchConfig, dir: string): Promise<Figures> {
  const db = new Level<string, unknown>(join(dir, 'raw'), { valueEncoding: 'json' })
  await db.open()
  try {
    const record = { id: hexId(0), peer: 'p'.repeat(52), direction: 'out', text: 'x'.repeat(config.messageBytes), timestamp: Date.now(), status: 'sending', seq: 0 }
    const key = (i: number): string => String(i).padStart(16, '0')
    const count = config.rttWarmup + config.rttIterations
    const batch = await timeEach(config.rttWarmup, config.rttIterations, async i => db.batch()
      .put(key(i), { ...record, seq: i })
      .put(`idx!${key(i)}`, i)
      .put(`conv!${key(i)}`, i)
      .write())
    const get = await timeEach(config.rttWarmup, config.rttIterations, async i => db.get(key(count - 1 - i)))
    return { leveldb_get_us: get, leveldb_batch_us: batch }
  } finally {
    await db.close()
  }
}

/**
 * `store_send_path_us`: the store calls the messenger and its session cipher make for one
 * outgoing message delivered at the first attempt, back to back: addOutgoing, outbox, envelope
 * (none yet), loadSession, setEnvelope with the session write, setStatus, get.
 * `store_receive_path_us`: the recipient's calls before it acks: loadSession, then addIncoming
 * with the session write.
 */
async function parleyStore (config: BenchConfig, dir: string): Promise<Figures> {
  const sender = new LevelStore(join(dir, 'sender'))
  const recipient = new LevelStore(join(dir, 'recipient'))
  await sender.open()
  await recipient.open()
  try {
    const peer = '12D3KooW' + 'p'.repeat(44)
    const text = 'x'.repeat(config.messageBytes)
    const envelope = crypto.getRandomValues(new Uint8Array(await envelopeBytes(config.messageBytes)))
    const session = crypto.getRandomValues(new Uint8Array(SESSION_RECORD_BYTES))
    const send = await timeEach(config.rttWarmup, config.rttIterations, async i => {
      const record = await sender.messages.addOutgoing({ id: hexId(i), peer, direction: 'out', text, timestamp: Date.now(), status: 'sending' })
      await sender.messages.outbox(peer)
      await sender.messages.envelope(peer, record.id)
      await sender.keys.loadSession(peer)
      await sender.messages.setEnvelope(peer, record.id, envelope, { also: [sender.keys.sessionWrite(peer, session)] })
      await sender.messages.setStatus(peer, record.id, 'delivered')
      await sender.messages.get(peer, 'out', record.id)
    })
    const receive = await timeEach(config.rttWarmup, config.rttIterations, async i => {
      await recipient.keys.loadSession(peer)
      await recipient.messages.addIncoming(
        { id: hexId(i), peer, direction: 'in', text, timestamp: Date.now(), status: 'delivered' },
        { also: [recipient.keys.sessionWrite(peer, session)] }
      )
    })
    return { store_send_path_us: send, store_receive_path_us: receive }
  } finally {
    await sender.close()
    await recipient.close()
  }
}

export async function storage (config: BenchConfig): Promise<Figures> {
  return withTempDirs(async dirs => {
    const dir = await dirs.make()
    return { ...await rawLevel(config, dir), ...await parleyStore(config, dir) }
  })
}
