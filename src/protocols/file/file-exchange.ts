import { serviceCapabilities, setMaxListeners } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { FILE_ID_BYTES, MAX_PROOF_HASHES } from '../../files/constants.ts'
import {
  MAX_CHUNK_FRAME_BYTES, MAX_INBOUND_STREAMS, MAX_READ_AHEAD_BYTES, MAX_READ_BUFFER_BYTES, MAX_OUTBOUND_STREAMS, MAX_REQUEST_BYTES, MAX_REQUEST_RANGES,
  MAX_SERVING, PROTOCOL, REQUEST_TIMEOUT_MS, STALL_TIMEOUT_MS, WINDOWED_MUXERS, WINDOWLESS_CHUNKS_PER_REQUEST
} from './constants.ts'
import { encodeChunkFrame } from './chunk-frame.ts'
import { FileRefusedError, InvalidFileFrameError, NoDirectConnectionError } from './errors.ts'
import { FileChunk, FileRequest, FileResponse } from './pb/file.ts'
import { addressOf, relayedKind } from '../../node/relayed-address.ts'
import { isUnconnectedWebRTC } from '../../node/webrtc-guard.ts'
import { framing } from '../length-prefix.ts'
import type { ChunkSource, FileExchangeComponents, FileExchangeInit, FileResolver } from './index.ts'
import type { ChunkRange } from '../../files/chunk-set.ts'
import type { AbortOptions, Connection, Logger, PeerId, Startable, Stream, StreamMessageEvent } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Uint8ArrayList } from 'uint8arraylist'


const REFUSALS = {
  UnknownFileError: FileResponse.Status.UNKNOWN,
  FileUnavailableError: FileResponse.Status.UNAVAILABLE
} as const

/**
 * Moves a file's chunks from the peer that offered it to the peer it was offered to, over direct
 * connections only. The receiver opens a stream, names the file and the chunk ranges it lacks;
 * the sender answers with a status, then those chunks in that order (each sealed and with its
 * proof, as the `FileResolver` gives them), then closes. Flow control is yamux's: the sender
 * writes as fast as the receiver reads.
 */
export class FileExchange implements Startable {
  readonly protocol: string
  private readonly components: FileExchangeComponents
  private readonly log: Logger
  private readonly stallTimeoutMs: number
  private readonly directWaitMs: number
  private resolver?: FileResolver
  private serving = 0
  private started = false
  private readonly shutdown = new AbortController()

  constructor (components: FileExchangeComponents, init: FileExchangeInit = {}) {
    this.components = components
    this.log = components.logger.forComponent('parley:file')
    this.protocol = init.protocol ?? PROTOCOL
    this.stallTimeoutMs = init.stallTimeoutMs ?? STALL_TIMEOUT_MS
    this.directWaitMs = init.directWaitMs ?? STALL_TIMEOUT_MS
    setMaxListeners(Infinity, this.shutdown.signal)
  }

  readonly [Symbol.toStringTag] = '@parley/file'
  readonly [serviceCapabilities] = ['@parley/file']

  async start (): Promise<void> {
    // no runOnLimitedConnection: libp2p then refuses this protocol on relayed connections both
    // ways, so file bytes never use a relay's bandwidth
    await this.components.registrar.handle(this.protocol, this.onStream.bind(this), {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS
    })
    this.started = true
  }

  async stop (): Promise<void> {
    this.shutdown.abort()
    await this.components.registrar.unhandle(this.protocol)
    this.started = false
  }

  isStarted (): boolean {
    return this.started
  }

  /** Sets what answers requests; until then every request gets UNKNOWN */
  setResolver (resolver: FileResolver): void {
    this.resolver = resolver
  }

  /**
   * A direct (unlimited) connection to `peer`: an open one, else a new dial of its addresses that
   * can give one (not its plain relayed ones, which libp2p's dial order may try first and which
   * would only add a relayed connection), else the direct one that dcutr or a WebRTC upgrade
   * opens within `directWaitMs`.
   *
   * @throws {NoDirectConnectionError} when none came
   */
  async directConnection (peer: PeerId, options: AbortOptions = {}): Promise<Connection> {
    const direct = (): Connection | undefined => this.components.connectionManager.getConnections(peer)
      .find(c => c.limits == null && c.status === 'open' && !isUnconnectedWebRTC(c))
    const open = direct()
    if (open != null) return open
    // watch from now, so an upgrade finishing during the dial below is not missed
    const upgraded = this.nextDirect(peer, options)
    try {
      const dialled = await this.components.connectionManager.openConnection(await this.directCapable(peer, options), { ...options, force: true })
      if (dialled.limits == null) return dialled
      return direct() ?? await upgraded.promise
    } finally {
      upgraded.cancel()
    }
  }

  /**
   * How many chunks one `fetch` on `connection` may ask for: all that are missing where streams
   * have a window (yamux: the read-ahead limit below pauses the sender), else
   * WINDOWLESS_CHUNKS_PER_REQUEST, so unread chunks never reach libp2p's limit
   */
  chunksPerRequest (connection: Connection): number {
    return connection.multiplexer != null && WINDOWED_MUXERS.has(connection.multiplexer) ? Infinity : WINDOWLESS_CHUNKS_PER_REQUEST
  }

  /**
   * Fetches chunks of file `fileId` from `peer` over `connection` (from `directConnection`),
   * yielding each as it arrives, in the order of `ranges`; not checked here beyond the frame's
   * shape and its index. Ends when all arrived.
   *
   * @throws {FileRefusedError} when the sender refuses (unknown file, unavailable, busy)
   * @throws {InvalidFileFrameError} when the sender sends a chunk out of order
   */
  async * fetch (connection: Connection, fileId: Uint8Array, ranges: ChunkRange[], options: AbortOptions = {}): AsyncGenerator<FileChunk> {
    checkRanges(ranges)
    const signal = options.signal != null ? AbortSignal.any([options.signal, this.shutdown.signal]) : this.shutdown.signal
    const stream = await connection.newStream(this.protocol, { signal })
    const readAhead = new ReadAhead(stream)
    try {
      const lp = lpStream(stream, { ...framing(MAX_CHUNK_FRAME_BYTES), maxBufferSize: MAX_READ_BUFFER_BYTES })
      const first = AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])
      await lp.write(FileRequest.encode({ fileId: fileId as Uint8Array<ArrayBuffer>, ranges }), { signal: first })
      const response = FileResponse.decode(readAhead.consumed(await lp.read({ signal: first })))
      if (response.status !== FileResponse.Status.OK) {
        throw new FileRefusedError(statusName(response.status), response.reason === '' ? undefined : response.reason.slice(0, 200))
      }
      for (const range of ranges) {
        for (let index = range.start; index < range.end; index++) {
          readAhead.beforeRead()
          const frame = await lp.read({ signal: AbortSignal.any([signal, AbortSignal.timeout(this.stallTimeoutMs)]) })
          const chunk = FileChunk.decode(readAhead.consumed(frame), { limits: { proof: MAX_PROOF_HASHES } })
          if (chunk.index !== index) {
            throw new InvalidFileFrameError(`expected chunk ${index}, the sender sent ${chunk.index}`)
          }
          yield chunk
        }
      }
      await stream.close({ signal })
    } catch (err: any) {
      stream.abort(err)
      throw err
    } finally {
      readAhead.stop()
      // a consumer that stops early (say, on a corrupt chunk) leaves the stream to us
      if (stream.status === 'open') stream.abort(new Error('the receiver stopped reading'))
    }
  }

  private async onStream (stream: Stream, connection: Connection): Promise<void> {
    const from = connection.remotePeer
    let source: ChunkSource | undefined
    let counted = false
    try {
      const lp = lpStream(stream, framing(MAX_REQUEST_BYTES))
      const respond = async (response: FileResponse): Promise<void> => { await lp.write(FileResponse.encode(response), { signal: first }) }
      const first = AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])
      const request = FileRequest.decode(await lp.read({ signal: first }), { limits: { ranges: MAX_REQUEST_RANGES } })
      if (request.fileId.byteLength !== FILE_ID_BYTES) {
        throw new InvalidFileFrameError(`a file id is ${FILE_ID_BYTES} bytes, got ${request.fileId.byteLength}`)
      }
      checkRanges(request.ranges)
      if (this.serving >= MAX_SERVING) {
        await respond({ status: FileResponse.Status.BUSY, reason: 'serving too many files; try again later' })
        await stream.close({ signal: first })
        return
      }
      this.serving++
      counted = true
      try {
        if (this.resolver == null) throw new Error('not serving files yet')
        source = await this.resolver(request.fileId, from, { signal: first })
      } catch (err: any) {
        const status = REFUSALS[err.name as keyof typeof REFUSALS] ?? FileResponse.Status.UNKNOWN
        await respond({ status, reason: err.message })
        await stream.close({ signal: first })
        return
      }
      const last = request.ranges.reduce((max, r) => Math.max(max, r.end), 0)
      if (last > source.chunkCount) {
        throw new InvalidFileFrameError(`the file has ${source.chunkCount} chunks, asked up to ${last}`)
      }
      await respond({ status: FileResponse.Status.OK, reason: '' })
      await this.serve(lp, source, request.ranges)
      await stream.close({ signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(this.stallTimeoutMs)]) })
    } catch (err: any) {
      this.log('file stream from %p dropped - %s', from, err.message)
      stream.abort(err)
    } finally {
      if (counted) this.serving--
      await source?.close().catch(() => {})
    }
  }

  /** Writes the chunks in order, reading and sealing the next one while the last one drains */
  private async serve (lp: ReturnType<typeof lpStream>, source: ChunkSource, ranges: ChunkRange[]): Promise<void> {
    const indexes = function * (): Generator<number> {
      for (const range of ranges) for (let i = range.start; i < range.end; i++) yield i
    }
    let next: Promise<FileChunk> | undefined
    for (const index of indexes()) {
      const chunk = await (next ?? source.chunk(index, { signal: this.shutdown.signal }))
      next = undefined
      const following = index + 1
      if (ranges.some(r => following >= r.start && following < r.end)) {
        next = source.chunk(following, { signal: this.shutdown.signal })
        // a failed read surfaces when it is awaited, not as an unhandled rejection meanwhile
        next.catch(() => {})
      }
      await lp.write(encodeChunkFrame(chunk), { signal: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(this.stallTimeoutMs)]) })
    }
  }

  /** `peer`'s known addresses that can give a direct connection, or just `peer` (look it up) */
  private async directCapable (peer: PeerId, options: AbortOptions): Promise<PeerId | Multiaddr[]> {
    const known = await this.components.peerStore.get(peer, options).catch(() => undefined)
    const addrs = known?.addresses.map(a => a.multiaddr).filter(ma => relayedKind(ma) !== 'plain') ?? []
    return addrs.length > 0 ? addrs.map(ma => addressOf(peer, ma)) : peer
  }

  private nextDirect (peer: PeerId, options: AbortOptions): { promise: Promise<Connection>, cancel: () => void } {
    const events = this.components.events
    let cancel = (): void => {}
    const promise = new Promise<Connection>((resolve, reject) => {
      const timer = setTimeout(() => { done(new NoDirectConnectionError(`only relayed connections to ${peer.toString()}, and no direct one within ${this.directWaitMs} ms`)) }, this.directWaitMs)
      const onOpen = (evt: CustomEvent<Connection>): void => {
        if (evt.detail.remotePeer.equals(peer) && evt.detail.limits == null && !isUnconnectedWebRTC(evt.detail)) done(undefined, evt.detail)
      }
      const onAbort = (): void => { done(options.signal?.reason ?? new Error('aborted')) }
      const done = (err?: Error, connection?: Connection): void => {
        clearTimeout(timer)
        events.removeEventListener('connection:open', onOpen)
        options.signal?.removeEventListener('abort', onAbort)
        if (connection != null) resolve(connection)
        else reject(err)
      }
      events.addEventListener('connection:open', onOpen)
      options.signal?.addEventListener('abort', onAbort)
      cancel = () => { done(new Error('cancelled')) }
    })
    promise.catch(() => {})
    return { promise, cancel }
  }
}

/**
 * Keeps a receiver from reading ahead without bound. Yamux grants the sender more window as soon
 * as data is handed to the stream's reader, whether or not the receiver has used it, so a sender
 * faster than the receiver's disk would fill the reader's buffer until it overflows (the stream
 * is then aborted). Pausing the stream stops those grants: the moment more than
 * MAX_READ_AHEAD_BYTES lie unread the stream is paused (what is already under way, at most one
 * window, waits in the stream), and it is resumed once the reader is down to a chunk or two.
 */
class ReadAhead {
  private arrived = 0
  private used = 0
  /** Set while `resume()` hands on what waited: pausing inside it would be undone by it */
  private resuming = false
  private readonly onMessage = (evt: StreamMessageEvent): void => {
    this.arrived += evt.data.byteLength
    if (!this.resuming) this.pauseIfFull()
  }

  constructor (private readonly stream: Stream) {
    stream.addEventListener('message', this.onMessage)
  }

  /** Counts a frame the reader returned (and its length prefix) as used; returns it */
  consumed (frame: Uint8ArrayList): Uint8ArrayList {
    this.used += frame.byteLength + varintLength(frame.byteLength)
    return frame
  }

  /** Before a read: resume a paused stream whose reader is nearly empty (or the read would wait forever) */
  beforeRead (): void {
    if (this.stream.readStatus !== 'paused' || this.arrived - this.used >= RESUME_BELOW_BYTES) return
    this.resuming = true
    try {
      this.stream.resume()
    } finally {
      this.resuming = false
    }
    this.pauseIfFull()
  }

  private pauseIfFull (): void {
    if (this.stream.readStatus === 'readable' && this.arrived - this.used > MAX_READ_AHEAD_BYTES) this.stream.pause()
  }

  stop (): void {
    this.stream.removeEventListener('message', this.onMessage)
  }
}

/** Two chunk frames: enough unread that the reader never waits on a resume */
const RESUME_BELOW_BYTES = 2 * MAX_CHUNK_FRAME_BYTES

/** The bytes of an unsigned varint encoding `value` (the length prefix of a frame) */
function varintLength (value: number): number {
  let bytes = 1
  while (value >= 128) {
    value = Math.floor(value / 128)
    bytes++
  }
  return bytes
}

function checkRanges (ranges: ChunkRange[]): void {
  if (ranges.length === 0 || ranges.length > MAX_REQUEST_RANGES) {
    throw new InvalidFileFrameError(`a request names 1 to ${MAX_REQUEST_RANGES} ranges, got ${ranges.length}`)
  }
  let previousEnd = 0
  for (const { start, end } of ranges) {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < previousEnd || end <= start) {
      throw new InvalidFileFrameError('ranges must be non-empty, ascending and disjoint')
    }
    previousEnd = end
  }
}

function statusName (status: FileResponse.Status): 'unknown' | 'unavailable' | 'busy' {
  if (status === FileResponse.Status.UNAVAILABLE) return 'unavailable'
  if (status === FileResponse.Status.BUSY) return 'busy'
  return 'unknown'
}
