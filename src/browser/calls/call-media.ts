import { TypedEventEmitter } from 'main-event'
import { certificateFingerprint, fingerprintOf, sameFingerprint } from './fingerprint.ts'
import type { Calls, MediaSignal } from '../../calls/calls.ts'
import type { Logger } from '@libp2p/interface'

export interface CallMediaInit {
  /** STUN/TURN servers (config.json's `iceServers`); none by default: no third party learns of a call */
  iceServers?: RTCIceServer[]
  /** `relay` forces every path through TURN */
  iceTransportPolicy?: RTCIceTransportPolicy
}

export interface CallMediaComponents {
  calls: Calls
  /** The call's id */
  id: string
  /** Which side yields when both offer at once (perfect negotiation): the side with the lower PeerId */
  polite: boolean
  /** This side's camera and microphone */
  local: MediaStream
  log: Logger
}

export interface CallMediaEvents {
  /** The other side's media arrived (a track added to `remote`) */
  track: CustomEvent<MediaStreamTrack>
}

/**
 * One call's media: a page's own RTCPeerConnection (libp2p's WebRTC transport carries no media
 * tracks), negotiated through the call's end-to-end encrypted signalling with W3C "perfect
 * negotiation" (either side may offer; when both do, the polite side yields), with a
 * certificate of its own whose fingerprint travels with every description. Once connected, the
 * certificate the connection actually presents is checked against the one signalled: a
 * mismatch (someone in the path of the media: a relay, a TURN server) ends the call as
 * `fingerprint-mismatch`. A connection that fails is restarted once (ICE restart), then the
 * call fails.
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
  private ignoreOffer = false
  private restarted = false
  private closed = false
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
    this.log = components.log
    this.ownFingerprint = certificateFingerprint(certificate)
    this.pc = new RTCPeerConnection({ iceServers: init.iceServers ?? [], iceTransportPolicy: init.iceTransportPolicy ?? 'all', certificates: [certificate] })
    this.pc.ontrack = ({ track }) => {
      this.remote.addTrack(track)
      this.safeDispatchEvent('track', { detail: track })
    }
    this.pc.onnegotiationneeded = () => { this.offer().catch(err => { this.failed(`offering failed: ${err.message}`) }) }
    this.pc.onicecandidate = ({ candidate }) => {
      // the end of gathering needs no message: each side's candidates come in order after its description
      if (candidate == null || candidate.candidate === '') return
      this.send({ kind: 'candidate', candidate: candidate.candidate, ...(candidate.sdpMid != null ? { sdpMid: candidate.sdpMid } : {}), ...(candidate.sdpMLineIndex != null ? { sdpMLineIndex: candidate.sdpMLineIndex } : {}) })
    }
    this.pc.onconnectionstatechange = () => { this.stateChanged().catch(err => { this.failed(err.message) }) }
    for (const track of components.local.getTracks()) this.pc.addTrack(track, components.local)
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
    const collision = signal.type === 'offer' && (this.makingOffer || this.pc.signalingState !== 'stable')
    this.ignoreOffer = !this.polite && collision
    if (this.ignoreOffer) return
    await this.pc.setRemoteDescription({ type: signal.type, sdp: signal.sdp })
    if (signal.type === 'offer') {
      await this.pc.setLocalDescription()
      this.sendDescription()
    }
  }

  /** The RTP statistics of the connection (the tests read inbound bytes and frames from them) */
  async stats (): Promise<RTCStatsReport> {
    return this.pc.getStats()
  }

  /** Closes the connection (the call ended) */
  close (): void {
    this.closed = true
    this.pc.close()
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
    if (description == null || (description.type !== 'offer' && description.type !== 'answer')) return
    this.send({ kind: 'description', type: description.type, sdp: description.sdp, fingerprint: this.ownFingerprint })
  }

  private send (signal: MediaSignal): void {
    if (this.closed) return
    this.calls.negotiate(this.id, signal).catch(err => { this.log('sending a %s of call %s failed - %s', signal.kind, this.id, err.message) })
  }

  private async stateChanged (): Promise<void> {
    const state = this.pc.connectionState
    this.log('call %s: connection %s', this.id, state)
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

  /** The certificate the connection presents must be the one the other side signalled */
  private async checkCertificate (): Promise<void> {
    const transport = this.pc.getSenders().map(s => s.transport).find(t => t != null) ?? this.pc.getReceivers().map(r => r.transport).find(t => t != null)
    const presented = transport?.getRemoteCertificates() ?? []
    if (presented.length === 0 || this.remoteFingerprint == null) {
      this.mismatch('the connection presented no certificate to check')
      return
    }
    const actual = await fingerprintOf(presented[0])
    if (!sameFingerprint(actual, this.remoteFingerprint)) {
      this.mismatch(`the connection presented ${actual}, the signalling named ${this.remoteFingerprint}`)
      return
    }
    if (this.closed) return
    this.calls.connected(this.id)
  }

  private mismatch (why: string): void {
    this.log.error('call %s: %s: ending it', this.id, why)
    this.calls.fail(this.id, 'fingerprint-mismatch').catch(() => {})
  }

  private failed (why: string): void {
    if (this.closed) return
    this.log('call %s failed - %s', this.id, why)
    this.calls.fail(this.id, 'failed').catch(() => {})
  }
}
