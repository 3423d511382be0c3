import assert from 'node:assert/strict'
import { defaultLogger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import { TypedEventEmitter } from 'main-event'
import { webRTCGuard } from '../../src/node/webrtc-guard.ts'
import type { Startable } from '@libp2p/interface'

const PEER = '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'

class FakePeerConnection extends EventTarget {
  constructor (public connectionState: string) { super() }
  become (state: string): void {
    this.connectionState = state
    this.dispatchEvent(new Event('connectionstatechange'))
  }
}

function fakeConnection (remoteAddr: string, pc: FakePeerConnection): { aborted: Promise<Error>, conn: any } {
  let onAbort!: (err: Error) => void
  const aborted = new Promise<Error>(resolve => { onAbort = resolve })
  return { aborted, conn: { remoteAddr: multiaddr(remoteAddr), remotePeer: PEER, maConn: { peerConnection: pc }, abort: onAbort } }
}

describe('the WebRTC guard', () => {
  let events: TypedEventEmitter<any>
  let guard: Startable

  beforeEach(() => {
    events = new TypedEventEmitter()
    guard = webRTCGuard({ connectTimeoutMs: 100 })({ events, logger: defaultLogger() })
    void guard.start()
  })

  afterEach(() => { void guard.stop() })

  it('closes a WebRTC connection whose peer connection never connects', async () => {
    const { aborted, conn } = fakeConnection(`/webrtc/p2p/${PEER}`, new FakePeerConnection('connecting'))
    events.dispatchEvent(new CustomEvent('connection:open', { detail: conn }))
    assert.match((await aborted).message, /did not connect within 100 ms/)
  })

  it('leaves alone one that connects in time, and connections of other transports', async () => {
    const pc = new FakePeerConnection('connecting')
    const webrtc = fakeConnection(`/webrtc/p2p/${PEER}`, pc)
    const tcp = fakeConnection(`/ip4/11.0.0.1/tcp/4001/p2p/${PEER}`, new FakePeerConnection('new'))
    events.dispatchEvent(new CustomEvent('connection:open', { detail: webrtc.conn }))
    events.dispatchEvent(new CustomEvent('connection:open', { detail: tcp.conn }))
    pc.become('connected')
    const outcome = await Promise.race([
      Promise.race([webrtc.aborted, tcp.aborted]).then(err => `aborted: ${err.message}`),
      new Promise(resolve => { setTimeout(resolve, 300, 'left open') })
    ])
    assert.equal(outcome, 'left open')
  })
})
