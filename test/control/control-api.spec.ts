import assert from 'node:assert/strict'
import { stat } from 'node:fs/promises'
import { request } from 'node:http'
import { connect } from 'node:net'
import { defaultLogger } from '@libp2p/logger'
import { ControlClient } from '../../src/control/client.ts'
import { startControlServer } from '../../src/control/server.ts'
import { MAX_BODY_BYTES } from '../../src/control/constants.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import { startNode } from '../helpers/nodes.ts'
import type { ControlEvent } from '../../src/control/client.ts'
import type { ControlServer } from '../../src/control/server.ts'
import type { Parley } from '../../src/parley.ts'

async function raw (path: string, method: string, body: string | Buffer): Promise<{ status: number, json: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: path, path: '/v1/messages', method, headers: { 'content-type': 'application/json' } }, res => {
      let text = ''
      res.on('data', d => { text += d })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }) })
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('control API', function () {
  const dirs = new TempDirs()
  let a: Parley
  let b: Parley
  let server: ControlServer
  let client: ControlClient

  before(async () => {
    a = await startNode({ dataDir: await dirs.make() })
    b = await startNode({ dataDir: await dirs.make() })
    await a.node.dial(b.addresses()[0])
    server = await startControlServer(a, defaultLogger().forComponent('test'))
    client = new ControlClient(a.dataDir!)
  })

  after(async () => {
    await server?.close()
    await a?.stop()
    await b?.stop()
    await dirs.cleanup()
  })

  it('listens on a socket only its owner can use', async () => {
    assert.equal((await stat(server.path)).mode & 0o777, 0o600)
    assert.equal((await stat(a.dataDir!)).mode & 0o777, 0o700)
  })

  it('reports identity and addresses', async () => {
    const id = await client.id()
    assert.equal(id.peerId, a.peerId.toString())
    assert.equal(id.invite, `parley://${a.peerId.toString()}`)
    assert.deepEqual(id.addresses, a.addresses().map(String))
  })

  it('sends, stores contacts, and streams message and status events', async () => {
    const events: ControlEvent[] = []
    const stop = new AbortController()
    let ready!: () => void
    const subscribed = new Promise<void>(resolve => { ready = resolve })
    const listening = client.events(e => { events.push(e) }, { signal: stop.signal, ready })
    await subscribed

    await client.addContact(b.peerId.toString(), 'bob')
    const sent = await client.send('bob', 'via the API')
    assert.equal(sent.status, 'delivered')
    await b.messenger.send(a.peerId, 'back to you')
    const history = await client.messages({ peer: 'bob' })
    assert.deepEqual(history.map(m => m.text), ['via the API', 'back to you'])
    assert.ok(!('seq' in history[0]), 'internal fields stay internal')

    stop.abort()
    await listening
    assert.deepEqual(events.flatMap(e => e.type === 'status' && e.detail.id === sent.id ? [e.detail.status] : []), ['sending', 'delivered'])
    assert.ok(events.some(e => e.type === 'message' && e.detail.text === 'back to you'))
  })

  it('answers bad requests with 400 and a named error, and keeps serving', async () => {
    const notJson = await raw(server.path, 'POST', '{"peer": ')
    assert.equal(notJson.status, 400)
    assert.equal(notJson.json.error.name, 'BadRequestError')
    const wrongType = await raw(server.path, 'POST', JSON.stringify({ peer: 5, text: 'x' }))
    assert.equal(wrongType.status, 400)
    assert.match(wrongType.json.error.message, /"peer" must be a string/)
    const tooBig = await raw(server.path, 'POST', Buffer.alloc(MAX_BODY_BYTES + 1, 'a'))
    assert.equal(tooBig.status, 400)
    const badPeer = await raw(server.path, 'POST', JSON.stringify({ peer: '../../etc', text: 'x' }))
    assert.equal(badPeer.json.error.name, 'InvalidPeerError')
    await assert.rejects(client.messages({ limit: -1 }), { name: 'BadRequestError' })
    assert.equal((await client.id()).peerId, a.peerId.toString())
  })

  it('marks a safety number as compared, and refuses a mark that is not true or false, or for oneself', async () => {
    const peer = b.peerId.toString()
    assert.deepEqual(await client.safetyNumber(peer), { peer, safetyNumber: await a.messenger.safetyNumber(b.peerId), verified: false })
    const marked = await client.setVerified(peer, true)
    assert.equal(marked.verified, true)
    assert.equal(typeof marked.verifiedAt, 'number')
    assert.deepEqual(await client.safetyNumber(peer), marked)
    await assert.rejects(client.setVerified(peer, 'yes' as any), { name: 'BadRequestError' })
    await assert.rejects(client.setVerified(a.peerId.toString(), true), { name: 'InvalidPeerError' })
    assert.equal((await client.setVerified(peer, false)).verified, false)
  })

  it('survives garbage bytes on the socket', async () => {
    const answer = await new Promise<string>(resolve => {
      let text = ''
      const socket = connect(server.path, () => { socket.end(crypto.getRandomValues(new Uint8Array(2048))) })
      socket.on('data', d => { text += d })
      socket.on('close', () => { resolve(text) })
      socket.on('error', () => {})
    })
    assert.match(answer, /^HTTP\/1.1 400/)
    assert.equal((await client.id()).peerId, a.peerId.toString())
  })

  it('refuses a second server on the same socket while one answers', async () => {
    await assert.rejects(startControlServer(a, defaultLogger().forComponent('test')), { name: 'DataDirLockedError' })
  })

  it('says clearly when no daemon runs', async () => {
    await assert.rejects(new ControlClient(await dirs.make()).id(), { name: 'DaemonNotRunningError' })
  })
})
