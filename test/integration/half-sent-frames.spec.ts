import assert from 'node:assert/strict'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import * as varint from 'uint8-varint'
import { TempDirs } from '../helpers/temp-dir.ts'
import { connectedTo, startNode, LOOPBACK_TCP } from '../helpers/nodes.ts'
import { MAX_INBOUND_STREAMS, MAX_REQUEST_BYTES, PROTOCOL } from '../../src/protocols/mailbox/constants.ts'
import { MAX_UNFINISHED_FRAME_BYTES, MAX_UNFINISHED_FRAME_BYTES_PER_PEER } from '../../src/protocols/frames/index.ts'
import type { Parley } from '../../src/parley.ts'
import type { Libp2p } from '@libp2p/interface'

/** Attackers enough to offer twice the node's budget for unfinished frames */
const ATTACKERS = Math.ceil(2 * MAX_UNFINISHED_FRAME_BYTES / (MAX_INBOUND_STREAMS * MAX_REQUEST_BYTES))

/**
 * Peers that open as many mailbox streams as they may and send on each every byte of a request
 * but its last: before, a storer held each of them (1.2 MiB a stream, the cap of a page it never
 * reads) until its request timeout, and 16 identities raised a relay's RSS by about 250 MiB
 */
describe('half-sent frames', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const running: Parley[] = []
  const attackers: Libp2p[] = []

  after(async () => {
    await Promise.all(attackers.splice(0).map(async a => a.stop()))
    await Promise.all(running.splice(0).map(async n => n.stop().catch(() => {})))
    await dirs.cleanup()
  })

  it(`from ${ATTACKERS} identities, twice the budget: the storer keeps within it and still stores an honest message`, async () => {
    const storer = await startNode({ dataDir: await dirs.make(), relay: true, listen: [LOOPBACK_TCP] })
    running.push(storer)
    const init = { bootstrap: storer.addresses(), mailbox: { replicas: 1 } }
    const b = await startNode({ dataDir: await dirs.make(), ...init })
    await b.node.services.prekeys.published
    await b.stop()

    // every request frame but its last byte, at the frame cap of the storer's requests
    const partial = new Uint8Array([...varint.encode(MAX_REQUEST_BYTES), ...new Uint8Array(MAX_REQUEST_BYTES - 1)])
    const offered = ATTACKERS * MAX_INBOUND_STREAMS
    const fit = Math.floor(MAX_UNFINISHED_FRAME_BYTES / MAX_REQUEST_BYTES)
    let aborted = 0
    const enoughAborted = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`${aborted} of ${offered} streams aborted; expected at least ${offered - fit}`)) }, 30_000)
      const onClose = (): void => {
        if (++aborted < offered - fit) return
        clearTimeout(timer)
        resolve()
      }
      for (let i = 0; i < ATTACKERS; i++) {
        void (async () => {
          const attacker = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
          attackers.push(attacker)
          const connection = await attacker.dial(storer.addresses()[0])
          for (let s = 0; s < MAX_INBOUND_STREAMS; s++) {
            const stream = await connection.newStream(PROTOCOL)
            stream.addEventListener('close', onClose, { once: true })
            stream.send(partial)
          }
        })().catch(reject)
      }
    })
    await enoughAborted

    const frames = storer.node.services.unfinishedFrames
    assert.ok(frames.held() <= MAX_UNFINISHED_FRAME_BYTES, `held ${frames.held()} bytes`)
    assert.ok(MAX_INBOUND_STREAMS * MAX_REQUEST_BYTES <= MAX_UNFINISHED_FRAME_BYTES_PER_PEER, 'one attacker alone stays within its own budget')

    // the streams still open hold what they sent, and honest requests (far smaller) still get in
    const a = await startNode({ dataDir: await dirs.make(), ...init })
    running.push(a)
    await connectedTo(a, storer.peerId)
    const sent = await a.messenger.send(b.peerId, 'an honest message')
    assert.equal(sent.status, 'stored', sent.error)
  })
})
