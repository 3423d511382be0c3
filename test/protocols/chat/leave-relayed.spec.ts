import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { streamPair } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { TypedEventEmitter } from 'main-event'
import { webRTCGuard } from '../../../src/node/webrtc-guard.ts'
import { chat } from '../../../src/protocols/chat/index.ts'
import type { Stream } from '@libp2p/interface'

describe('chat: a conversation on a relayed connection when a WebRTC one opens', () => {
  it('moves to the WebRTC connection once identify has run on it, not before', async () => {
    const senderPeer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const receiverPeer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    let onStream!: (stream: Stream, connection: any) => Promise<void>
    const receiver = chat()({
      registrar: { handle: async (_: string, handler: any) => { onStream = handler }, unhandle: async () => {} },
      connectionManager: { getConnections: () => [], openConnection: async () => { throw new Error('no dial') } },
      events: new TypedEventEmitter(),
      logger: defaultLogger()
    } as any)
    receiver.setHandler(async () => {})
    await receiver.start()

    const streamsOn: string[] = []
    const closed = new Map<string, Promise<void>>()
    const connectionTo = (name: string, remoteAddr: string, extra: Record<string, unknown>): any => ({
      ...extra,
      remotePeer: receiverPeer,
      remoteAddr: multiaddr(remoteAddr),
      status: 'open',
      streams: [],
      newStream: async (protocol: string) => {
        streamsOn.push(name)
        const [outbound, inbound] = await streamPair({ protocol })
        closed.set(name, new Promise(resolve => { outbound.addEventListener('close', () => { resolve() }, { once: true }) }))
        void onStream(inbound, { remotePeer: senderPeer })
        return outbound
      }
    })
    const relayed = connectionTo('relayed', '/ip4/127.0.0.1/tcp/4001/p2p-circuit', { limits: { seconds: 120 } })
    // connected, but the other side may not serve it yet (src/node/webrtc-guard.ts)
    const webrtc = connectionTo('webrtc', `/webrtc/p2p/${receiverPeer.toString()}`, { maConn: { peerConnection: { connectionState: 'connected' } } })
    const connections: any[] = [relayed]
    const events = new TypedEventEmitter<any>()
    const guard = webRTCGuard()({ events, logger: defaultLogger() }) as { start: () => void, stop: () => void }
    guard.start()
    // idling out would close the stream too, but only after a minute
    const sender = chat({ idleTimeoutMs: 60_000 })({
      registrar: { handle: async () => {}, unhandle: async () => {} },
      connectionManager: { getConnections: () => connections, openConnection: async () => { throw new Error('no dial') } },
      events,
      logger: defaultLogger()
    } as any)
    await sender.start()
    const send = async (): Promise<void> => sender.send(receiverPeer, { id: crypto.getRandomValues(new Uint8Array(16)), envelope: new Uint8Array([1]) })

    await send()
    connections.push(webrtc)
    events.safeDispatchEvent('connection:open', { detail: webrtc })
    await send()
    assert.deepEqual(streamsOn, ['relayed'], 'the kept relayed stream carries on while identify has not run on the WebRTC connection')

    // with no message under way the kept relayed stream closes at once, so the relayed connection
    // (which a page closes once its streams end) can go without waiting for the stream to idle out
    events.safeDispatchEvent('peer:identify', { detail: { peerId: receiverPeer, connection: webrtc } })
    await closed.get('relayed')
    await send()
    assert.deepEqual(streamsOn, ['relayed', 'webrtc'])

    await sender.stop()
    await receiver.stop()
    guard.stop()
  })
})
