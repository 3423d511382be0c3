import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { lpStream } from '@libp2p/utils'
import { TempDirs } from '../helpers/temp-dir.ts'
import { connectedTo, startNode } from '../helpers/nodes.ts'
import { CHUNK_BYTES, CHUNK_NONCE_BYTES, CHUNK_TAG_BYTES, FILE_ID_BYTES } from '../../src/files/constants.ts'
import { MAX_REQUEST_RANGES, PROTOCOL, WINDOWLESS_CHUNKS_PER_REQUEST } from '../../src/protocols/file/index.ts'
import { MAX_CHUNK_FRAME_BYTES } from '../../src/protocols/file/constants.ts'
import { FileChunk, FileRequest, FileResponse } from '../../src/protocols/file/pb/file.ts'
import type { Parley } from '../../src/parley.ts'
import type { ChunkSource, FileChunk as Chunk } from '../../src/protocols/file/index.ts'
import type { Connection, Stream } from '@libp2p/interface'

const STALL_MS = 1_500

/** A source of `count` full-size chunks of random bytes (the protocol does not look inside them) */
function randomSource (count: number, served: number[] = []): ChunkSource {
  return {
    chunkCount: count,
    chunk: async (index) => {
      served.push(index)
      return { index, nonce: randomBytes(CHUNK_NONCE_BYTES), ciphertext: randomBytes(CHUNK_BYTES + CHUNK_TAG_BYTES), proof: [randomBytes(32)] } as Chunk
    },
    close: async () => {}
  }
}

async function collect (chunks: AsyncIterable<Chunk>, onEach?: (chunk: Chunk) => Promise<void>): Promise<number[]> {
  const indexes: number[] = []
  for await (const chunk of chunks) {
    indexes.push(chunk.index)
    await onEach?.(chunk)
  }
  return indexes
}

/** Opens a raw stream of the file protocol from `from` to `to` */
async function rawStream (from: Parley, to: Parley): Promise<Stream> {
  const connection = from.node.getConnections(to.peerId)[0]
  return connection.newStream(PROTOCOL)
}

/**
 * The file protocol on the wire between two real nodes: flow control towards a slow receiver,
 * and senders and receivers that send garbage, lie or stall.
 */
describe('file protocol on the wire', function () {
  this.timeout(60_000)
  const dirs = new TempDirs()
  let sender: Parley
  let receiver: Parley
  let connection: Connection
  const fileId = randomBytes(FILE_ID_BYTES)

  before(async () => {
    const file = { stallTimeoutMs: STALL_MS }
    sender = await startNode({ dataDir: await dirs.make(), file })
    receiver = await startNode({ dataDir: await dirs.make(), file, bootstrap: sender.addresses() })
    await connectedTo(receiver, sender.peerId)
    connection = await receiver.node.services.file.directConnection(sender.peerId)
  })

  after(async () => {
    await receiver?.stop()
    await sender?.stop()
    await dirs.cleanup()
  })

  it('a receiver slower than the sender gets every chunk: the stream is paused, not overflowed', async () => {
    // 64 MiB, far past what any reader buffer holds (4 MiB by default)
    const count = 256
    sender.node.services.file.setResolver(async () => randomSource(count))
    const started = Date.now()
    const indexes = await collect(receiver.node.services.file.fetch(connection, fileId, [{ start: 0, end: count }]), async chunk => {
      // a disk far slower than loopback, for the first half
      if (chunk.index < count / 2 && chunk.index % 8 === 0) await delay(25)
    })
    assert.deepEqual(indexes, [...Array(count).keys()])
    assert.ok(Date.now() - started < 30_000)
  })

  it('asks for every missing chunk at once on yamux, and for few enough on a windowless (WebRTC) connection', () => {
    const file = receiver.node.services.file
    assert.equal(connection.multiplexer, '/yamux/1.0.0')
    assert.equal(file.chunksPerRequest(connection), Infinity)
    assert.equal(file.chunksPerRequest({ ...connection, multiplexer: '/webrtc' } as Connection), WINDOWLESS_CHUNKS_PER_REQUEST)
  })

  it('serves the ranges asked for, in order, and nothing else', async () => {
    const served: number[] = []
    sender.node.services.file.setResolver(async () => randomSource(20, served))
    const ranges = [{ start: 1, end: 3 }, { start: 7, end: 8 }, { start: 15, end: 20 }]
    const indexes = await collect(receiver.node.services.file.fetch(connection, fileId, ranges))
    assert.deepEqual(indexes, [1, 2, 7, 15, 16, 17, 18, 19])
    assert.deepEqual(served, indexes)
  })

  it('refuses bad ranges before sending anything', async () => {
    const fetch = receiver.node.services.file
    for (const ranges of [[], [{ start: 3, end: 3 }], [{ start: 5, end: 6 }, { start: 2, end: 4 }], Array.from({ length: MAX_REQUEST_RANGES + 1 }, (_, i) => ({ start: 2 * i, end: 2 * i + 1 }))]) {
      await assert.rejects(collect(fetch.fetch(connection, fileId, ranges)), { name: 'InvalidFileFrameError' })
    }
  })

  it('the sender drops garbage, oversized frames and requests past the file\'s end, and keeps serving', async () => {
    sender.node.services.file.setResolver(async () => randomSource(4))
    const garbage = await rawStream(receiver, sender)
    garbage.send(randomBytes(300))
    const oversized = await rawStream(receiver, sender)
    // a length prefix of 1 GiB
    oversized.send(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x04))
    const pastEnd = await rawStream(receiver, sender)
    await lpStream(pastEnd).write(FileRequest.encode({ fileId, ranges: [{ start: 0, end: 9 }] }))
    const shortId = await rawStream(receiver, sender)
    await lpStream(shortId).write(FileRequest.encode({ fileId: fileId.subarray(1), ranges: [{ start: 0, end: 1 }] }))
    for (const stream of [garbage, oversized, pastEnd, shortId]) {
      // the sender resets the stream: the receiver's read ends without a chunk
      const frames = await collectFrames(stream)
      assert.equal(frames.filter(f => f.ciphertext != null).length, 0)
    }
    assert.deepEqual(await collect(receiver.node.services.file.fetch(connection, fileId, [{ start: 0, end: 4 }])), [0, 1, 2, 3])
  })

  it('a sender that answers out of order, with an oversized frame, or not at all is caught with a typed error', async () => {
    const liar = async (stream: Stream, behaviour: 'order' | 'huge' | 'stall'): Promise<void> => {
      const lp = lpStream(stream, { maxDataLength: 1_024 })
      await lp.read()
      await lp.write(FileResponse.encode({ status: FileResponse.Status.OK, reason: '' }))
      if (behaviour === 'order') await lp.write(FileChunk.encode({ index: 1, nonce: randomBytes(12), ciphertext: randomBytes(64), proof: [] }))
      if (behaviour === 'huge') stream.send(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x04))
      // 'stall': sends nothing more and keeps the stream open
    }
    const cases = [
      ['order', 'InvalidFileFrameError'],
      // a 1 GiB length prefix, longer than any frame's could be: refused at its first byte too many
      ['huge', 'InvalidLengthPrefixError'],
      ['stall', 'TimeoutError']
    ] as const
    // a third node whose file protocol lies
    const liarNode = await startNode({ dataDir: await dirs.make(), bootstrap: sender.addresses() })
    try {
      await liarNode.node.unhandle(PROTOCOL)
      await connectedTo(receiver, liarNode.peerId).catch(async () => receiver.node.dial(liarNode.addresses()[0]))
      const toLiar = await receiver.node.services.file.directConnection(liarNode.peerId)
      for (const [behaviour, name] of cases) {
        await liarNode.node.handle(PROTOCOL, async (stream: Stream) => { await liar(stream, behaviour).catch(() => {}) })
        await assert.rejects(collect(receiver.node.services.file.fetch(toLiar, fileId, [{ start: 0, end: 2 }])), { name }, behaviour)
        await liarNode.node.unhandle(PROTOCOL)
      }
    } finally {
      await liarNode.stop()
    }
    // the receiver still fetches from an honest sender
    sender.node.services.file.setResolver(async () => randomSource(2))
    assert.deepEqual(await collect(receiver.node.services.file.fetch(connection, fileId, [{ start: 0, end: 2 }])), [0, 1])
  })

  it('a refusal reaches the receiver as FileRefusedError with its status', async () => {
    sender.node.services.file.setResolver(async () => { throw Object.assign(new Error('no such file is offered to you'), { name: 'UnknownFileError' }) })
    await assert.rejects(collect(receiver.node.services.file.fetch(connection, fileId, [{ start: 0, end: 1 }])), (err: any) => {
      assert.equal(err.name, 'FileRefusedError')
      assert.equal(err.status, 'unknown')
      return true
    })
  })
})

/** Reads length-prefixed frames until the stream ends or fails; decodes those that are chunks */
async function collectFrames (stream: Stream): Promise<Array<Partial<Chunk>>> {
  const lp = lpStream(stream, { maxDataLength: MAX_CHUNK_FRAME_BYTES })
  const frames: Array<Partial<Chunk>> = []
  try {
    for (;;) {
      const frame = await lp.read({ signal: AbortSignal.timeout(15_000) })
      try {
        frames.push(FileChunk.decode(frame))
      } catch {
        frames.push({})
      }
    }
  } catch (err: any) {
    assert.notEqual(err.name, 'TimeoutError', 'the sender ended the stream rather than leaving it open')
  }
  return frames
}
