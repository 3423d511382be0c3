import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { startDaemonProcess } from '../helpers/cli.ts'
import { ControlClient } from '../../src/control/client.ts'
import { untilAsync } from '../helpers/events.ts'
import { startNode } from '../helpers/nodes.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { DaemonProcess } from '../helpers/cli.ts'
import type { Parley } from '../../src/parley.ts'

const LOOPBACK = ['--listen', '/ip4/127.0.0.1/tcp/0']

describe('what a relay prints of its users', function () {
  this.timeout(60_000)
  const dirs = new TempDirs()
  const running: Parley[] = []
  const daemons: DaemonProcess[] = []
  // also when the test fails: a relay left running holds its data directory and ports
  after(async () => {
    await Promise.all([...running.map(async n => n.stop()), ...daemons.map(async d => d.stop())])
    await dirs.cleanup()
  })

  it('no PeerId of a user who connects and is connected through it; with --log-peers, who connects', async () => {
    const quietDir = await dirs.make()
    const quiet = await startDaemonProcess(quietDir, [...LOOPBACK, '--relay', '--lan'])
    daemons.push(quiet)
    const told = await startDaemonProcess(await dirs.make(), [...LOOPBACK, '--relay', '--lan', '--log-peers'])
    daemons.push(told)
    const user = await startNode({ dataDir: await dirs.make(), lan: true, bootstrap: [multiaddr(quiet.ready.addresses[0]), multiaddr(told.ready.addresses[0])] })
    running.push(user)
    const peerId = user.peerId.toString()
    // the relay that is asked says so
    await told.identified(peerId)
    // the quiet one has the user connected (its control API lists it) and printed nothing of it
    const control = new ControlClient(quietDir)
    await untilAsync(user.node, ['peer:identify'], async () => (await control.peers()).some(p => p.peerId === peerId), 20_000, 'the quiet relay to list the user')
    await user.stop()
    running.length = 0
    assert.equal(await quiet.stop(), 0)
    assert.ok(quiet.events.length > 0, 'the ready line')
    assert.deepEqual(quiet.events.filter(e => JSON.stringify(e).includes(peerId)), [])
    assert.equal(await told.stop(), 0)
  })
})
