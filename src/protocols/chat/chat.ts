import { serviceCapabilities, setMaxListeners } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import { anySignal } from 'any-signal'
import { equals } from 'uint8arrays/equals'
import { IDLE_TIMEOUT_MS, MAX_ENVELOPE_BYTES, MAX_FRAME_BYTES, MAX_INBOUND_STREAMS, MAX_OUTBOUND_STREAMS, MESSAGE_ID_BYTES, PROTOCOL, SEND_TIMEOUT_MS } from './constants.ts'
import { InvalidChatMessageError, MessageRefusedError, MessageRejectedError, UnexpectedAckError } from './errors.ts'
import { ChatAck, ChatMessage } from './pb/chat.ts'
import { hasBetterConnection, openStreamWithConnection, preferredConnection } from '../../node/open-stream.ts'
import { framing } from '../length-prefix.ts'
import type { ChatComponents, ChatHandler, ChatInit, OutgoingChatMessage } from './index.ts'
import type { AbortOptions, Connection, IdentifyResult, Logger, PeerId, Startable, Stream } from '@libp2p/interface'
import type { ProtobufStream } from '@libp2p/utils'

interface OutboundStream {
  stream: Stream
  /** The connection the stream is on */
  connection: Connection
  pb: ProtobufStream<Stream>
}

/** Direct messages between two connected peers, each acknowledged once durably stored. */
export class Chat implements Startable {
  readonly protocol: string
  private readonly components: ChatComponents
  private readonly log: Logger
  private readonly sendTimeoutMs: number
  private readonly idleTimeoutMs: number
  private readonly maxInboundStreams: number
  private readonly maxOutboundStreams: number
  private handler?: ChatHandler
  private started = false
  /** The open outbound stream per peer, kept for the next message */
  private readonly outbound = new Map<string, OutboundStream>()
  /** The last send queued per peer */
  private readonly sending = new Map<string, Promise<void>>()
  /**
   * A direct connection opened: the stream kept to that peer moves off its relayed connection as
   * soon as no message is under way on it, so the relayed connection is left idle to close
   */
  private readonly onConnectionOpen = (evt: CustomEvent<Connection>): void => {
    this.directConnectionOpen(evt.detail)
  }

  /** A WebRTC connection is used once identify has run on it (`isUnprovenWebRTC`) */
  private readonly onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
    this.directConnectionOpen(evt.detail.connection)
  }

  constructor (components: ChatComponents, init: ChatInit = {}) {
    this.components = components
    this.log = components.logger.forComponent('parley:chat')
    this.protocol = init.protocol ?? PROTOCOL
    this.sendTimeoutMs = init.sendTimeoutMs ?? SEND_TIMEOUT_MS
    this.idleTimeoutMs = init.idleTimeoutMs ?? IDLE_TIMEOUT_MS
    this.maxInboundStreams = init.maxInboundStreams ?? MAX_INBOUND_STREAMS
    this.maxOutboundStreams = init.maxOutboundStreams ?? MAX_OUTBOUND_STREAMS
  }

  readonly [Symbol.toStringTag] = '@parley/chat'
  readonly [serviceCapabilities] = ['@parley/chat']

  async start (): Promise<void> {
    await this.components.registrar.handle(this.protocol, this.onStream.bind(this), {
      maxInboundStreams: this.maxInboundStreams,
      maxOutboundStreams: this.maxOutboundStreams,
      // relays carry chat: small messages fit well inside circuit relay v2's limits
      runOnLimitedConnection: true
    })
    this.components.events.addEventListener('connection:open', this.onConnectionOpen)
    this.components.events.addEventListener('peer:identify', this.onIdentify)
    this.started = true
  }

  async stop (): Promise<void> {
    this.components.events.removeEventListener('connection:open', this.onConnectionOpen)
    this.components.events.removeEventListener('peer:identify', this.onIdentify)
    await this.components.registrar.unhandle(this.protocol)
    for (const { stream } of this.outbound.values()) {
      stream.abort(new Error('chat stopped'))
    }
    this.outbound.clear()
    this.started = false
  }

  isStarted (): boolean {
    return this.started
  }

  /**
   * Sets what happens to each valid incoming message. The ack is sent once the returned promise
   * resolves, so the handler must have stored the message durably by then. Until a handler is
   * set, incoming streams are closed unanswered and senders retry later.
   */
  setHandler (handler: ChatHandler): void {
    this.handler = handler
  }

  /**
   * Sends one message and resolves when the recipient acknowledges it. Dials the peer if needed
   * (through the peer store, else the DHT). Throws `MessageRejectedError` if the recipient
   * refused it; connection and timeout errors pass through for the caller to retry.
   */
  async send (peer: PeerId, message: OutgoingChatMessage, options: AbortOptions = {}): Promise<void> {
    validate(message)
    const signal = options.signal ?? AbortSignal.timeout(this.sendTimeoutMs)
    setMaxListeners(Infinity, signal)
    // one message at a time per peer: the stream carries a message, then its ack, then the next
    return this.inTurn(peer, async () => this.sendOnStream(peer, message, signal))
  }

  /** Runs `task` after everything queued for `peer` before it has settled */
  private async inTurn <T> (peer: PeerId, task: () => Promise<T>): Promise<T> {
    const key = peer.toString()
    const previous = this.sending.get(key) ?? Promise.resolve()
    const run = previous.then(task, task)
    const tail = run.then(() => {}, () => {})
    this.sending.set(key, tail)
    void tail.then(() => { if (this.sending.get(key) === tail) this.sending.delete(key) })
    return run
  }

  /**
   * Sends over the peer's open chat stream, or a new one. A kept stream may have been closed by
   * the other side meanwhile (its idle timeout), and a new one's connection closed under it (an
   * upgrade to direct closes the relayed one): then the message goes once more on a fresh
   * stream, on another connection than the one that failed if there is one; if the first copy
   * did arrive, the recipient acks the repeat without storing it twice.
   */
  private async sendOnStream (peer: PeerId, message: OutgoingChatMessage, signal: AbortSignal): Promise<void> {
    let failed: Connection | undefined
    for (let attempt = 0; ; attempt++) {
      this.leaveRelayed(peer)
      let open: OutboundStream | undefined = this.outbound.get(peer.toString())
      // the first copy gets half the time: a connection that still looks open but carries
      // nothing (a WebRTC connection its other side gave up) must leave the second its turn
      const turn = attempt === 0 ? AbortSignal.any([signal, AbortSignal.timeout(this.sendTimeoutMs / 2)]) : signal
      try {
        open ??= await this.openOutbound(peer, turn, failed)
        await open.pb.write({ id: message.id, envelope: message.envelope }, ChatMessage, { signal: turn })
        const ack = await open.pb.read(ChatAck, { signal: turn })
        if (!equals(ack.id, message.id)) {
          throw new UnexpectedAckError()
        }
        if (ack.status === ChatAck.Status.REJECTED) {
          throw new MessageRejectedError(ack.reason === '' ? undefined : ack.reason, { newSession: ack.newSession })
        }
        return
      } catch (err: any) {
        if (err.name === MessageRejectedError.name) throw err
        this.log('sending to %p failed (attempt %d, on %s) - %s', peer, attempt + 1, open == null ? 'no stream' : `${open.connection.limits != null ? 'a relayed' : 'a direct'} connection ${open.connection.id}`, err.message)
        if (open != null) this.dropOutbound(peer, open, err)
        // the connection that failed may still be listed open: a WebRTC connection whose other
        // side gave up its dial is closed a moment later, and a stream opened on it meanwhile
        // fails the same way
        failed = open?.connection ?? failed ?? preferredConnection(this.components.connectionManager.getConnections(peer))
        // once more on a fresh stream, kept or new alike: the connection under a new one may be
        // closed mid-message too (dcutr, or a page's upgrade, closes the relayed connection once
        // direct), and the repeat costs nothing if the first copy arrived (acked, not stored twice)
        if (attempt === 0 && !signal.aborted) continue
        throw err
      }
    }
  }

  /**
   * Closes the peer's kept stream if it is on a relayed connection and a direct one is open now
   * (called in turn, so no message is under way on it): the next message opens its stream on the
   * direct connection, the relay stops carrying the conversation, and the relayed connection can
   * close without cutting a message off.
   */
  private leaveRelayed (peer: PeerId): void {
    const kept = this.outbound.get(peer.toString())
    if (kept == null || !hasBetterConnection(kept.connection, this.components.connectionManager.getConnections(peer))) return
    this.outbound.delete(peer.toString())
    kept.stream.close({ signal: AbortSignal.timeout(this.idleTimeoutMs) }).catch((err: any) => { kept.stream.abort(err) })
  }

  /** A kept stream on a relayed connection moves to `connection` if it is direct */
  private directConnectionOpen ({ remotePeer, limits }: Connection): void {
    if (limits != null || !this.outbound.has(remotePeer.toString())) return
    void this.inTurn(remotePeer, async () => { this.leaveRelayed(remotePeer) })
  }

  /** Opens a stream to `peer` and keeps it, on another connection than `avoid` if there is one */
  private async openOutbound (peer: PeerId, signal: AbortSignal, avoid?: Connection): Promise<OutboundStream> {
    const { stream, connection } = await openStreamWithConnection(this.components.connectionManager, peer, this.protocol, { signal, avoid })
    const open = { stream, connection, pb: pbStream(stream, framing(MAX_FRAME_BYTES)) }
    const forget = (): void => {
      if (this.outbound.get(peer.toString())?.stream === stream) this.outbound.delete(peer.toString())
    }
    stream.addEventListener('close', forget, { once: true })
    stream.addEventListener('remoteCloseWrite', forget, { once: true })
    this.outbound.set(peer.toString(), open)
    return open
  }

  private dropOutbound (peer: PeerId, open: OutboundStream, err: Error): void {
    if (this.outbound.get(peer.toString())?.stream === open.stream) this.outbound.delete(peer.toString())
    open.stream.abort(err)
  }

  private async onStream (stream: Stream, connection: Connection): Promise<void> {
    const from = connection.remotePeer
    const pb = pbStream(stream, framing(MAX_FRAME_BYTES))
    try {
      while (true) {
        const idle = AbortSignal.timeout(this.idleTimeoutMs)
        let frame: ChatMessage
        try {
          frame = await pb.read(ChatMessage, { signal: idle })
        } catch (err: any) {
          if (err.name === 'UnexpectedEOFError' && stream.readBufferLength === 0) {
            break // the sender closed its end between messages
          }
          throw err
        }
        await this.answer(frame, from, pb, idle)
      }
      await stream.close()
    } catch (err: any) {
      this.log('chat stream from %p dropped - %s', from, err.message)
      stream.abort(err)
    }
  }

  private async answer (frame: ChatMessage, from: PeerId, pb: ReturnType<typeof pbStream>, signal: AbortSignal): Promise<void> {
    const message = { id: frame.id, envelope: frame.envelope }
    let reason: string | undefined
    let newSession = false
    try {
      validate(message)
      if (this.handler == null) {
        throw new Error('not ready for messages yet')
      }
      const handling = anySignal([signal, AbortSignal.timeout(this.idleTimeoutMs)])
      try {
        await this.handler({ ...message, from }, { signal: handling })
      } finally {
        handling.clear()
      }
    } catch (err: any) {
      if (err.name !== InvalidChatMessageError.name && err.name !== MessageRefusedError.name) {
        throw err
      }
      reason = err.message
      newSession = err.newSession === true
    }
    await pb.write(reason == null
      ? { id: frame.id, status: ChatAck.Status.OK, reason: '', newSession: false }
      : { id: frame.id, status: ChatAck.Status.REJECTED, reason, newSession },
    ChatAck, { signal })
  }
}

function validate (message: OutgoingChatMessage): void {
  if (message.id.byteLength !== MESSAGE_ID_BYTES) {
    throw new InvalidChatMessageError(`message id must be ${MESSAGE_ID_BYTES} bytes, got ${message.id.byteLength}`)
  }
  if (message.envelope.byteLength === 0 || message.envelope.byteLength > MAX_ENVELOPE_BYTES) {
    throw new InvalidChatMessageError(`an envelope is 1 to ${MAX_ENVELOPE_BYTES} bytes, got ${message.envelope.byteLength}`)
  }
}
