import assert from 'node:assert/strict'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { defaultLogger } from '@libp2p/logger'
import { TypedEventEmitter } from 'main-event'
import { openStreamOnAnyConnection } from '../../src/node/open-stream.ts'
import { webRTCGuard } from '../../src/node/webrtc-guard.ts'

const PEER = peerIdFromString('12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK')

function connection (name: string, limited: boolean, status = 'open', extra: Record<string, unknown> = {}): any {
  return {
    ...extra,
    status,
    limits: limited ? { seconds: 120 } : undefined,
    newStream: async (protocol: string, options: any) => ({ on: name, protocol, limitedOk: options.runOnLimitedConnection })
  }
}

function manager (connections: any[]): any {
  const dialled: string[] = []
  return {
    dialled,
    getConnections: () => connections,
    openConnection: async () => {
      dialled.push('dial')
      return connection('a new dial', false)
    }
  }
}

describe('opening a stream that may run relayed', () => {
  it('uses the open relayed connection instead of dialling again (libp2p\'s openStream would dial)', async () => {
    const cm = manager([connection('relayed', true)])
    assert.deepEqual(await openStreamOnAnyConnection(cm, PEER, '/parley/chat/1.0.0'), { on: 'relayed', protocol: '/parley/chat/1.0.0', limitedOk: true })
    assert.deepEqual(cm.dialled, [])
  })

  it('prefers an unlimited connection, skips closing ones, and dials when none is open', async () => {
    const both = manager([connection('relayed', true), connection('direct', false), connection('closing', false, 'closing')])
    assert.equal((await openStreamOnAnyConnection(both, PEER, '/x') as any).on, 'direct')
    const none = manager([connection('closing', false, 'closing')])
    assert.equal((await openStreamOnAnyConnection(none, PEER, '/x') as any).on, 'a new dial')
    assert.deepEqual(none.dialled, ['dial'])
  })
})

describe('opening a stream next to a WebRTC connection that never connected', () => {
  /** A `/webrtc` connection as @libp2p/webrtc registers it, with its RTCPeerConnection's state */
  const webrtc = (state: string): any => connection(`webrtc ${state}`, false, 'open', {
    remoteAddr: multiaddr(`/webrtc/p2p/${PEER.toString()}`),
    maConn: { peerConnection: { connectionState: state } }
  })

  it('uses the relayed connection, not an unlimited WebRTC one whose ICE has not connected', async () => {
    // what a page behind a relay held: the answering side of a failed upgrade registers the
    // WebRTC connection anyway (src/node/webrtc-guard.ts), and a stream on it waits for a data
    // channel that never opens, so chat went to the mailbox with the relayed connection open
    for (const state of ['new', 'connecting', 'disconnected', 'failed']) {
      const cm = manager([webrtc(state), connection('relayed', true)])
      assert.equal((await openStreamOnAnyConnection(cm, PEER, '/x') as any).on, 'relayed', state)
    }
  })

  it('still prefers a connected WebRTC connection once identify ran on it, and uses an unconnected one when it is all there is', async () => {
    const connected = webrtc('connected')
    identified(connected)
    assert.equal((await openStreamOnAnyConnection(manager([connection('relayed', true), connected]), PEER, '/x') as any).on, 'webrtc connected')
    const only = manager([webrtc('connecting')])
    assert.equal((await openStreamOnAnyConnection(only, PEER, '/x') as any).on, 'webrtc connecting')
    assert.deepEqual(only.dialled, [])
  })
})

describe('opening a stream next to a WebRTC connection identify has not run on', () => {
  const webrtc = (): any => connection('webrtc', false, 'open', {
    remoteAddr: multiaddr(`/webrtc/p2p/${PEER.toString()}`),
    maConn: { peerConnection: { connectionState: 'connected' } }
  })

  it('uses the relayed connection until identify has run on the WebRTC one, then the WebRTC one', async () => {
    // what a page that answered a WebRTC upgrade held (@libp2p/webrtc 6.0.33): its peer
    // connection connected, but the caller's dial hung (its init channel was closed by the
    // answering side before it saw it open) and never served a stream; the answering side's
    // chat went to that connection and waited five seconds while the relayed one worked
    const fresh = webrtc()
    const cm = manager([fresh, connection('relayed', true)])
    assert.equal((await openStreamOnAnyConnection(cm, PEER, '/x') as any).on, 'relayed')
    identified(fresh)
    assert.equal((await openStreamOnAnyConnection(cm, PEER, '/x') as any).on, 'webrtc')
  })

  it('uses it when it is the only connection', async () => {
    const only = manager([webrtc()])
    assert.equal((await openStreamOnAnyConnection(only, PEER, '/x') as any).on, 'webrtc')
    assert.deepEqual(only.dialled, [])
  })
})

/** What the node's WebRTC guard learns when libp2p's identify completes on `conn` */
function identified (conn: any): void {
  const events = new TypedEventEmitter<any>()
  const guard = webRTCGuard()({ events, logger: defaultLogger() }) as { start: () => void, stop: () => void }
  guard.start()
  events.safeDispatchEvent('peer:identify', { detail: { peerId: PEER, connection: conn } })
  guard.stop()
}
