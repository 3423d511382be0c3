import assert from 'node:assert/strict'
import { TempDirs } from '../helpers/temp-dir.ts'
import { parley, startDaemonProcess } from '../helpers/cli.ts'
import type { DaemonProcess } from '../helpers/cli.ts'

const LOOPBACK = ['--listen', '/ip4/127.0.0.1/tcp/0']

async function json (args: string[]): Promise<any> {
  const out = await parley(args)
  assert.equal(out.code, 0, out.stderr + out.stdout)
  return JSON.parse(out.stdout)
}

/**
 * Offline delivery as users run it: relay daemons hold the mail, one of them paused (SIGSTOP)
 * and another killed mid-way, the recipient and then the sender offline in turn.
 */
describe('offline mail from the command line', function () {
  this.timeout(180_000)
  const dirs = new TempDirs()
  const running = new Set<DaemonProcess>()
  const start = async (dir: string, args: string[]): Promise<DaemonProcess> => {
    const daemon = await startDaemonProcess(dir, [...LOOPBACK, ...args])
    running.add(daemon)
    return daemon
  }
  const stop = async (daemon: DaemonProcess): Promise<void> => {
    running.delete(daemon)
    daemon.child.kill('SIGCONT')
    await daemon.stop()
  }

  after(async () => {
    await Promise.all([...running].map(async d => stop(d)))
    await dirs.cleanup()
  })

  it('B offline, then A offline: B gets every message once, in order; A sees them delivered', async () => {
    const relayDirs = [await dirs.make(), await dirs.make(), await dirs.make()]
    const relays: DaemonProcess[] = [await start(relayDirs[0], ['--relay', '--log-peers', '--lan'])]
    for (const dir of relayDirs.slice(1)) relays.push(await start(dir, ['--relay', '--log-peers', '--bootstrap', relays[0].ready.addresses[0]]))
    const bootstrap = relays.flatMap(r => ['--bootstrap', r.ready.addresses[0]])
    const [dirA, dirB] = [await dirs.make(), await dirs.make()]
    const a = await start(dirA, bootstrap)
    let b = await start(dirB, bootstrap)
    await relays[0].identified(b.ready.peerId)

    // they have talked before: no stamps, no requests
    assert.equal((await json(['--data', dirA, 'send', b.ready.peerId, 'hi', '--json'])).status, 'delivered')
    assert.equal((await json(['--data', dirB, 'send', a.ready.peerId, 'hi A', '--json'])).status, 'delivered')
    await stop(b)

    // one storer hangs (paused, connections open): the others take the mail
    relays[2].child.kill('SIGSTOP')
    const sent = []
    for (let i = 1; i <= 3; i++) sent.push(await json(['--data', dirA, 'send', b.ready.peerId, `offline ${i}`, '--json']))
    assert.deepEqual(sent.map(s => s.status), ['stored', 'stored', 'stored'])
    assert.ok(sent.every(s => s.replicas === 2), `two replicas each (one storer paused): ${JSON.stringify(sent)}`)
    const text = await parley(['--data', dirA, 'messages'])
    assert.match(text.stdout, /offline 3 {2}\(stored with 2 mailbox replicas\)/)
    await stop(a)

    // the paused storer resumes; another is killed
    relays[2].child.kill('SIGCONT')
    await stop(relays[1])
    b = await start(dirB, bootstrap)
    await json(['--data', dirB, 'mailbox', 'check', '--json'])
    const inbox = await json(['--data', dirB, 'messages', '--json'])
    assert.deepEqual(inbox.filter((m: any) => m.direction === 'in').map((m: any) => m.text), ['hi', 'offline 1', 'offline 2', 'offline 3'])

    // the killed storer returns with its copies: still shown once
    relays[1] = await start(relayDirs[1], ['--relay', '--log-peers', '--bootstrap', relays[0].ready.addresses[0]])
    await relays[1].identified(b.ready.peerId).catch(() => {})
    await json(['--data', dirB, 'mailbox', 'check', '--json'])
    assert.equal((await json(['--data', dirB, 'messages', '--json'])).length, 5, 'no duplicates')
    await stop(b)

    // A returns while B is away: B's receipt waits in A's own mailbox
    await start(dirA, bootstrap)
    await json(['--data', dirA, 'mailbox', 'check', '--json'])
    const outbox = (await json(['--data', dirA, 'messages', '--json'])).filter((m: any) => m.direction === 'out')
    assert.deepEqual(outbox.map((m: any) => m.status), ['delivered', 'delivered', 'delivered', 'delivered'])
  })

  it('message requests: a stranger is listed until accepted or blocked', async () => {
    const relay = await start(await dirs.make(), ['--relay', '--log-peers', '--lan'])
    const bootstrap = ['--bootstrap', relay.ready.addresses[0]]
    const [dirA, dirC] = [await dirs.make(), await dirs.make()]
    const a = await start(dirA, bootstrap)
    const c = await start(dirC, bootstrap)
    await relay.identified(a.ready.peerId)
    assert.equal((await json(['--data', dirC, 'send', a.ready.peerId, 'hello, we have not met', '--json'])).status, 'delivered')
    const requests = await json(['--data', dirA, 'requests', '--json'])
    assert.deepEqual(requests.map((r: any) => r.peerId), [c.ready.peerId])
    assert.equal((await parley(['--data', dirA, 'accept', c.ready.peerId, '--name', 'carol'])).code, 0)
    assert.deepEqual(await json(['--data', dirA, 'requests', '--json']), [])
    assert.deepEqual((await json(['--data', dirA, 'contacts', '--json'])).map((x: any) => x.name), ['carol'])
    assert.equal((await parley(['--data', dirA, 'block', 'carol'])).code, 0)
    const refused = await parley(['--data', dirC, 'send', a.ready.peerId, 'blocked now', '--json'])
    assert.equal(JSON.parse(refused.stdout).status, 'failed')
    const holding = await json(['--data', relay.ready.control.replace(/\/control\.sock$/, ''), 'mailbox', '--json'])
    assert.equal(holding.hosting, true, 'a relay holds mail by default')
  })
})
