import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const STRESS = fileURLToPath(new URL('./udp-mux-stress.ts', import.meta.url))

interface Outcome {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** udp-mux-stress.ts in a process of its own: without the guard that process crashes */
async function stress (env: Record<string, string> = {}): Promise<Outcome> {
  const child = spawn(process.execPath, ['--experimental-transform-types', '--disable-warning=ExperimentalWarning', STRESS], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env }
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', d => { stdout += d })
  child.stderr.on('data', d => { stderr += d })
  return new Promise(resolve => child.on('close', (code, signal) => { resolve({ code, signal, stdout, stderr }) }))
}

describe('udp-mux-guard: WebRTC-Direct mux listeners after stop', () => {
  it('30 listeners opened and stopped under a flood of STUN requests: no crash, none reaches a stopped listener\'s callback', async () => {
    const outcome = await stress()
    assert.deepEqual({ code: outcome.code, signal: outcome.signal }, { code: 0, signal: null }, outcome.stderr)
    assert.deepEqual(JSON.parse(outcome.stdout), { listeners: 30, held: 30, callsAfterStop: 0 })
  })
})
