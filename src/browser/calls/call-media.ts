import { TypedEventEmitter } from 'main-event'
import { equals } from 'uint8arrays/equals'
import { CALL_WORKER_SCRIPT } from '../constants.ts'
import { certificateFingerprint, fingerprintOf, presentedCertificates, sameFingerprint } from './fingerprint.ts'
import { callRtcConfiguration } from './ice-servers.ts'
import { MEDIA_KEY_BYTES } from '../../calls/constants.ts'
import type { FrameKey, FrameReport, FrameTransformOptions } from './frame-worker.ts'
import type { Calls, MediaSignal } from '../../calls/calls.ts'
import type { Logger } from '@libp2p/interface'

export interface CallMediaInit {
  /** STUN/TURN servers (config.json's `iceServers`); none by default: no third party learns of a call */
  iceServers?: RTCIceServer[]
  /**
   * The STUN servers of the relays this node is connected to (src/stun), asked at each call:
   * with them two users behind NATs that map ports consistently reach each other without TURN
   */
  stunServers?: () => RTCIceServer[]
  /** `relay` forces every path through TURN */
  iceTransportPolicy?: RTCIceTransportPolicy
}

export interface CallMediaComponents {
  calls: Calls
  /** The call's id */
  id: string
  /** Which side yields when both offer at once (perfect negotiation): the side with the lower PeerId */
  polite: boolean
  /**
   * This side makes the call's first offer (the caller); the other waits for it and answers, and
   * offers only after (a renegotiation, an ICE restart)
   */
  offersFirst: boolean
  /** This side's camera and microphone */
  local: MediaStream
  log: Logger
}

export interface CallMediaEvents {
  /** The other side's media arrived (a track added to `remote`) */
  track: CustomEvent<MediaStreamTrack>
}

/** How many frames of a call were sealed and opened end to end (on top of DTLS), and how many did not open */
export interface SealedFrames {
  /** Both sides seal their frames: neither a TURN server nor a broken DTLS sees the media */
  sealed: boolean
  sent: number
  opened: number
  failed: number
}

/** A connection disconnected this long (the network changed under it, most likely) gets an ICE restart */
const DISCONNECTED_RESTART_MS = 3_000

/** How long a connected call waits for a DTLS handshake still under way to show the certificate */
const CERTIFICATE_WAIT_MS = 10_000

/** Whether this browser can seal a call's frames (`RTCRtpScriptTransform`) */
const canSeal = typeof RTCRtpScriptTransform !== 'undefined'

/**
 * One call's media: a page's own RTCPeerConnection (libp2p's WebRTC transport carries no media
 * tracks), negotiated through the call's end-to-end encrypted signalling with W3C "perfect
 * negotiation" (either side may offer; when both do, the polite side yields), with a
 * certificate of its own whose fingerprint travels with every description. Once connected, the
 * certificate the connection actually presents is checked against the one signalled: a
 * mismatch (someone in the path of the media: a relay, a TURN server) ends the call as
 * `fingerprint-mismatch`. An ICE restart finds new paths when the network changes (the browser
 * comes back online, its connection type changes, or the connection stays disconnected for
 * DISCONNECTED_RESTART_MS); a connection that fails is restarted once, then the call fails. Where both browsers can, each seals its frames with a key of its own sent in its
 * descriptions (frame-crypto.ts, in the frame worker), so the media stays sealed end to end
 * through anything between the two; video prefers VP8, whose header the sealing leaves readable.
 */
export class CallMedia extends TypedEventEmitter<CallMediaEvents> {
  readonly remote = new MediaStream()
  private readonly pc: RTCPeerConnection
  private readonly calls: Calls
  private readonly id: string
  private readonly polite: boolean
  private readonly log: Logger
  private readonly ownFingerprint: string
  private remoteFingerprint?: string
  private makingOffer = false
  /**
   * Until the first offer came, the callee makes none. Perfect negotiation lets both offer at
   * once, and the polite side rolls its offer back; but when the other's offer came while this
   * side's was still being set (both made theirs as the call was accepted, a few ms apart, once
   * signalling went the direct way), Chromium 156 gathered no candidate at all for the answer
   * that followed the rollback, and the call never connected (seen in `npm run bench -- --only
   * calls`, about one call in ten). One first offer leaves nothing to cross.
   */
  private waitingForOffer: boolean
  private ignoreOffer = false
  private restarted = false
  private closed = false
  /** The key this side seals its frames with (none where the browser cannot) */
  private readonly ownKey: Uint8Array = canSeal ? crypto.getRandomValues(new Uint8Array(MEDIA_KEY_BYTES)) : new Uint8Array(0)
  private remoteKey?: Uint8Array
  private readonly worker?: Worker
  private readonly frames: SealedFrames = { sealed: false, sent: 0, opened: 0, failed: 0 }
  /** The latest report of each stream of the frame worker */
  private readonly reports = new Map<string, FrameReport>()
  private disconnected?: ReturnType<typeof setTimeout>
  /** When a connection that has not shown its certificate yet stops being waited for */
  private certificateDeadline?: number
  /** The browser is back online, or its network changed: new paths, from new addresses */
  private readonly networkChanged = (): void => { this.restart('the network changed') }
  /** The other side's signals, taken one after the other in the order they came */
  private taking: Promise<void> = Promise.resolve()

  /** Makes the connection's certificate, then the connection */
  static async create (components: CallMediaComponents, init: CallMediaInit = {}): Promise<CallMedia> {
    const certificate = await RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams)
    return new CallMedia(components, init, certificate)
  }

  private constructor (components: CallMediaComponents, init: CallMediaInit, certificate: RTCCertificate) {
    super()
    this.calls = components.calls
    this.id = components.id
    this.polite = components.polite
    this.waitingForOffer = !components.offersFirst
    this.log = components.log
    this.ownFingerprint = certificateFingerprint(certificate)
    this.pc = new RTCPeerConnection({ ...callRtcConfiguration(init), certificates: [certificate] })
    if (canSeal) {
      this.worker = new Worker(CALL_WORKER_SCRIPT, { type: 'module', name: 'parley-call-frames' })
      this.worker.onmessage = ({ data }: MessageEvent<FrameReport>) => { this.counted(data) }
      this.worker.onerror = (evt) => { this.log.error('the frame worker of call %s failed - %s', this.id, evt.message) }
    }
    this.pc.ontrack = ({ track, receiver }) => {
      // a track of a kind this side sends none of came on a transceiver the offer made
      if (this.worker != null && receiver.transform == null) receiver.transform = this.transform('receive', track.kind)
      this.remote.addTrack(track)
      this.safeDispatchEvent('track', { detail: track })
    }
    this.pc.onnegotiationneeded = () => {
      // the answer to the first offer carries this side's tracks; anything still unnegotiated
      // then fires this again once the connection is stable
      if (this.waitingForOffer) return
      this.offer().catch(err => { this.failed(`offering failed: ${err.message}`) })
    }
    this.pc.onicecandidate = ({ candidate }) => {
      // the end of gathering needs no message: each side's candidates come in order after its description
      // its type only: the line names this side's addresses
      this.log.trace('call %s: gathered %s', this.id, candidate == null || candidate.candidate === '' ? 'the last candidate' : `a ${candidate.type ?? 'new'} candidate`)
      if (candidate == null || candidate.candidate === '') return
      this.send({ kind: 'candidate', candidate: candidate.candidate, ...(candidate.sdpMid != null ? { sdpMid: candidate.sdpMid } : {}), ...(candidate.sdpMLineIndex != null ? { sdpMLineIndex: candidate.sdpMLineIndex } : {}) })
    }
    this.pc.onconnectionstatechange = () => { this.stateChanged().catch(err => { this.failed(err.message) }) }
    for (const track of components.local.getTracks()) {
      const sender = this.pc.addTrack(track, components.local)
      // now, before the first frame: Chrome runs a transform only if it is set by then, and the
      // other side's media of this kind comes on the same transceiver
      if (this.worker != null) {
        sender.transform = this.transform('send', track.kind, this.ownKey)
        const receiver = this.pc.getTransceivers().find(t => t.sender === sender)?.receiver
        if (receiver != null) receiver.transform = this.transform('receive', track.kind)
      }
    }
    preferVp8(this.pc)
    globalThis.addEventListener?.('online', this.networkChanged)
    ;(globalThis.navigator as any)?.connection?.addEventListener?.('change', this.networkChanged)
  }

  /** Sends `track` instead of this side's current one of its kind (another camera or microphone); the frame sealing stays on the sender */
  async replaceTrack (track: MediaStreamTrack): Promise<void> {
    const sender = this.pc.getSenders().find(s => s.track?.kind === track.kind)
    await sender?.replaceTrack(track)
  }

  /** How many frames went through sealed, and whether both sides seal */
  sealedFrames (): SealedFrames {
    return { ...this.frames }
  }

  /** The other side's description or candidate, taken after those before it (queued at once, in call order) */
  async take (signal: MediaSignal): Promise<void> {
    const taken = this.taking.then(async () => this.takeNow(signal))
    this.taking = taken.catch(() => {})
    return taken
  }

  private async takeNow (signal: MediaSignal): Promise<void> {
    if (this.closed) return
    if (signal.kind === 'candidate') {
      try {
        await this.pc.addIceCandidate({ candidate: signal.candidate, sdpMid: signal.sdpMid ?? null, sdpMLineIndex: signal.sdpMLineIndex ?? null })
      } catch (err: any) {
        // a candidate of an offer this side ignored is expected to fail; any other is logged
        if (!this.ignoreOffer) this.log('a candidate of call %s not taken - %s', this.id, err.message)
      }
      return
    }
    if (this.remoteFingerprint != null && !sameFingerprint(this.remoteFingerprint, signal.fingerprint)) {
      this.mismatch('a description named another certificate than the one before')
      return
    }
    this.remoteFingerprint = signal.fingerprint
    if (this.remoteKey != null && !equals(this.remoteKey, signal.mediaKey)) {
      this.mismatch('a description named another media key than the one before')
      return
    }
    if (this.remoteKey == null) this.keyCame(signal.mediaKey)
    const collision = signal.type === 'offer' && (this.makingOffer || this.pc.signalingState !== 'stable')
    this.ignoreOffer = !this.polite && collision
    this.log.trace('call %s: the other side\'s %s in %s%s', this.id, signal.type, this.pc.signalingState, this.ignoreOffer ? ', ignored (both offered; this side is impolite)' : '')
    if (this.ignoreOffer) return
    try {
      await this.pc.setRemoteDescription({ type: signal.type, sdp: signal.sdp })
      this.waitingForOffer = false
      if (signal.type === 'offer') {
        await this.pc.setLocalDescription()
        this.sendDescription()
      }
    } catch (err: any) {
      // an SDP the browser refuses (malformed, or nothing it can negotiate): the call cannot go on
      this.failed(`the other side's ${signal.type} was refused - ${err.message}`)
    }
  }

  /** The RTP statistics of the connection (the tests read inbound bytes and frames from them) */
  async stats (): Promise<RTCStatsReport> {
    return this.pc.getStats()
  }

  /** Closes the connection (the call ended) */
  close (): void {
    this.closed = true
    clearTimeout(this.disconnected)
    globalThis.removeEventListener?.('online', this.networkChanged)
    ;(globalThis.navigator as any)?.connection?.removeEventListener?.('change', this.networkChanged)
    this.pc.close()
    this.worker?.terminate()
  }

  /** Gathers new candidates and negotiates new paths (an ICE restart), keeping the call */
  private restart (why: string): void {
    if (this.closed || this.pc.connectionState === 'new') return
    this.log('call %s: %s: restarting ICE', this.id, why)
    this.pc.restartIce()
  }

  /**
   * The other side's media key came (with its first description): both seal their frames, or
   * (none: its browser cannot open sealed frames) this side's go out as they are
   */
  private keyCame (key: Uint8Array): void {
    this.remoteKey = key
    if (this.worker == null) return
    const message: FrameKey = { call: this.id, remoteKey: key }
    this.worker.postMessage(message)
    this.frames.sealed = key.byteLength > 0
  }

  private transform (side: 'send' | 'receive', kind: string, key?: Uint8Array): RTCRtpScriptTransform {
    const options: FrameTransformOptions = { call: this.id, side, kind: kind === 'video' ? 'video' : 'audio', ...(key != null ? { key } : {}) }
    return new RTCRtpScriptTransform(this.worker!, options)
  }

  private counted (report: FrameReport): void {
    this.reports.set(`${report.side}/${report.kind}`, report)
    const all = [...this.reports.values()]
    this.frames.sent = all.filter(r => r.side === 'send').reduce((n, r) => n + r.frames, 0)
    this.frames.opened = all.filter(r => r.side === 'receive').reduce((n, r) => n + r.frames, 0)
    this.frames.failed = all.reduce((n, r) => n + r.failed, 0)
  }

  private async offer (): Promise<void> {
    try {
      this.makingOffer = true
      await this.pc.setLocalDescription()
      this.sendDescription()
    } finally {
      this.makingOffer = false
    }
  }

  private sendDescription (): void {
    const description = this.pc.localDescription
    this.log.trace('call %s: own %s', this.id, description?.type)
    if (description == null || (description.type !== 'offer' && description.type !== 'answer')) return
    this.send({ kind: 'description', type: description.type, sdp: description.sdp, fingerprint: this.ownFingerprint, mediaKey: this.ownKey })
  }

  private send (signal: MediaSignal): void {
    if (this.closed) return
    this.calls.negotiate(this.id, signal).catch(err => { this.log('sending a %s of call %s failed - %s', signal.kind, this.id, err.message) })
  }

  private async stateChanged (): Promise<void> {
    const state = this.pc.connectionState
    this.log('call %s: connection %s', this.id, state)
    clearTimeout(this.disconnected)
    if (state === 'disconnected') {
      this.disconnected = setTimeout(() => {
        if (this.pc.connectionState === 'disconnected') this.restart(`disconnected for ${DISCONNECTED_RESTART_MS} ms`)
      }, DISCONNECTED_RESTART_MS)
      return
    }
    if (state === 'connected') {
      await this.checkCertificate()
      return
    }
    if (state === 'failed') {
      if (!this.restarted) {
        this.restarted = true
        this.pc.restartIce()
        return
      }
      this.failed('the connection failed, also after an ICE restart')
    }
  }

  /**
   * The certificates the connection presents must be the one the other side signalled (checked
   * again once a transport still in its handshake is through it)
   */
  private async checkCertificate (): Promise<void> {
    if (this.closed) return
    const transports = [...this.pc.getSenders().map(s => s.transport), ...this.pc.getReceivers().map(r => r.transport)]
    const presented = presentedCertificates(transports)
    if (presented === 'wait') {
      // bounded: a handshake that never ends is a connection with nothing to check
      this.certificateDeadline ??= Date.now() + CERTIFICATE_WAIT_MS
      const pending = transports.find(t => t != null && (t.state === 'new' || t.state === 'connecting'))!
      const timer = setTimeout(() => { this.mismatch(`no certificate presented within ${CERTIFICATE_WAIT_MS} ms of connecting`) }, Math.max(0, this.certificateDeadline - Date.now()))
      pending.addEventListener('statechange', () => {
        clearTimeout(timer)
        this.checkCertificate().catch(err => { this.failed(err.message) })
      }, { once: true })
      return
    }
    if (presented === 'closed') {
      this.log('call %s: the connection closed before it presented a certificate', this.id)
      return
    }
    if (presented === 'none' || this.remoteFingerprint == null) {
      this.mismatch('the connection presented no certificate to check')
      return
    }
    for (const certificate of presented) {
      const actual = await fingerprintOf(certificate)
      if (!sameFingerprint(actual, this.remoteFingerprint)) {
        this.mismatch(`the connection presented ${actual}, the signalling named ${this.remoteFingerprint}`)
        return
      }
    }
    if (this.closed) return
    this.calls.connected(this.id)
  }

  private mismatch (why: string): void {
    if (this.closed) return
    this.log.error('call %s: %s: ending it', this.id, why)
    this.calls.fail(this.id, 'fingerprint-mismatch').catch(() => {})
  }

  private failed (why: string): void {
    if (this.closed) return
    this.log('call %s failed - %s', this.id, why)
    this.calls.fail(this.id, 'failed').catch(() => {})
  }
}

/** Puts VP8 first for video (the frame sealing leaves its payload header readable; others would need their own) */
function preferVp8 (pc: RTCPeerConnection): void {
  const codecs = RTCRtpReceiver.getCapabilities('video')?.codecs ?? []
  const vp8 = codecs.filter(c => c.mimeType.toLowerCase() === 'video/vp8')
  if (vp8.length === 0) return
  for (const transceiver of pc.getTransceivers()) {
    if (transceiver.sender.track?.kind === 'video') transceiver.setCodecPreferences([...vp8, ...codecs.filter(c => c.mimeType.toLowerCase() !== 'video/vp8')])
  }
}
