import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { streamPair } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import * as varint from 'uint8-varint'
import { callSignalChannel, MAX_SEALED_BYTES, PROTOCOL } from '../../../src/protocols/call-signal/index.ts'
import { CallSignalFrame } from '../../../src/protocols/call-signal/pb/call-signal.ts'
import type { CallSignalChannel, CallSignalChannelInit, IncomingSignalFrame, SignalFrame } from '../../../src/protocols/call-signal/index.ts'
import type { PeerId, Stream } from '@libp2p/interface'

const frame = (counter: number, call = new Uint8Array(16).fill(1)): SignalFrame => ({ call, counter: BigInt(counter), sealed: new Uint8Array([counter]) })

/** A sender and a receiver joined by an open connection whose streams are in-memory pairs */
async function linked (init: CallSignalChannelInit = {}, take: (frame: IncomingSignalFrame) => Promise<boolean> = async () => true): Promise<{
  sender: CallSignalChannel
  receiver: CallSignalChannel
  receiverPeer: PeerId
  /** The sender's streams, in the order it opened them */
  opened: Stream[]
  /** Opens a stream into the receiver as the sender would, for bytes of the test's own */
  raw: () => Promise<Stream>
  /** Takes the connection away */
  disconnect: () => void
}> {
  const senderPeer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  const receiverPeer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  let onStream!: (stream: Stream, connection: any) => Promise<void>
  const receiver = callSignalChannel(init)({
    registrar: { handle: async (_: string, handler: any) => { onStream = handler }, unhandle: async () => {} },
    connectionManager: { getConnections: () => [] },
    logger: defaultLogger()
  } as any)
  receiver.setHandler(take)
  await receiver.start()
  const raw = async (): Promise<Stream> => {
    const [outbound, inbound] = await streamPair({ protocol: PROTOCOL })
    void onStream(inbound, { remotePeer: senderPeer })
    return outbound
  }
  const opened: Stream[] = []
  let connections: any[] = [{
    remotePeer: receiverPeer,
    remoteAddr: multiaddr('/ip4/127.0.0.1/tcp/4001'),
    status: 'open',
    newStream: async () => {
      const stream = await raw()
      opened.push(stream)
      return stream
    }
  }]
  const sender = callSignalChannel(init)({
    registrar: { handle: async () => {}, unhandle: async () => {} },
    connectionManager: { getConnections: () => connections },
    logger: defaultLogger()
  } as any)
  await sender.start()
  return { sender, receiver, receiverPeer, opened, raw, disconnect: () => { connections = [] } }
}

/** Resolves when `stream` closes */
async function closed (stream: Stream): Promise<void> {
  if (stream.status === 'closed' || stream.status === 'aborted' || stream.status === 'reset') return
  await new Promise(resolve => { stream.addEventListener('close', resolve, { once: true }) })
}

describe('call signalling on a stream of its own', () => {
  it('sends frames one after another without waiting, each resolved by its ack, in order, on one stream', async () => {
    const taken: bigint[] = []
    const { sender, receiverPeer, opened } = await linked({}, async f => { taken.push(f.counter); return true })
    await Promise.all(Array.from({ length: 20 }, async (_, i) => sender.send(receiverPeer, frame(i + 1))))
    assert.deepEqual(taken, Array.from({ length: 20 }, (_, i) => BigInt(i + 1)))
    assert.equal(opened.length, 1)
    await sender.stop()
  })

  it('a frame the receiver refuses fails alone with SignalRefusedError; the stream goes on', async () => {
    const { sender, receiverPeer, opened } = await linked({}, async f => f.counter !== 2n)
    const results = await Promise.allSettled([1, 2, 3].map(async n => sender.send(receiverPeer, frame(n))))
    assert.deepEqual(results.map(r => r.status === 'rejected' ? r.reason.name : 'ok'), ['ok', 'SignalRefusedError', 'ok'])
    assert.equal(opened.length, 1)
    await sender.stop()
  })

  it('a receiver whose handler throws refuses the frame and keeps serving', async () => {
    const { sender, receiverPeer } = await linked({}, async f => { if (f.counter === 1n) throw new Error('broken'); return true })
    await assert.rejects(sender.send(receiverPeer, frame(1)), { name: 'SignalRefusedError' })
    await sender.send(receiverPeer, frame(2))
    await sender.stop()
  })

  it('dials nobody: with no open connection a send fails at once with NotConnectedError', async () => {
    const { sender, receiverPeer, opened, disconnect } = await linked()
    disconnect()
    await assert.rejects(sender.send(receiverPeer, frame(1)), { name: 'NotConnectedError' })
    assert.equal(opened.length, 0)
    await sender.stop()
  })

  it('never sends a frame that breaks a limit (InvalidSignalFrameError)', async () => {
    const { sender, receiverPeer, opened } = await linked()
    for (const bad of [
      { ...frame(1), call: new Uint8Array(15) },
      { ...frame(1), counter: 0n },
      { ...frame(1), sealed: new Uint8Array(0) },
      { ...frame(1), sealed: new Uint8Array(MAX_SEALED_BYTES + 1) }
    ]) {
      await assert.rejects(sender.send(receiverPeer, bad), { name: 'InvalidSignalFrameError' })
    }
    assert.equal(opened.length, 0)
    await sender.stop()
  })

  it('a receiver that never acks: the frames waiting fail at the timeout, and the next send opens a new stream', async () => {
    let stall = true
    const { sender, receiverPeer, opened } = await linked({ sendTimeoutMs: 300 }, async () => stall ? new Promise<boolean>(() => {}) : true)
    const results = await Promise.allSettled([1, 2, 3].map(async n => sender.send(receiverPeer, frame(n))))
    assert.deepEqual(results.map(r => r.status), ['rejected', 'rejected', 'rejected'])
    await closed(opened[0])
    stall = false
    await sender.send(receiverPeer, frame(4))
    assert.equal(opened.length, 2)
    await sender.stop()
  })

  it('closes a stream with nothing under way after the sender\'s idle time; the next frame opens another', async () => {
    const { sender, receiverPeer, opened } = await linked({ senderIdleMs: 50 })
    await sender.send(receiverPeer, frame(1))
    await closed(opened[0])
    await sender.send(receiverPeer, frame(2))
    assert.equal(opened.length, 2)
    await sender.stop()
  })

  it('the receiver drops a stream of garbage, a length prefix that never ends, a frame over the cap or one out of its limits, and goes on serving', async () => {
    const taken: bigint[] = []
    const { sender, receiverPeer, raw } = await linked({}, async f => { taken.push(f.counter); return true })
    const badFrame = CallSignalFrame.encode({ call: new Uint8Array(3), counter: 1n, sealed: new Uint8Array([1]) })
    for (const bytes of [
      new Uint8Array([5, 0xff, 0xff, 0xff, 0xff, 0xff]),
      new Uint8Array(64).fill(0x80),
      varint.encode(MAX_SEALED_BYTES * 2),
      new Uint8Array([...varint.encode(badFrame.byteLength), ...badFrame])
    ]) {
      const stream = await raw()
      stream.send(bytes)
      await closed(stream)
    }
    assert.deepEqual(taken, [])
    await sender.send(receiverPeer, frame(1))
    assert.deepEqual(taken, [1n])
    await sender.stop()
  })
})
