import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { multiaddr } from '@multiformats/multiaddr'
import { waitForEvent } from '../helpers/events.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import { PARLEY_BIN, parley, startDaemonProcess } from '../helpers/cli.ts'
import { startNode } from '../helpers/nodes.ts'
import type { DaemonProcess } from '../helpers/cli.ts'
import type { CallInfo } from '../../src/calls/calls.ts'
import type { Parley } from '../../src/parley.ts'

const LOOPBACK = ['--listen', '/ip4/127.0.0.1/tcp/0']

/**
 * Calls reaching a node on the command line, which has no media: announced in the chat and on
 * the event stream, declined from there, and listed by `parley calls`. The caller is a node in
 * this process (as the web app's would be).
 */
describe('calls from the parley command', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const daemons: DaemonProcess[] = []
  let benDir: string
  let ben: DaemonProcess
  let ann: Parley

  const json = async (args: string[]): Promise<any> => {
    const out = await parley(['--data', benDir, ...args, '--json'])
    assert.equal(out.code, 0, `${args.join(' ')}: ${out.stderr}${out.stdout}`)
    return JSON.parse(out.stdout)
  }

  /** Ben's calls under way, once there are some: the daemon's state behind the CLI has no events to wait on, so it is asked again */
  const ringingAtBen = async (): Promise<any[]> => {
    const deadline = Date.now() + 30_000
    for (;;) {
      const active = await json(['calls', 'active'])
      if (active.length > 0) return active
      if (Date.now() > deadline) throw new Error('timed out waiting for the call to ring at Ben')
    }
  }

  before(async () => {
    const relay = await startDaemonProcess(await dirs.make(), [...LOOPBACK, '--relay', '--log-peers', '--lan'])
    daemons.push(relay)
    benDir = await dirs.make()
    ben = await startDaemonProcess(benDir, [...LOOPBACK, '--bootstrap', relay.ready.addresses[0]])
    daemons.push(ben)
    ann = await startNode({ dataDir: await dirs.make(), bootstrap: [multiaddr(relay.ready.addresses[0])], calls: { ringTimeoutMs: 60_000 } })
    await relay.identified(ann.peerId.toString())
    await ann.node.dial(multiaddr(ben.ready.addresses[0]))
    await ann.messenger.addContact(ben.ready.peerId, 'Ben')
    // its --json is the subcommand's, not the list's (which once claimed it: a line of text)
    assert.deepEqual(await json(['contacts', 'add', ann.peerId.toString(), 'Ann']).then(c => [c.peerId, c.name]), [ann.peerId.toString(), 'Ann'])
  })

  after(async () => {
    await ann?.stop()
    await Promise.all(daemons.map(async d => d.stop()))
    await dirs.cleanup()
  })

  it('the chat announces a call, declines it, and lists it; parley calls lists it too', async () => {
    const chat = spawn(process.execPath, [PARLEY_BIN, '--data', benDir, 'chat'], { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    chat.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    /** Resolves once the chat has printed `pattern` (checked as each chunk of its output comes) */
    const printed = async (pattern: RegExp, what: string): Promise<void> => new Promise((resolve, reject) => {
      const check = (): void => {
        if (!pattern.test(stdout)) return
        clearTimeout(timer)
        chat.stdout.off('data', check)
        resolve()
      }
      const timer = setTimeout(() => {
        chat.stdout.off('data', check)
        reject(new Error(`the chat did not print ${what}: ${stdout}`))
      }, 30_000)
      chat.stdout.on('data', check)
      check()
    })
    try {
      await printed(/Type \/help/, 'its ready line')
      const ended = waitForEvent<CallInfo>(ann.calls, 'call', c => c.state === 'ended', 30_000)
      const call = await ann.calls.start(ben.ready.peerId, { video: true })
      await printed(/Incoming video call from Ann/, 'the incoming call')
      chat.stdin.write('/decline\n')
      await printed(/Declined the call from Ann/, 'the decline')
      assert.equal((await ended).reason, 'declined')
      chat.stdin.write('/calls\n')
      await printed(/Ann: Declined video call/, 'the call history')
      chat.stdin.write('/quit\n')

      const history = await json(['calls'])
      assert.deepEqual(history.map((c: any) => [c.id, c.peer, c.direction, c.video, c.outcome]), [[call.id, ann.peerId.toString(), 'in', true, 'declined']])
    } finally {
      chat.kill()
    }
  })

  it('declines and hangs up from the command line; an unknown call is refused with its code', async () => {
    const ended = waitForEvent<CallInfo>(ann.calls, 'call', c => c.state === 'ended', 30_000)
    const call = await ann.calls.start(ben.ready.peerId)
    assert.deepEqual((await ringingAtBen()).map((c: any) => [c.id, c.state]), [[call.id, 'ringing']])
    const declined = await json(['calls', 'decline', call.id])
    assert.deepEqual([declined.state, declined.reason], ['ended', 'declined'])
    assert.equal((await ended).reason, 'declined')

    // hang-up ends a call at both sides (here one that still rings)
    const second = await ann.calls.start(ben.ready.peerId)
    const hungUp = waitForEvent<CallInfo>(ann.calls, 'call', c => c.id === second.id && c.state === 'ended', 30_000)
    await ringingAtBen()
    assert.equal((await json(['calls', 'hang-up', second.id])).state, 'ended')
    assert.equal((await hungUp).reason, 'hangup')

    const unknown = await parley(['--data', benDir, 'calls', 'decline', 'ff'.repeat(16), '--json'])
    assert.notEqual(unknown.code, 0)
    assert.equal(JSON.parse(unknown.stdout || unknown.stderr).error.code, 'UNKNOWN_CALL')
  })
})
