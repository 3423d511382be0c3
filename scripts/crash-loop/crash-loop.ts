import { createHash, randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CrashableDaemon } from './daemon.ts'
import type { PublicMessage } from '../../src/control/client.ts'

export interface CrashLoopOptions {
  kills: number
  /** Seeds the choice of victim and the moment of each kill */
  seed: number
  /** Where the data directories and files go */
  workDir: (name: string) => Promise<string>
  /** A file is offered every this many kills. @default 5 */
  fileEvery?: number
  /** @default 1 MiB */
  fileBytes?: number
  /** How long everything may take to arrive once the kills stop. @default 180 s */
  settleMs?: number
  onProgress?: (line: string) => void
}

export interface CrashLoopReport {
  kills: number
  /** Messages the senders' histories hold (every one accepted before a kill, or after) */
  sent: number
  /** Sent and never received */
  lost: string[]
  /** Received more than once */
  duplicated: string[]
  /** Messages the control API confirmed that the sender's history does not hold */
  forgotten: string[]
  /** Conversations whose fresh messages after the run were not delivered */
  desynced: string[]
  files: number
  /** Files received whole and byte-identical */
  filesIntact: number
  ms: number
}

/**
 * A sending and a receiving daemon (A and B, contacts, through a relay that also holds their
 * mail) are SIGKILLed at random moments `kills` times while messages flow both ways and A
 * offers files to B; each is restarted on its data directory at once. Then the run checks:
 * every message in a sender's history arrived once, nothing the API confirmed was forgotten,
 * both conversations still work both ways (no ratchet desync), every file is byte-identical.
 */
export async function runCrashLoop (options: CrashLoopOptions): Promise<CrashLoopReport> {
  const started = Date.now()
  const random = mulberry32(options.seed)
  const say = options.onProgress ?? (() => {})
  const relay = new CrashableDaemon('relay', await options.workDir('relay'), ['--relay', '--lan'])
  await relay.start()
  const bootstrap = ['--bootstrap', relay.addresses[0]]
  const a = new CrashableDaemon('A', await options.workDir('a'), bootstrap)
  const b = new CrashableDaemon('B', await options.workDir('b'), bootstrap)
  const files = await options.workDir('files')
  const sources = new Map<string, string>()
  const confirmed = new Set<string>()
  try {
    await Promise.all([a.start(), b.start()])
    await a.client.addContact(b.peerId, 'b')
    await b.client.addContact(a.peerId, 'a')

    let running = true
    const traffic = async (from: CrashableDaemon, to: CrashableDaemon): Promise<void> => {
      for (let n = 0; running; n++) {
        const text = `${from.name}->${to.name} ${n}`
        try {
          await from.client.send(to.peerId, text, { signal: AbortSignal.timeout(30_000) })
          confirmed.add(text)
        } catch {
          // killed under the call: the history says whether it was taken; wait for its restart
          await until(() => from.alive || !running, 30_000)
        }
      }
    }
    const flows = [traffic(a, b), traffic(b, a)]

    for (let kill = 1; kill <= options.kills; kill++) {
      if (kill % (options.fileEvery ?? 5) === 1) {
        const path = join(files, `file-${kill}.bin`)
        const bytes = randomBytes(options.fileBytes ?? 1_048_576)
        await writeFile(path, bytes)
        await until(() => a.alive, 30_000)
        const offer = await a.client.sendFile(b.peerId, path).catch(() => undefined)
        if (offer != null) sources.set(offer.transfer.id, sha256(bytes))
      }
      // a random moment in the next 0.1 to 1.5 s: the load, not a wait for anything
      await new Promise(resolve => setTimeout(resolve, 100 + random() * 1_400))
      const pick = random()
      const victims = pick < 0.4 ? [a] : pick < 0.8 ? [b] : [a, b]
      await Promise.all(victims.map(async v => v.kill()))
      await Promise.all(victims.map(async v => v.start()))
      if (kill % 10 === 0) say(`${kill} kills, ${confirmed.size} messages confirmed, ${sources.size} files offered`)
    }
    running = false
    await Promise.all(flows)
    const killed = Date.now()
    say(`${options.kills} kills in ${((killed - started) / 1000).toFixed(1)} s; settling`)

    // settle: every message delivered, every file done
    const settleMs = options.settleMs ?? 180_000
    const outgoing = async (d: CrashableDaemon, peer: string): Promise<PublicMessage[]> =>
      (await d.client.messages({ peer })).filter(m => m.direction === 'out')
    // the texts of the conversation (file offers are checked by their files)
    const texts = (messages: PublicMessage[]): string[] => messages.filter(m => m.file == null).map(m => m.text)
    await untilAsync(async () => {
      const pending = [...await outgoing(a, b.peerId), ...await outgoing(b, a.peerId)].filter(m => m.status !== 'delivered')
      const transfers = (await b.client.files()).filter(t => t.direction === 'in' && sources.has(t.id) && t.state !== 'done')
      return pending.length === 0 && transfers.length === 0 && (await b.client.files()).filter(t => sources.has(t.id)).length === sources.size
    }, settleMs)

    say(`settled in ${((Date.now() - killed) / 1000).toFixed(1)} s`)
    const report: CrashLoopReport = { kills: options.kills, sent: 0, lost: [], duplicated: [], forgotten: [], desynced: [], files: sources.size, filesIntact: 0, ms: 0 }
    for (const [from, to] of [[a, b], [b, a]]) {
      const sent = texts(await outgoing(from, to.peerId))
      const received = texts((await to.client.messages({ peer: from.peerId })).filter(m => m.direction === 'in'))
      report.sent += sent.length
      const count = new Map<string, number>()
      for (const text of received) count.set(text, (count.get(text) ?? 0) + 1)
      for (const text of sent) if (count.get(text) == null) report.lost.push(text)
      for (const [text, n] of count) if (n > 1) report.duplicated.push(text)
      const held = new Set(sent)
      for (const text of confirmed) if (text.startsWith(`${from.name}->`) && !held.has(text)) report.forgotten.push(text)
      const fresh = await from.client.send(to.peerId, `after the run, ${from.name}->${to.name}`)
      if (fresh.status !== 'delivered') report.desynced.push(`${from.name}->${to.name}: ${fresh.status} ${fresh.error ?? ''}`)
    }
    for (const t of await b.client.files()) {
      const expected = sources.get(t.id)
      if (expected != null && t.state === 'done' && sha256(await readFile(t.path)) === expected) report.filesIntact++
    }
    report.ms = Date.now() - started
    return report
  } finally {
    await Promise.all([a.stop(), b.stop(), relay.stop()])
  }
}

function sha256 (bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Resolves once `test` holds, checked every 50 ms, or throws after `timeoutMs` */
async function until (test: () => boolean, timeoutMs: number): Promise<void> {
  await untilAsync(async () => test(), timeoutMs, 50)
}

async function untilAsync (test: () => Promise<boolean>, timeoutMs: number, everyMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!await test().catch(() => false)) {
    if (Date.now() > deadline) throw new Error(`not settled within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
}

/** A small seeded PRNG (Mulberry32): the same seed kills at the same moments */
function mulberry32 (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
