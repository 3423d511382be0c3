import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startDaemon } from '../../src/cli/daemon.ts'
import { parley } from '../helpers/cli.ts'
import { TempDirs } from '../helpers/temp-dir.ts'

const TURN = { urls: ['turn:127.0.0.1:3479'], username: 'parley', credential: 'a secret' }

describe('a daemon\'s STUN and TURN servers (--ice-servers)', function () {
  this.timeout(60_000)
  const dirs = new TempDirs()
  after(async () => { await dirs.cleanup() })

  it('go to the node\'s WebRTC connections, next to its relays\' STUN servers', async () => {
    const dir = await dirs.make()
    const empty = join(dir, 'bootstrap.json')
    await writeFile(empty, JSON.stringify({ version: 1, nodes: [] }))
    const daemon = await startDaemon({ dataDir: join(dir, 'data'), bootstrapList: empty, lan: true, mdns: false, listen: ['/ip4/127.0.0.1/tcp/0'], iceServers: [TURN] })
    try {
      const webrtc = (daemon.parley.node as any).components.transportManager.getTransports().find((t: any) => t[Symbol.toStringTag] === '@libp2p/webrtc')
      const configuration = webrtc.init.rtcConfiguration
      const { iceServers } = typeof configuration === 'function' ? await configuration() : configuration
      assert.deepEqual(iceServers, [TURN])
    } finally {
      await daemon.stop()
    }
  })

  it('a file that is not a valid list stops the daemon before it starts, saying what is wrong', async () => {
    const dir = await dirs.make()
    const cases: Array<[string, RegExp]> = [
      ['{"iceServers": "turn:x"}', /must be an array/],
      ['[{"urls": ["http://example.org"]}]', /\[0\]: "urls" must be stun:, turn: or turns: URLs/],
      ['[{"urls": "turn:x", "credential": 5}]', /must be strings/],
      ['not json', /not JSON/]
    ]
    for (const [text, why] of cases) {
      const file = join(dir, 'ice.json')
      await writeFile(file, text)
      const { code, stderr } = await parley(['--data', join(dir, 'data'), 'daemon', '--ice-servers', file])
      assert.notEqual(code, 0)
      assert.match(stderr, why)
    }
    const { code, stderr } = await parley(['--data', join(dir, 'data'), 'daemon', '--ice-servers', join(dir, 'missing.json')])
    assert.notEqual(code, 0)
    assert.match(stderr, /cannot be read/)
  })
})
