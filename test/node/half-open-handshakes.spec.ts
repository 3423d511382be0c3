import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { TempDirs } from '../helpers/temp-dir.ts'
import { startNode, LOOPBACK_TCP } from '../helpers/nodes.ts'
import type { Parley } from '../../src/parley.ts'
import type { Socket } from 'node:net'

/** multistream-select's header, as a dialer sends it first: a length byte, then the text */
const MULTISTREAM = Buffer.from('\x13/multistream/1.0.0\n')

/**
 * Opens a socket from `source` that sends multistream's header and nothing more, and resolves
 * once the node has answered it (it is negotiating) or has closed it (refused)
 */
async function halfOpen (port: number, source: string): Promise<{ socket: Socket, negotiating: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: source })
    socket.once('connect', () => { socket.write(MULTISTREAM) })
    socket.once('data', () => { resolve({ socket, negotiating: true }) })
    socket.once('close', () => { resolve({ socket, negotiating: false }) })
    socket.once('error', err => { if ((err as any).code !== 'ECONNRESET') reject(err) })
  })
}

describe('half-open handshakes (outside LAN mode)', function () {
  this.timeout(60_000)
  const dirs = new TempDirs()
  let victim: Parley
  const sockets: Socket[] = []

  before(async () => {
    victim = await startNode({ dataDir: await dirs.make(), lan: false, listen: [LOOPBACK_TCP] })
  })
  after(async () => {
    for (const s of sockets) s.destroy()
    await victim.stop()
    await dirs.cleanup()
  })

  it('connections from a few IPs that stop after multistream\'s header hold a few slots each: an honest dial still gets in', async () => {
    const port = Number(victim.addresses()[0].getComponents().find(c => c.name === 'tcp')?.value)
    // three sources, each at the per-IP rate libp2p allows (5 new connections a second)
    const sources = ['127.0.0.2', '127.0.0.3', '127.0.0.4']
    const attempts = await Promise.all(sources.flatMap(source => Array.from({ length: 5 }, async () => halfOpen(port, source))))
    sockets.push(...attempts.map(a => a.socket))
    const negotiating = attempts.filter(a => a.negotiating).length
    // before, 10 of the 15 held every slot libp2p has for connections still negotiating
    assert.ok(negotiating <= sources.length * 2, `${negotiating} half-open connections negotiating`)

    const honest = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
    try {
      for (let i = 0; i < 3; i++) {
        const connection = await honest.dial(victim.addresses()[0], { signal: AbortSignal.timeout(5_000) })
        assert.equal(connection.status, 'open')
        await connection.close()
      }
    } finally {
      await honest.stop()
    }
  })
})
