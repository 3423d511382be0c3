import assert from 'node:assert/strict'
import { peerIdFromString } from '@libp2p/peer-id'
import { openStreamOnAnyConnection } from '../../src/node/open-stream.ts'

const PEER = peerIdFromString('12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK')

function connection (name: string, limited: boolean, status = 'open'): any {
  return {
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
})
