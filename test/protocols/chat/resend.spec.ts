import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { streamPair } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { TypedEventEmitter } from 'main-event'
import { chat } from '../../../src/protocols/chat/index.ts'
import type { IncomingChatMessage } from '../../../src/protocols/chat/index.ts'
import type { PeerId, Stream } from '@libp2p/interface'

/**
 * Two chat services joined by in-memory stream pairs: every stream the sender opens arrives at
 * the receiver's protocol handler, as over one open connection
 */
async function chatPair (options: { brokenDirect?: boolean, silentDirect?: boolean, sendTimeoutMs?: number } = {}): Promise<{ sender: any, receiver: any, receiverPeer: PeerId, opened: () => number, triedBroken: () => number }> {
  const senderPeer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  const receiverPeer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  let onStream!: (stream: Stream, connection: any) => Promise<void>
  let opened = 0
  const registrar = (capture: boolean): any => ({
    handle: async (_protocol: string, handler: any) => { if (capture) onStream = handler },
    unhandle: async () => {}
  })
  let triedBroken = 0
  const toReceiver = {
    remotePeer: receiverPeer,
    remoteAddr: multiaddr('/ip4/127.0.0.1/tcp/4001/p2p-circuit'),
    ...(options.brokenDirect === true || options.silentDirect === true ? { limits: { seconds: 120 } } : {}),
    status: 'open',
    streams: [],
    newStream: async (protocol: string) => {
      opened++
      const [outbound, inbound] = await streamPair({ protocol })
      void onStream(inbound, { remotePeer: senderPeer })
      return outbound
    }
  }
  // a direct connection that is going away: still listed open, but no stream on it gets through
  // (a WebRTC connection whose other side gave up its dial)
  const broken = {
    remotePeer: receiverPeer,
    remoteAddr: multiaddr('/ip4/127.0.0.1/tcp/4002'),
    status: 'open',
    streams: [],
    newStream: async (protocol: string) => {
      triedBroken++
      if (options.silentDirect !== true) throw new Error('User-Initiated Abort, reason=Close called')
      // opens, takes the message, and never answers (data channels that no longer carry anything)
      const [outbound] = await streamPair({ protocol })
      return outbound
    }
  }
  const components = (capture: boolean, connections: any[]): any => ({
    registrar: registrar(capture),
    connectionManager: { getConnections: () => connections, openConnection: async () => connections[0] },
    events: new TypedEventEmitter(),
    logger: defaultLogger()
  })
  const receiver = chat()(components(true, []))
  const sender = chat(options.sendTimeoutMs != null ? { sendTimeoutMs: options.sendTimeoutMs } : {})(components(false, options.brokenDirect === true || options.silentDirect === true ? [broken, toReceiver] : [toReceiver]))
  await receiver.start()
  await sender.start()
  return { sender, receiver, receiverPeer, opened: () => opened, triedBroken: () => triedBroken }
}

describe('chat: a message whose stream breaks before its ack', () => {
  it('goes once more on a fresh stream, and the send resolves with the second ack', async () => {
    // (the connection under a new stream can close mid-message: dcutr closes the relayed one
    // once direct; the receiver acks a repeat without storing it twice)
    const { sender, receiver, receiverPeer, opened } = await chatPair()
    const seen: IncomingChatMessage[] = []
    receiver.setHandler(async (message: IncomingChatMessage) => {
      seen.push(message)
      // the first copy's stream is dropped unacked, as a closing connection drops it
      if (seen.length === 1) throw new Error('the connection closed')
    })
    const id = crypto.getRandomValues(new Uint8Array(16))
    await sender.send(receiverPeer, { id, envelope: new Uint8Array([1, 2, 3]) })
    assert.equal(seen.length, 2)
    assert.deepEqual(seen.map(m => m.id), [id, id], 'the same message, twice')
    assert.equal(opened(), 2, 'on two streams')
    await sender.stop()
    await receiver.stop()
  })

  it('gives up after the second copy breaks too: the caller retries or leaves it with the mailbox', async () => {
    const { sender, receiver, receiverPeer, opened } = await chatPair()
    let copies = 0
    receiver.setHandler(async () => {
      copies++
      throw new Error('the connection closed')
    })
    await assert.rejects(sender.send(receiverPeer, { id: crypto.getRandomValues(new Uint8Array(16)), envelope: new Uint8Array([1]) }))
    assert.equal(copies, 2)
    assert.equal(opened(), 2)
    await sender.stop()
    await receiver.stop()
  })

  it('goes once more on another connection when the one it tried fails, though that one still looks open', async () => {
    // a page's reply went to the mailbox: its stream went on a WebRTC connection the other page
    // was giving up on, and the second copy went on that same connection, not the relayed one
    const { sender, receiver, receiverPeer, opened, triedBroken } = await chatPair({ brokenDirect: true })
    const seen: IncomingChatMessage[] = []
    receiver.setHandler(async (message: IncomingChatMessage) => { seen.push(message) })
    await sender.send(receiverPeer, { id: crypto.getRandomValues(new Uint8Array(16)), envelope: new Uint8Array([1]) })
    assert.equal(triedBroken(), 1, 'the direct connection was tried first, once')
    assert.equal(opened(), 1, 'then the relayed one carried it')
    assert.equal(seen.length, 1)
    await sender.stop()
    await receiver.stop()
  })

  it('gives the first copy half the time: one lost on a connection that never answers still leaves the second its turn', async () => {
    // a page's second message waited the whole 10 s for an ack on a WebRTC connection that
    // carried nothing any more, and went to the mailbox with the relayed connection right there
    const { sender, receiver, receiverPeer, opened, triedBroken } = await chatPair({ silentDirect: true, sendTimeoutMs: 1_000 })
    const seen: IncomingChatMessage[] = []
    receiver.setHandler(async (message: IncomingChatMessage) => { seen.push(message) })
    await sender.send(receiverPeer, { id: crypto.getRandomValues(new Uint8Array(16)), envelope: new Uint8Array([1]) })
    assert.equal(triedBroken(), 1)
    assert.equal(opened(), 1, 'the second copy went on the relayed connection')
    assert.equal(seen.length, 1)
    await sender.stop()
    await receiver.stop()
  })
})
