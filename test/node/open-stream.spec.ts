import assert from 'node:assert/strict'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { openStreamOnAnyConnection } from '../../src/node/open-stream.ts'

const PEER = peerIdFromString('12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK')

function connection (name: string, limited: boolean, status = 'open', webrtcState?: string): any {
  return {
    status,
    limits: limited ? { seconds: 120 } : undefined,
    remoteAddr: multiaddr(webrtcState != null ? `/webrtc/p2p/${PEER.toString()}` : `/ip4/11.0.0.1/tcp/4001/p2p/${PEER.toString()}`),
    maConn: webrtcState != null ? { peerConnection: { connectionState: webrtcState } } : {},
    newStream: async (protocol: string, options: any) => ({ on: name, protocol, limitedOk: options.runOnLimitedConnection })
  }
}

function manager (connections: any[]): any {
  const dialled: string[] = []
  return {
    dialled,
    getConnections: () => connections,
    openStream: async (_peer: unknown, protocol: string) => {
      dialled.push(protocol)
      return { on: 'a new dial', protocol }
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
    assert.deepEqual(none.dialled, ['/x'])
  })

  it('skips a WebRTC connection whose peer connection never connected (what @libp2p/webrtc\'s answering side registers)', async () => {
    const cm = manager([connection('unconnected webrtc', false, 'open', 'checking'), connection('relayed', true)])
    assert.equal((await openStreamOnAnyConnection(cm, PEER, '/x') as any).on, 'relayed')
    const connected = manager([connection('relayed', true), connection('webrtc', false, 'open', 'connected')])
    assert.equal((await openStreamOnAnyConnection(connected, PEER, '/x') as any).on, 'webrtc')
  })
})
