import { logger } from '@libp2p/logger'
import { TypedEventEmitter } from 'main-event'
import { CallMedia } from './call-media.ts'
import type { CallMediaInit, SealedFrames } from './call-media.ts'
import type { CallInfo, Calls, MediaSignal } from '../../calls/calls.ts'

/** What a call sends: microphone, camera, or both */
export interface MediaWanted {
  /** @default true */
  audio?: boolean
  /** @default false when calling; what the caller asked for when accepting */
  video?: boolean
}

export interface PageCallsEvents {
  /** A call rings (here or at the peer), connects, or ends (`reason`): as the node announces it */
  call: CustomEvent<CallInfo>
  /** The other side's media of a call arrived: show `streams(id).remote` */
  media: CustomEvent<{ id: string }>
}

interface Held {
  local: MediaStream
  media?: CallMedia
  /** The other side's signals that came while the connection was being made */
  early: MediaSignal[]
}

/**
 * Calls in the page, the node's API for scripts, tests and front-ends (`window.parley.calls`):
 * start, accept, decline and hang up, with this page's camera and microphone; each call's media
 * on a connection of its own (`CallMedia`); `call` events as the node's signalling announces
 * them. The camera and microphone are opened when calling or accepting, and closed when the
 * call ends.
 */
export class PageCalls extends TypedEventEmitter<PageCallsEvents> {
  private readonly held = new Map<string, Held>()
  private readonly log = logger('parley:browser:calls')

  constructor (private readonly calls: Calls, private readonly self: string, private readonly init: CallMediaInit = {}) {
    super()
    calls.addEventListener('call', evt => { this.changed(evt.detail) })
    calls.addEventListener('signal', evt => { this.signal(evt.detail.call, evt.detail.signal) })
  }

  /** Calls `peer` (a PeerId) with the microphone (and the camera if `video`); resolves once it rings there */
  async start (peer: string, wanted: MediaWanted = {}): Promise<CallInfo> {
    const video = wanted.video === true
    const local = await this.open({ audio: wanted.audio ?? true, video })
    try {
      const call = await this.calls.start(peer, { video })
      this.held.set(call.id, { local, early: [] })
      return call
    } catch (err) {
      for (const track of local.getTracks()) track.stop()
      throw err
    }
  }

  /** Accepts a call ringing here, with the microphone (and the camera, if the caller asked for video) */
  async accept (id: string, wanted: MediaWanted = {}): Promise<CallInfo> {
    const ringing = this.calls.get(id)
    const local = await this.open({ audio: wanted.audio ?? true, video: wanted.video ?? ringing.video })
    this.held.set(id, { local, early: [] })
    try {
      return await this.calls.accept(id)
    } catch (err) {
      this.release(id)
      throw err
    }
  }

  async decline (id: string): Promise<CallInfo> {
    return this.calls.decline(id)
  }

  async hangUp (id: string): Promise<CallInfo> {
    return this.calls.hangUp(id)
  }

  /** A call as it is now */
  get (id: string): CallInfo {
    return this.calls.get(id)
  }

  /** The calls ringing or under way */
  active (): CallInfo[] {
    return this.calls.active()
  }

  /** This side's and the other side's media of a call under way */
  streams (id: string): { local?: MediaStream, remote?: MediaStream } {
    const held = this.held.get(id)
    return { ...(held != null ? { local: held.local } : {}), ...(held?.media != null ? { remote: held.media.remote } : {}) }
  }

  /** Mutes or unmutes this side's microphone in a call */
  setMuted (id: string, muted: boolean): void {
    for (const track of this.held.get(id)?.local.getAudioTracks() ?? []) track.enabled = !muted
  }

  /** Turns this side's camera off or on in a call (the other side sees black meanwhile) */
  setCamera (id: string, on: boolean): void {
    for (const track of this.held.get(id)?.local.getVideoTracks() ?? []) track.enabled = on
  }

  /**
   * How a call's media is protected: `sealed` when both sides seal their frames end to end on
   * top of DTLS (what a TURN server relays stays sealed), with the frames sent, opened and failed
   */
  sealedFrames (id: string): SealedFrames | undefined {
    return this.held.get(id)?.media?.sealedFrames()
  }

  /** The connection's statistics (inbound bytes, frames decoded, audio levels) */
  async stats (id: string): Promise<RTCStatsReport | undefined> {
    return this.held.get(id)?.media?.stats()
  }

  private async open (constraints: MediaStreamConstraints): Promise<MediaStream> {
    return navigator.mediaDevices.getUserMedia(constraints)
  }

  private changed (call: CallInfo): void {
    const replaced = call.replaces != null ? this.held.get(call.replaces) : undefined
    if (replaced != null && !this.held.has(call.id)) {
      // both called at once: this side's camera and microphone go to the call both kept
      this.held.delete(call.replaces!)
      this.held.set(call.id, replaced)
    }
    if (call.state === 'connecting') {
      this.connect(call).catch(err => {
        this.log.error('setting up the media of call %s failed - %e', call.id, err)
        this.calls.fail(call.id, 'failed').catch(() => {})
      })
    }
    if (call.state === 'ended') this.release(call.id)
    this.safeDispatchEvent('call', { detail: call })
  }

  /** An accepted call's connection: made once, with this side's media */
  private async connect (call: CallInfo): Promise<void> {
    const held = this.held.get(call.id)
    if (held == null || held.media != null) return
    const media = await CallMedia.create({ calls: this.calls, id: call.id, polite: this.self < call.peer, local: held.local, log: this.log }, this.init)
    if (this.held.get(call.id) !== held) {
      media.close()
      return
    }
    media.addEventListener('track', () => { this.safeDispatchEvent('media', { detail: { id: call.id } }) })
    // queued in the order they came, before any that comes from now on
    for (const signal of held.early.splice(0)) media.take(signal).catch(err => { this.log('a %s of call %s not taken - %s', signal.kind, call.id, err.message) })
    held.media = media
  }

  private signal (id: string, signal: MediaSignal): void {
    const held = this.held.get(id)
    if (held == null) return
    if (held.media == null) {
      held.early.push(signal)
      return
    }
    held.media.take(signal).catch(err => { this.log('a %s of call %s not taken - %s', signal.kind, id, err.message) })
  }

  private release (id: string): void {
    const held = this.held.get(id)
    if (held == null) return
    this.held.delete(id)
    held.media?.close()
    for (const track of held.local.getTracks()) track.stop()
  }
}
