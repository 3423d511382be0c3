import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { PARLEY_BIN, startDaemonProcess } from '../helpers/cli.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { DaemonProcess } from '../helpers/cli.ts'

const LOADED_MODULES = fileURLToPath(new URL('./loaded-modules.mjs', import.meta.url))

/**
 * What a client has no use for: the node (libp2p and its transports, node-datachannel's native
 * binding), storage (LevelDB), the crypto of sessions and keys, and Parley's own modules that
 * bring them
 */
const NODE_CODE = /node_modules\/(libp2p|@libp2p\/(?!interface\/)|@chainsafe|node-datachannel|level|classic-level|abstract-level|@noble|@peculiar|@multiformats\/multiaddr\/)|\/src\/(parley|node\/create-node|storage\/level-store|identity\/identity|messenger\/messenger)\.ts/

/** Runs `parley ARGS` as bin/parley.js does on Node 24 (no re-exec), and lists what it loaded */
async function modulesOf (args: string[]): Promise<{ code: number | null, stdout: string, loaded: string[] }> {
  const child = spawn(process.execPath, ['--import', LOADED_MODULES, '--experimental-transform-types', '--disable-warning=ExperimentalWarning', PARLEY_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', d => { stdout += d })
  child.stderr.on('data', d => { stderr += d })
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  const loaded = stderr.split('\n').filter(l => l.startsWith('loaded ')).map(l => l.slice('loaded '.length))
  return { code, stdout, loaded }
}

describe('a CLI client command costs what a client costs', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  let dir: string
  let daemon: DaemonProcess

  before(async () => {
    dir = await dirs.make()
    daemon = await startDaemonProcess(dir, ['--listen', '/ip4/127.0.0.1/tcp/0'])
  })

  after(async () => {
    await daemon?.stop()
    await dirs.cleanup()
  })

  for (const args of [['--help'], ['contacts', '--json'], ['messages', '--json'], ['files', '--json'], ['id', '--json'], ['conversations', '--json'], ['send', '--help']]) {
    it(`parley ${args.join(' ')} talks to the daemon without loading the node, its storage or its crypto`, async () => {
      const { code, stdout, loaded } = await modulesOf(args[0] === '--help' ? args : ['--data', dir, ...args])
      assert.equal(code, 0, stdout)
      assert.ok(loaded.length > 0, 'the hook saw the modules')
      const heavy = loaded.filter(url => NODE_CODE.test(url))
      assert.deepEqual(heavy, [], `loaded ${heavy.length} of the node's modules, of ${loaded.length}`)
    })
  }

  it('parley id still reads the address from the data directory when no daemon runs', async () => {
    const idle = await dirs.make()
    const init = await modulesOf(['--data', idle, 'init', '--json'])
    assert.equal(init.code, 0)
    const { peerId } = JSON.parse(init.stdout)
    const shown = await modulesOf(['--data', idle, 'id', '--json'])
    assert.equal(shown.code, 0)
    assert.deepEqual(JSON.parse(shown.stdout), { peerId, addresses: [] })
  })
})
