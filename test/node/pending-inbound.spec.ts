import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { TypedEventEmitter } from 'main-event'
import { PendingInbound } from '../../src/node/pending-inbound.ts'
import type { MultiaddrConnection } from '@libp2p/interface'

/** The part of a MultiaddrConnection PendingInbound reads: its address, and its close */
function maConn (address: string): MultiaddrConnection & { closeSocket: () => void } {
  const events = new TypedEventEmitter<{ close: Event }>()
  return Object.assign(events, {
    remoteAddr: multiaddr(address),
    closeSocket: () => { events.dispatchEvent(new Event('close')) }
  }) as any
}

describe('inbound connections still negotiating, per IP', () => {
  it('admits two from an IP, refuses the third, and admits again once one is upgraded or closed', () => {
    const pending = new PendingInbound(2)
    const [a, b, c, d] = [1, 2, 3, 4].map(port => maConn(`/ip4/203.0.113.9/tcp/${port}`))
    assert.equal(pending.admit(a), true)
    assert.equal(pending.admit(b), true)
    assert.equal(pending.admit(c), false)
    assert.equal(pending.admit(maConn('/ip4/203.0.113.10/tcp/1')), true, 'another IP has its own count')
    pending.upgraded(a)
    assert.equal(pending.admit(c), true)
    b.closeSocket()
    assert.equal(pending.count('203.0.113.9'), 1)
    assert.equal(pending.admit(d), true)
  })

  it('does not count relayed connections against the relay\'s IP', () => {
    const pending = new PendingInbound(2)
    const relayed = '/ip4/203.0.113.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA/p2p-circuit'
    for (let i = 0; i < 5; i++) assert.equal(pending.admit(maConn(relayed)), true)
    assert.equal(pending.count('203.0.113.1'), 0)
  })
})
