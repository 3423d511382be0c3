import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { ControlClient } from '../../src/control/client.ts'
import { socketPath } from '../../src/control/socket-path.ts'
import { TempDirs } from '../helpers/temp-dir.ts'
import type { Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/**
 * The control client opens a connection per request and closes it with the answer. Node's
 * global agent keeps connections alive between requests; a daemon's server closes an idle one
 * after 5 s, and a client reusing it at that moment (a slow event loop under load) wrote into a
 * closed socket: a `send` failed with EPIPE though the daemon was fine.
 */
describe('control client connections', function () {
  const dirs = new TempDirs()
  let server: Server
  after(async () => { await dirs.cleanup() })
  afterEach(async () => { await new Promise(resolve => server.close(resolve)) })

  it('closes each connection once it has the answer, leaving none for a server to time out', async () => {
    const dataDir = await dirs.make()
    const sockets: Socket[] = []
    server = createServer((_req, res: ServerResponse) => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ peerId: 'p', invite: 'i', addresses: [] }))
    })
    server.on('connection', socket => { sockets.push(socket) })
    await new Promise<void>(resolve => server.listen(socketPath(dataDir), resolve))

    const client = new ControlClient(dataDir)
    await client.id()
    await client.id()
    assert.equal(sockets.length, 2, 'a connection per request')
    // each is closed by the client right after its answer, well before a keep-alive timeout
    await Promise.all(sockets.map(async socket => new Promise<void>((resolve, reject) => {
      if (socket.destroyed) { resolve(); return }
      const timer = setTimeout(() => { reject(new Error('the client kept the connection open')) }, 2_000)
      socket.once('close', () => { clearTimeout(timer); resolve() })
    })))
  })
})
