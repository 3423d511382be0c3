import assert from 'node:assert/strict'
import { createSocket } from 'node:dgram'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { defaultLogger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import { stunServer } from '../../src/stun/server.ts'
import type { StunServer } from '../../src/stun/index.ts'
import type { Socket } from 'node:dgram'

const COOKIE = 0x2112a442

/** A binding request with a fresh transaction id */
function bindingRequest (): { datagram: Uint8Array, id: Buffer } {
  const id = randomBytes(12)
  const datagram = new Uint8Array(20)
  new DataView(datagram.buffer).setUint32(0, 0x00010000)
  new DataView(datagram.buffer).setUint32(4, COOKIE)
  datagram.set(id, 8)
  return { datagram, id }
}

/** The transaction id and XOR-MAPPED-ADDRESS (IPv4) of a binding success response */
function readResponse (datagram: Buffer): { id: Buffer, ip: string, port: number } {
  assert.equal(datagram.readUInt16BE(0), 0x0101, 'a binding success response')
  assert.equal(datagram.readUInt32BE(4), COOKIE)
  assert.equal(datagram.readUInt16BE(20), 0x0020, 'XOR-MAPPED-ADDRESS first')
  assert.equal(datagram.readUInt8(25), 0x01, 'IPv4')
  const port = datagram.readUInt16BE(26) ^ (COOKIE >>> 16)
  const ip = [...datagram.subarray(28, 32)].map((b, i) => b ^ datagram[4 + i]).join('.')
  return { id: datagram.subarray(8, 20), ip, port }
}

describe('the STUN server (real UDP sockets on 127.0.0.1)', () => {
  let server: StunServer
  let client: Socket
  const handled: string[] = []
  const registrar = {
    handle: async (protocol: string) => { handled.push(protocol) },
    unhandle: async (protocol: string) => { handled.splice(handled.indexOf(protocol), 1) }
  }

  async function startServer (init: Parameters<typeof stunServer>[0] = {}): Promise<{ port: number }> {
    server = stunServer({ port: 0, ...init })({
      addressManager: { getListenAddrs: () => [multiaddr('/ip4/127.0.0.1/tcp/0'), multiaddr('/ip4/127.0.0.1/tcp/0/ws'), multiaddr('/p2p-circuit')] },
      registrar,
      logger: defaultLogger()
    })
    await server.start()
    return server.addresses()[0]
  }

  /** Sends `datagrams` and collects the responses until a final binding request is answered */
  async function exchange (port: number, datagrams: Uint8Array[]): Promise<Buffer[]> {
    const last = bindingRequest()
    const responses: Buffer[] = []
    const done = new Promise<void>(resolve => {
      client.on('message', msg => {
        responses.push(msg)
        if (msg.subarray(8, 20).equals(last.id)) resolve()
      })
    })
    for (const d of [...datagrams, last.datagram]) client.send(d, port, '127.0.0.1')
    await done
    client.removeAllListeners('message')
    return responses.slice(0, -1)
  }

  beforeEach(async () => {
    client = createSocket('udp4')
    client.bind(0, '127.0.0.1')
    await once(client, 'listening')
  })

  afterEach(async () => {
    client.close()
    await server?.stop()
  })

  it('answers a binding request with the address and port it came from, once per listening IP, and tells the port over /parley/stun/1.0.0', async () => {
    const { port } = await startServer()
    assert.equal(server.addresses().length, 1)
    assert.deepEqual(handled, ['/parley/stun/1.0.0'])
    const request = bindingRequest()
    client.send(request.datagram, port, '127.0.0.1')
    const [response] = await once(client, 'message') as [Buffer]
    assert.deepEqual(readResponse(response), { id: request.id, ip: '127.0.0.1', port: client.address().port })
    assert.ok(response.byteLength <= request.datagram.byteLength + 12, 'no larger than the request plus the mapped address')
  })

  it('drops garbage unanswered and keeps answering', async () => {
    const { port } = await startServer()
    const valid = bindingRequest().datagram
    const garbage = [
      new Uint8Array(0),
      randomBytes(1),
      randomBytes(19),
      ...Array.from({ length: 200 }, () => randomBytes(20 + Math.floor(Math.random() * 500))),
      // a response, an RFC 3489 request, a length that lies, an oversized request
      Uint8Array.from([0x01, 0x01, ...valid.subarray(2)]),
      Uint8Array.from([...valid.subarray(0, 4), 0, 0, 0, 0, ...valid.subarray(8)]),
      Uint8Array.from([0, 1, 0, 4, ...valid.subarray(4)]),
      Uint8Array.from([0, 1, 0x05, 0x00, ...valid.subarray(4), ...new Uint8Array(0x500)])
    ]
    // in rounds, so no datagram is lost to a full receive buffer (which would pass for dropped)
    for (let i = 0; i < garbage.length; i += 10) {
      assert.deepEqual(await exchange(port, garbage.slice(i, i + 10)), [])
    }
  })

  it('holds one source sending twice its rate to the rate limit', async () => {
    const { port } = await startServer({ rateLimit: { perSourcePerS: 100, burstPerSource: 20 } })
    const answered = new Set<string>()
    client.on('message', msg => answered.add(msg.subarray(8, 20).toString('hex')))
    const started = performance.now()
    let sent = 0
    // 200 a second (twice the rate) for 1 s, in 10 ms ticks of 2
    while (performance.now() - started < 1_000) {
      for (let i = 0; i < 2; i++, sent++) client.send(bindingRequest().datagram, port, '127.0.0.1')
      await new Promise(resolve => setTimeout(resolve, 10))
    }
    const elapsedS = (performance.now() - started) / 1_000
    // the last answers are on their way: one more request answered shows they have arrived
    await new Promise(resolve => setTimeout(resolve, 1_000 / 100 * 2))
    client.removeAllListeners('message')
    await exchange(port, [])
    const allowed = 20 + 100 * (elapsedS + 0.02)
    assert.ok(answered.size <= allowed, `${answered.size} answered of ${sent} in ${elapsedS.toFixed(2)} s; at most ${allowed.toFixed(0)} allowed`)
    assert.ok(sent > answered.size * 1.3, `${answered.size} answered of ${sent}: the limit did not bite`)
  })

  it('throws StunListenError when its port is taken', async () => {
    const { port } = await startServer()
    const second = stunServer({ port })({
      addressManager: { getListenAddrs: () => [multiaddr('/ip4/127.0.0.1/tcp/0')] },
      registrar,
      logger: defaultLogger()
    })
    await assert.rejects(second.start(), { name: 'StunListenError', message: new RegExp(`port ${port}.*EADDRINUSE`) })
  })
})
