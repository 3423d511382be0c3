import assert from 'node:assert/strict'
import { request } from 'node:http'
import { dirname } from 'node:path'
import { defaultLogger } from '@libp2p/logger'
import { ControlClient } from '../../src/control/client.ts'
import { startControlServer } from '../../src/control/server.ts'
import { NoDirectConnectionError } from '../../src/protocols/file/errors.ts'
import { QuotaExceededError } from '../../src/protocols/mailbox/errors.ts'
import { InvalidEnvelopeError } from '../../src/crypto/sealed-sender/errors.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { ControlServer } from '../../src/control/server.ts'
import type { Parley } from '../../src/parley.ts'

async function post (path: string, route: string, body: unknown): Promise<{ status: number, json: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: path, path: `/v1${route}`, method: 'POST', headers: { 'content-type': 'application/json' } }, res => {
      let text = ''
      res.on('data', d => { text += d })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }) })
    })
    req.on('error', reject)
    req.end(JSON.stringify(body))
  })
}

/** The status of each kind of failure, whatever route it comes from: a stub node throws them */
describe('control API error statuses', function () {
  const dirs = new TempDirs()
  let server: ControlServer
  let thrown: unknown

  before(async () => {
    const parley = {
      dataDir: await dirs.make(),
      messenger: { send: async () => { throw thrown } }
    } as unknown as Parley
    server = await startControlServer(parley, defaultLogger().forComponent('test'))
  })

  after(async () => {
    await server?.close()
    await dirs.cleanup()
  })

  const cases: Array<{ error: () => unknown, status: number, name: string, code: string, kind: string }> = [
    { error: () => new NoDirectConnectionError(), status: 503, name: 'NoDirectConnectionError', code: 'NO_DIRECT_CONNECTION', kind: 'transient' },
    { error: () => new QuotaExceededError(), status: 403, name: 'QuotaExceededError', code: 'QUOTA_EXCEEDED', kind: 'refused' },
    { error: () => new InvalidEnvelopeError(), status: 500, name: 'InvalidEnvelopeError', code: 'INVALID_ENVELOPE', kind: 'permanent' },
    { error: () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), status: 503, name: 'Error', code: 'UNAVAILABLE', kind: 'transient' },
    { error: () => new TypeError('a bug'), status: 500, name: 'TypeError', code: 'INTERNAL', kind: 'transient' }
  ]
  for (const c of cases) {
    it(`answers ${c.name}${c.code === 'UNAVAILABLE' ? ' (ECONNREFUSED)' : ''} with ${c.status} and its code and kind`, async () => {
      thrown = c.error()
      const answer = await post(server.path, '/messages', { peer: 'bob', text: 'hi' })
      assert.equal(answer.status, c.status)
      assert.deepEqual(answer.json, { error: { name: c.name, code: c.code, kind: c.kind, message: (thrown as Error).message } })
    })
  }

  it('gives the client the daemon-side name, code, kind and status', async () => {
    thrown = new QuotaExceededError('over 1 MiB')
    await assert.rejects(new ControlClient(dirname(server.path)).send('bob', 'hi'), {
      name: 'QuotaExceededError', code: 'QUOTA_EXCEEDED', kind: 'refused', status: 403, message: 'over 1 MiB'
    })
  })
})
