import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { listNamespaces } from '../net/stale.ts'
import { NAMESPACE_PREFIX } from '../net/index.ts'
import type { ChildProcess } from 'node:child_process'

const SIMNET = fileURLToPath(new URL('../../scripts/simnet/main.ts', import.meta.url))
/** The flags `npm run simnet` runs under */
const NODE_FLAGS = ['--experimental-transform-types', '--disable-warning=ExperimentalWarning']

/** 12 nodes: 2 relays in their own worker, 10 users in 3 workers, one on each side of a NAT kind */
const SMALL_NETWORK = ['--netns', '--nodes', '12', '--processes', '3', '--nat', 'public,port-restricted,symmetric', '--idle-s', '0']

interface SimnetExit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

interface SimnetRun {
  child: ChildProcess
  /** Resolves once the simnet exited, with everything it printed */
  exited: Promise<SimnetExit>
}

/** `npm run simnet -- ARGS`; `onLog` sees each progress line (stderr) as it comes */
function simnet (args: string[], onLog: (line: string, child: ChildProcess) => void = () => {}): SimnetRun {
  const child = spawn(process.execPath, [...NODE_FLAGS, SIMNET, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d })
  createInterface({ input: child.stderr }).on('line', line => {
    stderr += line + '\n'
    onLog(line, child)
  })
  const exited = new Promise<SimnetExit>(resolve => {
    child.once('close', (code, signal) => { resolve({ code, signal, stdout, stderr }) })
  })
  return { child, exited }
}

/** The namespaces a simnet process made and left (they are named after its pid) */
async function namespacesOf (child: ChildProcess): Promise<string[]> {
  return (await listNamespaces()).filter(name => name.startsWith(`${NAMESPACE_PREFIX}${child.pid}-`))
}

/**
 * `npm run simnet -- --netns`: the simulated network on an internet in a box (test/net), workers
 * in namespaces of their own, public or behind NAT routers. Needs root, like `ip netns`.
 */
describe('npm run simnet -- --netns', function () {
  this.timeout(180_000)

  before(function () {
    if (process.getuid?.() !== 0) this.skip()
  })

  it('users on a public address and behind port-restricted and symmetric NATs find each other and chat; no namespace is left', async () => {
    const run = simnet([...SMALL_NETWORK, '--scenarios', 'lookups,messages', '--lookups', '20', '--messages', '10', '--json', '--timeout-s', '150'])
    const { code, stdout, stderr } = await run.exited
    assert.equal(code, 0, stderr.slice(-4_000))
    const report = JSON.parse(stdout)
    assert.deepEqual(report.simnet.netns.map((line: string) => line.replace(/[\d.]+/g, 'N')), [
      'worker N (bootstrap nodes): public N',
      'worker N: public N',
      'worker N: N behind a port-restricted NAT at N',
      'worker N: N behind a symmetric NAT at N'
    ])
    assert.equal(report.setup.joinFailures, 0)
    const { lookups, messages } = report.scenarios
    assert.equal(lookups.lookups, 20)
    assert.equal(lookups.successRate, 1, JSON.stringify(lookups))
    assert.equal(messages.messages, 10)
    // most go through at the first attempt; the messenger's retries deliver the rest
    assert.equal(messages.deliveredAfterRetriesRate ?? messages.deliveredRate, 1, JSON.stringify(messages))
    assert.deepEqual(await namespacesOf(run.child), [])
  })

  it('Ctrl-C while the nodes start: the partial report is printed and every namespace deleted', async () => {
    const run = simnet([...SMALL_NETWORK, '--json'], (line, child) => {
      if (line.includes('creating nodes')) child.kill('SIGINT')
    })
    const { code, stdout, stderr } = await run.exited
    assert.equal(code, 130, stderr.slice(-4_000))
    assert.ok(JSON.parse(stdout).notes.some((note: string) => note.startsWith('interrupted')), stdout)
    assert.deepEqual(await namespacesOf(run.child), [])
  })

  it('refuses the memory transport, which cannot cross namespaces', async () => {
    const run = simnet(['--netns', '--nodes', '12', '--transport', 'memory'])
    const { code, stderr } = await run.exited
    assert.equal(code, 2)
    assert.match(stderr, /--netns puts nodes in separate network namespaces: it needs --transport tcp/)
    assert.deepEqual(await namespacesOf(run.child), [])
  })
})
