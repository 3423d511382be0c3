import { serviceCapabilities } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import { IDLE_TIMEOUT_MS, MAX_FRAME_BYTES, MAX_INBOUND_STREAMS, MAX_OUTBOUND_STREAMS, MAX_SEALED_BYTES, MAX_UNACKED_FRAMES, PROTOCOL, SENDER_IDLE_MS, SEND_TIMEOUT_MS } from './constants.ts'
import { InvalidSignalFrameError, NotConnectedError, SignalRefusedError } from './errors.ts'
import { CALL_ID_BYTES } from '../../calls/constants.ts'
import { CallSignalAck, CallSignalFrame } from './pb/call-signal.ts'
import { preferredConnection } from '../../node/open-stream.ts'
import { framing } from '../length-prefix.ts'
import type { CallSignalChannelComponents, CallSignalChannelInit, SignalFrame, SignalFrameHandler } from './index.ts'
import type { AbortOptions, Connection, Logger, PeerId, Startable, Stream } from '@libp2p/interface'
import type { ProtobufStream } from '@libp2p/utils'

interface Waiting {
  resolve: () => void
  reject: (err: Error) => void
}

/** The stream kept to one peer: frames go out one after another, acks come back in their order */
interface Outbound {
  peer: string
  /** The stream, once open */
  ready: Promise<{ stream: Stream, pb: ProtobufStream<Stream> }>
  /** The last write queued: writes go out in the order `send` was called */
  writing: Promise<void>
  /** Frames sent or queued and not yet acked, oldest first */
  waiting: Waiting[]
  /** Frames written and waiting for their acks, oldest first (the acks come in this order) */
  written: Waiting[]
  idle?: ReturnType<typeof setTimeout>
  dropped: boolean
}

/**
 * A call's signalling between two connected peers: each frame written at once behind the ones
 * before it, each resolved by its ack. One stream is kept per peer while frames come; it closes
 * after a quiet while, and a failure on it fails every frame still waiting, so that the caller
 * sends them (and the call's later ones) through the session instead.
 */
export class CallSignalChannel implements Startable {
  readonly protocol: string
  private readonly components: CallSignalChannelComponents
  private readonly log: Logger
  private readonly sendTimeoutMs: number
  private readonly senderIdleMs: number
  private readonly idleTimeoutMs: number
  private readonly outbound = new Map<string, Outbound>()
  private handler?: SignalFrameHandler
  private started = false

  constructor (components: CallSignalChannelComponents, init: CallSignalChannelInit = {}) {
    this.components = components
    this.log = components.logger.forComponent('parley:call-signal')
    this.protocol = init.protocol ?? PROTOCOL
    this.sendTimeoutMs = init.sendTimeoutMs ?? SEND_TIMEOUT_MS
    this.senderIdleMs = init.senderIdleMs ?? SENDER_IDLE_MS
    this.idleTimeoutMs = init.idleTimeoutMs ?? IDLE_TIMEOUT_MS
  }

  readonly [Symbol.toStringTag] = '@parley/call-signal'
  readonly [serviceCapabilities] = ['@parley/call-signal']

  async start (): Promise<void> {
    await this.components.registrar.handle(this.protocol, this.onStream.bind(this), {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS,
      // two peers behind NATs may have nothing but a relayed connection: signalling is small
      runOnLimitedConnection: true
    })
    this.started = true
  }

  async stop (): Promise<void> {
    await this.components.registrar.unhandle(this.protocol)
    for (const out of [...this.outbound.values()]) this.drop(out, new Error('call signalling stopped'))
    this.started = false
  }

  isStarted (): boolean {
    return this.started
  }

  /** Sets what takes each incoming frame; until one is set every frame is refused */
  setHandler (handler: SignalFrameHandler): void {
    this.handler = handler
  }

  /**
   * Sends a frame to `peer` behind the ones sent to it before, over a connection already open
   * (nothing is dialled); resolves once the peer acked it.
   *
   * @throws {NotConnectedError} when no connection to `peer` is open
   * @throws {SignalRefusedError} when the peer did not take it
   * @throws {InvalidSignalFrameError} when the frame breaks a limit
   * Stream failures and the timeout pass through: every frame still waiting on the stream fails
   */
  async send (peer: PeerId, frame: SignalFrame, options: AbortOptions = {}): Promise<void> {
    validate(frame)
    if (!this.started) throw new NotConnectedError('call signalling is not running')
    const out = this.outbound.get(peer.toString()) ?? this.open(peer)
    if (out.waiting.length >= MAX_UNACKED_FRAMES) throw new SignalRefusedError(`over ${MAX_UNACKED_FRAMES} frames wait for their acks`)
    clearTimeout(out.idle)
    const signal = options.signal ?? AbortSignal.timeout(this.sendTimeoutMs)
    const acked = new Promise<void>((resolve, reject) => {
      const waiting = { resolve, reject }
      out.waiting.push(waiting)
      out.writing = out.writing.then(async () => {
        if (out.dropped) return
        const { pb } = await out.ready
        out.written.push(waiting)
        await pb.write({ call: frame.call as Uint8Array<ArrayBuffer>, counter: frame.counter, sealed: frame.sealed as Uint8Array<ArrayBuffer> }, CallSignalFrame, { signal })
      }).catch(err => { this.drop(out, err) })
    })
    const onAbort = (): void => { this.drop(out, signal.reason ?? new Error('aborted')) }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      await acked
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  /** Starts opening a stream to `peer` on a connection open now, and keeps it */
  private open (peer: PeerId): Outbound {
    const connection = preferredConnection(this.components.connectionManager.getConnections(peer))
    if (connection == null) throw new NotConnectedError(`no open connection to ${peer.toString()}`)
    const out: Outbound = { peer: peer.toString(), ready: undefined as any, writing: Promise.resolve(), waiting: [], written: [], dropped: false }
    out.ready = this.openStream(connection, out)
    // a failure to open fails the frames waiting for it (the write queue awaits `ready`)
    out.ready.catch(() => {})
    this.outbound.set(out.peer, out)
    return out
  }

  private async openStream (connection: Connection, out: Outbound): Promise<{ stream: Stream, pb: ProtobufStream<Stream> }> {
    const stream = await connection.newStream(this.protocol, { signal: AbortSignal.timeout(this.sendTimeoutMs), runOnLimitedConnection: true })
    const pb = pbStream(stream, framing(MAX_FRAME_BYTES))
    const closed = (): void => { this.drop(out, new Error('the call signalling stream closed')) }
    stream.addEventListener('close', closed, { once: true })
    stream.addEventListener('remoteCloseWrite', closed, { once: true })
    if (out.dropped) stream.abort(new Error('dropped while it opened'))
    void this.readAcks(out, pb)
    return { stream, pb }
  }

  /** Resolves each written frame with its ack, in order; anything else drops the stream */
  private async readAcks (out: Outbound, pb: ProtobufStream<Stream>): Promise<void> {
    try {
      while (!out.dropped) {
        const ack = await pb.read(CallSignalAck)
        const waiting = out.written.shift()
        if (waiting == null) throw new Error('an ack for no frame')
        const at = out.waiting.indexOf(waiting)
        if (at >= 0) out.waiting.splice(at, 1)
        if (ack.status === CallSignalAck.Status.OK) waiting.resolve()
        else waiting.reject(new SignalRefusedError())
        if (out.waiting.length === 0) this.idleLater(out)
      }
    } catch (err: any) {
      this.drop(out, err)
    }
  }

  /** Closes the stream kept for `out` if nothing is sent on it for a while */
  private idleLater (out: Outbound): void {
    clearTimeout(out.idle)
    out.idle = setTimeout(() => {
      if (out.waiting.length > 0 || out.dropped) return
      out.dropped = true
      if (this.outbound.get(out.peer) === out) this.outbound.delete(out.peer)
      out.ready.then(async ({ stream }) => stream.close({ signal: AbortSignal.timeout(this.sendTimeoutMs) }).catch((err: any) => { stream.abort(err) }), () => {})
    }, this.senderIdleMs)
  }

  /** Forgets `out`, aborts its stream, and fails every frame still waiting on it */
  private drop (out: Outbound, err: Error): void {
    clearTimeout(out.idle)
    if (this.outbound.get(out.peer) === out) this.outbound.delete(out.peer)
    const waiting = out.waiting.splice(0)
    out.written.length = 0
    if (!out.dropped) {
      out.dropped = true
      if (waiting.length > 0) this.log('call signalling to %s dropped with %d frames waiting - %s', out.peer, waiting.length, err.message)
      out.ready.then(({ stream }) => { stream.abort(err) }, () => {})
    }
    for (const w of waiting) w.reject(err)
  }

  private async onStream (stream: Stream, connection: Connection): Promise<void> {
    const from = connection.remotePeer
    const pb = pbStream(stream, framing(MAX_FRAME_BYTES))
    try {
      while (true) {
        const idle = AbortSignal.timeout(this.idleTimeoutMs)
        let frame: CallSignalFrame
        try {
          frame = await pb.read(CallSignalFrame, { signal: idle })
        } catch (err: any) {
          if (err.name === 'UnexpectedEOFError' && stream.readBufferLength === 0) break // closed between frames
          throw err
        }
        validate(frame)
        const taken = await this.take({ ...frame, from }, idle)
        await pb.write({ status: taken ? CallSignalAck.Status.OK : CallSignalAck.Status.REFUSED }, CallSignalAck, { signal: idle })
      }
      await stream.close()
    } catch (err: any) {
      this.log('call signalling from %p dropped - %s', from, err.message)
      stream.abort(err)
    }
  }

  private async take (frame: Parameters<SignalFrameHandler>[0], signal: AbortSignal): Promise<boolean> {
    if (this.handler == null) return false
    try {
      return await this.handler(frame, { signal })
    } catch (err: any) {
      this.log('a call signal from %p not taken - %s', frame.from, err.message)
      return false
    }
  }
}

/** @throws {InvalidSignalFrameError} when `frame` breaks a limit (one sent, or one read) */
function validate (frame: SignalFrame): void {
  if (frame.call.byteLength !== CALL_ID_BYTES) throw new InvalidSignalFrameError(`a call id is ${CALL_ID_BYTES} bytes`)
  if (frame.counter < 1n) throw new InvalidSignalFrameError('a frame counter starts at 1')
  if (frame.sealed.byteLength === 0 || frame.sealed.byteLength > MAX_SEALED_BYTES) throw new InvalidSignalFrameError(`a sealed signal is 1 to ${MAX_SEALED_BYTES} bytes`)
}
