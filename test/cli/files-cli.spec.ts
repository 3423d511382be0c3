import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { TempDirs } from '../helpers/temp-dir.ts'
import { parley, startDaemonProcess } from '../helpers/cli.ts'
import { ControlClient } from '../../src/control/client.ts'
import { CHUNK_BYTES } from '../../src/files/constants.ts'
import type { DaemonProcess } from '../helpers/cli.ts'
import type { TransferInfo } from '../../src/events/public.ts'

const LOOPBACK = ['--listen', '/ip4/127.0.0.1/tcp/0']
const SIZE = 256 * 1_048_576

async function json (args: string[]): Promise<any> {
  const out = await parley(args)
  assert.equal(out.code, 0, out.stderr + out.stdout)
  return JSON.parse(out.stdout)
}

async function sha256Of (path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk)
  return hash.digest('hex')
}

/** Resolves with the first transfer event from the daemon in `dataDir` that `predicate` accepts */
async function transferEvent (dataDir: string, predicate: (t: TransferInfo) => boolean): Promise<{ seen: Promise<TransferInfo>, stop: () => void }> {
  const stop = new AbortController()
  let resolve!: (t: TransferInfo) => void
  const seen = new Promise<TransferInfo>(r => { resolve = r })
  let ready!: () => void
  const subscribed = new Promise<void>(r => { ready = r })
  void new ControlClient(dataDir).events(e => {
    if (e.type === 'transfer' && predicate(e.detail)) resolve(e.detail)
  }, { signal: stop.signal, ready }).catch(() => {})
  await subscribed
  return { seen, stop: () => { stop.abort() } }
}

/**
 * File sharing as users run it: `parley send-file` between two daemons, both killed (SIGKILL)
 * mid-way and restarted, `parley files` on both sides.
 */
describe('file sharing from the command line', function () {
  this.timeout(180_000)
  const dirs = new TempDirs()
  const running = new Set<DaemonProcess>()
  const start = async (dir: string, args: string[]): Promise<DaemonProcess> => {
    const daemon = await startDaemonProcess(dir, [...LOOPBACK, ...args])
    running.add(daemon)
    return daemon
  }

  after(async () => {
    await Promise.all([...running].map(async d => d.stop()))
    await dirs.cleanup()
  })

  it('sends 256 MiB that survives both daemons being killed mid-way, resuming from the verified chunks', async () => {
    const relay = await start(await dirs.make(), ['--relay', '--log-peers', '--lan'])
    const bootstrap = ['--bootstrap', relay.ready.addresses[0]]
    const [dirA, dirB, work] = [await dirs.make(), await dirs.make(), await dirs.make()]
    const a = await start(dirA, bootstrap)
    const b = await start(dirB, bootstrap)
    await relay.identified(b.ready.peerId)
    // B knows A: its files download without asking
    assert.equal((await parley(['--data', dirB, 'contacts', 'add', a.ready.peerId, 'alice'])).code, 0)

    const source = join(work, 'video.bin')
    const handle = await open(source, 'w')
    for (let i = 0; i < SIZE / 16_777_216; i++) await handle.write(randomBytes(16_777_216))
    await handle.close()

    const midway = await transferEvent(dirB, t => t.direction === 'in' && t.bytes >= SIZE * 0.4)
    const offer = await json(['--data', dirA, 'send-file', b.ready.peerId, source, '--json', '--no-wait'])
    assert.equal(offer.message.status, 'delivered')
    // B knows A, so it may have started fetching already
    assert.ok(['offered', 'sending'].includes(offer.state), offer.state)
    assert.equal(offer.size, SIZE)
    await midway.seen
    b.child.kill('SIGKILL')
    a.child.kill('SIGKILL')
    midway.stop()
    await Promise.all([b.stop(), a.stop()])

    // both restarted on the same data directories: the same identities
    await start(dirB, bootstrap)
    const held = (await json(['--data', dirB, 'files', '--json'])).find((t: any) => t.id === offer.id)
    assert.ok(held.bytes > 0 && held.bytes < SIZE, `B kept verified chunks across SIGKILL: ${held.bytes} bytes, state ${held.state}`)
    assert.ok(!('key' in held) && !('have' in held), 'no key or bitfield in the listing')
    const doneB = await transferEvent(dirB, t => t.id === offer.id && t.state === 'done')
    await start(dirA, bootstrap)
    const doneA = await transferEvent(dirA, t => t.id === offer.id && t.state === 'done')
    const received = await doneB.seen
    doneB.stop()
    assert.equal(received.path, join(dirB, 'downloads', 'video.bin'))
    assert.equal(await sha256Of(received.path), await sha256Of(source))
    await doneA.seen
    doneA.stop()

    const listed = await json(['--data', dirB, 'files', '--json'])
    const mine = listed.find((t: any) => t.id === offer.id)
    for (const field of ['id', 'peer', 'name', 'size', 'state', 'path']) assert.ok(field in mine, `files --json has ${field}`)
    assert.equal(mine.state, 'done')
    // after its restart A served only what B lacked (bytes counts what was served this run)
    const sent = (await json(['--data', dirA, 'files', '--json'])).find((t: any) => t.id === offer.id)
    assert.equal(sent.state, 'done')
    assert.equal(sent.bytes, SIZE - held.bytes, `A served ${sent.bytes / CHUNK_BYTES} chunks; B held ${held.bytes / CHUNK_BYTES} of ${SIZE / CHUNK_BYTES}`)
    const text = await parley(['--data', dirB, 'files'])
    assert.match(text.stdout, /video\.bin \(256\.0 MiB\) {2}done/)
  })

  it('--auto-download MiB: a contact\'s file over it waits for "files resume"', async () => {
    const relay = await start(await dirs.make(), ['--relay', '--log-peers', '--lan'])
    const bootstrap = ['--bootstrap', relay.ready.addresses[0]]
    const [dirA, dirB, work] = [await dirs.make(), await dirs.make(), await dirs.make()]
    const a = await start(dirA, bootstrap)
    const b = await start(dirB, [...bootstrap, '--auto-download', '0'])
    await relay.identified(b.ready.peerId)
    assert.equal((await parley(['--data', dirB, 'contacts', 'add', a.ready.peerId, 'alice'])).code, 0)
    const source = join(work, 'photo.jpg')
    const handle = await open(source, 'w')
    await handle.write(randomBytes(100_000))
    await handle.close()

    const arrived = await transferEvent(dirB, t => t.direction === 'in')
    const offer = await json(['--data', dirA, 'send-file', b.ready.peerId, source, '--json', '--no-wait'])
    assert.equal((await arrived.seen).state, 'offered', 'over the limit, from a contact: it waits')
    arrived.stop()
    const done = await transferEvent(dirB, t => t.id === offer.id && t.state === 'done')
    assert.equal((await parley(['--data', dirB, 'files', 'resume', offer.id])).code, 0)
    assert.equal(await sha256Of((await done.seen).path), await sha256Of(source))
    done.stop()
    assert.match((await parley(['--data', dirB, 'daemon', '--auto-download', 'lots'])).stderr, /a whole number of MiB/)
  })

  it('refuses a directory and an unknown transfer id with exit code 2', async () => {
    const dir = await dirs.make()
    const relayDir = await dirs.make()
    const relay = await start(relayDir, ['--relay', '--log-peers', '--lan'])
    await start(dir, ['--bootstrap', relay.ready.addresses[0]])
    const notFile = await parley(['--data', dir, 'send-file', relay.ready.peerId, dir])
    assert.equal(notFile.code, 2)
    assert.match(notFile.stderr, /not a regular file/)
    const unknown = await parley(['--data', dir, 'files', 'cancel', 'abcd'])
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /no transfer has the id/)
  })
})
