import assert from 'node:assert/strict'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { TypedEventEmitter } from 'main-event'
import { upgradeToDirect } from '../../src/node/direct-upgrade.ts'
import type { Multiaddr } from '@multiformats/multiaddr'

const PEER = peerIdFromString('12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK')
const RELAY = '12D3KooWGzt4wPiQNPTsagv2GvKJx658ed2ReYofPjfWKx4hYjeR'

/** A node whose peer store holds `addresses` for PEER, recording what it is asked to dial */
function fakeNode (addresses: string[]): { node: any, dialled: Promise<Multiaddr[]> } {
  const events = new TypedEventEmitter<any>()
  let onDial!: (addrs: Multiaddr[]) => void
  const dialled = new Promise<Multiaddr[]>(resolve => { onDial = resolve })
  const node = {
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
    dispatchEvent: events.dispatchEvent.bind(events),
    getConnections: () => [],
    peerStore: { get: async () => ({ addresses: addresses.map(a => ({ multiaddr: multiaddr(a) })) }) },
    dial: async (addrs: Multiaddr[]) => {
      onDial(addrs)
      return { remoteAddr: addrs[0] }
    }
  }
  return { node, dialled }
}

/** The peer a libp2p dial of `addrs` goes to: the last /p2p/ of the first address (libp2p 3.3, get-peer.ts) */
function dialTarget (addrs: Multiaddr[]): string | undefined {
  return addrs[0]?.getComponents().findLast(c => c.name === 'p2p')?.value
}

describe('upgrading a relayed connection to a direct one', () => {
  it('dials the peer itself: its peer store addresses do not end in its own /p2p/, the relay\'s is inside them', async () => {
    // as the page held them for user A: without /p2p/<A>, libp2p dialled the relay instead,
    // found the open connection to it, and the upgrade logged success while nothing changed
    const { node, dialled } = fakeNode([
      `/ip4/11.0.0.1/tcp/4001/p2p/${RELAY}/p2p-circuit/webrtc`,
      `/ip4/11.0.0.1/tcp/4001/p2p/${RELAY}/p2p-circuit`
    ])
    const stop = upgradeToDirect(node, { inboundDelayMs: 0 })
    try {
      node.dispatchEvent(new CustomEvent('connection:open', { detail: { remotePeer: PEER, limits: { seconds: 120 }, direction: 'outbound' } }))
      const addrs = await dialled
      assert.deepEqual(addrs.map(String), [`/ip4/11.0.0.1/tcp/4001/p2p/${RELAY}/p2p-circuit/webrtc/p2p/${PEER.toString()}`])
      assert.equal(dialTarget(addrs), PEER.toString())
    } finally {
      stop()
    }
  })

  it('keeps an address that already names the peer as it is', async () => {
    const full = `/ip4/11.0.0.1/tcp/4001/p2p/${RELAY}/p2p-circuit/webrtc/p2p/${PEER.toString()}`
    const { node, dialled } = fakeNode([full])
    const stop = upgradeToDirect(node, { inboundDelayMs: 0 })
    try {
      node.dispatchEvent(new CustomEvent('connection:open', { detail: { remotePeer: PEER, limits: { seconds: 120 }, direction: 'inbound' } }))
      assert.deepEqual((await dialled).map(String), [full])
    } finally {
      stop()
    }
  })

  it('closes the relayed connections once the direct one is open, as dcutr does, so streams kept on them move', async () => {
    // a page's chat stream opened on the relayed connection stayed there, the relay carrying the
    // conversation beside a working direct connection, until the relay's limit ended it
    let closed!: () => void
    const relayedClosed = new Promise<void>(resolve => { closed = resolve })
    const relayed = { remotePeer: PEER, limits: { seconds: 120 }, direction: 'outbound', status: 'open', streams: [], close: async () => { closed() } }
    const { node } = fakeNode([`/ip4/11.0.0.1/tcp/4001/p2p/${RELAY}/p2p-circuit/webrtc`])
    node.getConnections = () => [relayed]
    const stop = upgradeToDirect(node, { inboundDelayMs: 0 })
    try {
      node.dispatchEvent(new CustomEvent('connection:open', { detail: relayed }))
      await relayedClosed
    } finally {
      stop()
    }
  })

  it('lets the streams under way on the relayed connection finish before closing it', async () => {
    // closing at once ended a prekey request or a chat message half way (the connection's close
    // ends the reading side of its streams), and a page's first message went to the mailbox
    const stream = fakeStream()
    let streamOpenAtClose: boolean | undefined
    let closed!: () => void
    const relayedClosed = new Promise<void>(resolve => { closed = resolve })
    const relayed = {
      remotePeer: PEER, limits: { seconds: 120 }, direction: 'outbound', status: 'open', streams: [stream],
      close: async () => { streamOpenAtClose = stream.status === 'open'; closed() }
    }
    const { node } = fakeNode([`/ip4/11.0.0.1/tcp/4001/p2p/${RELAY}/p2p-circuit/webrtc`])
    node.getConnections = () => [relayed]
    const dial = node.dial
    node.dial = async (addrs: Multiaddr[]) => {
      const conn = await dial(addrs)
      // the answer on the relayed stream comes a little after the direct connection opened
      setTimeout(() => { stream.end() }, 50)
      return conn
    }
    const stop = upgradeToDirect(node, { inboundDelayMs: 0 })
    try {
      node.dispatchEvent(new CustomEvent('connection:open', { detail: relayed }))
      await relayedClosed
      assert.equal(streamOpenAtClose, false, 'closed with a stream still open')
    } finally {
      stop()
    }
  })

  it('closes the relayed connection after drainTimeoutMs even when a stream on it never ends', async () => {
    const stream = fakeStream()
    let closed!: () => void
    const relayedClosed = new Promise<void>(resolve => { closed = resolve })
    const relayed = { remotePeer: PEER, limits: { seconds: 120 }, direction: 'outbound', status: 'open', streams: [stream], close: async () => { closed() } }
    const { node } = fakeNode([`/ip4/11.0.0.1/tcp/4001/p2p/${RELAY}/p2p-circuit/webrtc`])
    node.getConnections = () => [relayed]
    const stop = upgradeToDirect(node, { inboundDelayMs: 0, drainTimeoutMs: 100 })
    try {
      node.dispatchEvent(new CustomEvent('connection:open', { detail: relayed }))
      await relayedClosed
      assert.equal(stream.status, 'open')
    } finally {
      stop()
    }
  })
})

/** A stream that stays open until `end()`, which closes it as libp2p's do (status, then 'close') */
function fakeStream (): EventTarget & { status: string, end: () => void } {
  const target = new EventTarget() as EventTarget & { status: string, end: () => void }
  target.status = 'open'
  target.end = () => {
    target.status = 'closed'
    target.dispatchEvent(new Event('close'))
  }
  return target
}
