import { logger } from '@libp2p/logger'
import { TypedEventEmitter } from 'main-event'
import { CallMedia } from './call-media.ts'
import { MAX_GROUP_CALL_PARTICIPANTS } from '../../calls/constants.ts'
import { CallStateError, UnknownCallError } from '../../calls/errors.ts'
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
  /** The group call it is part of: the camera and microphone are the group call's, shared */
  group?: string
}

/** A group call this page takes part in: its camera and microphone, shared by its calls */
interface Joined {
  local: MediaStream
  video: boolean
}

export interface PageCallsInit extends CallMediaInit {
  /** A group's members (PeerIds), this node among them: whom a group call reaches */
  members?: (group: string) => Promise<string[]>
}

/**
 * Calls in the page, the node's API for scripts, tests and front-ends (`window.parley.calls`):
 * start, accept, decline and hang up, with this page's camera and microphone; each call's media
 * on a connection of its own (`CallMedia`); `call` events as the node's signalling announces
 * them. The camera and microphone are opened when calling or accepting, and closed when the
 * call ends. A group call (`startGroup`) is a mesh of such calls, one per pair of participants,
 * sharing this page's camera and microphone.
 */
export class PageCalls extends TypedEventEmitter<PageCallsEvents> {
  private readonly held = new Map<string, Held>()
  /**
   * The media of the call this page is starting with a peer, taken by the call the moment it
   * exists: the callee's accept and first signals can come before `calls.start` resolves (they
   * come their direct way, ahead of the ack of the invite)
   */
  private readonly starting = new Map<string, Omit<Held, 'early'>>()
  /** group -> the group call this page joined */
  private readonly joined = new Map<string, Joined>()
  private readonly log = logger('parley:browser:calls')

  constructor (private readonly calls: Calls, private readonly self: string, private readonly init: PageCallsInit = {}) {
    super()
    calls.addEventListener('call', evt => { this.changed(evt.detail) })
    calls.addEventListener('signal', evt => { this.signal(evt.detail.call, evt.detail.signal) })
  }

  /** Calls `peer` (a PeerId) with the microphone (and the camera if `video`); resolves once it rings there */
  async start (peer: string, wanted: MediaWanted = {}): Promise<CallInfo> {
    const video = wanted.video === true
    const local = await this.open({ audio: wanted.audio ?? true, video })
    try {
      return await this.startWith(peer, { video }, { local })
    } catch (err) {
      for (const track of local.getTracks()) track.stop()
      throw err
    }
  }

  /** Calls `peer`, the call holding `held` from the moment it exists */
  private async startWith (peer: string, options: { video: boolean, group?: string }, held: Omit<Held, 'early'>): Promise<CallInfo> {
    this.starting.set(peer, held)
    try {
      return await this.calls.start(peer, options)
    } finally {
      this.starting.delete(peer)
    }
  }

  /**
   * Starts a call in `group` (at most MAX_GROUP_CALL_PARTICIPANTS members): each other member
   * rings; each who joins calls the members it has no call with yet, so every pair ends up
   * connected (a mesh). Resolves with the calls that ring.
   *
   * @throws {CallStateError} when the group has more members than a group call takes
   */
  async startGroup (group: string, wanted: MediaWanted = {}): Promise<CallInfo[]> {
    const others = await this.othersIn(group)
    const video = wanted.video === true
    const joined = await this.join(group, { audio: wanted.audio ?? true, video })
    return this.reach(group, others, joined)
  }

  /** Accepts a call ringing here, with the microphone (and the camera, if the caller asked for video); a group call's, joining it */
  async accept (id: string, wanted: MediaWanted = {}): Promise<CallInfo> {
    const ringing = this.calls.get(id)
    if (ringing.group != null) return this.acceptInGroup(ringing, wanted)
    const local = await this.open({ audio: wanted.audio ?? true, video: wanted.video ?? ringing.video })
    this.held.set(id, { local, early: [] })
    try {
      return await this.calls.accept(id)
    } catch (err) {
      this.release(id)
      throw err
    }
  }

  /** Joins the group call `call` rings for: accepts every call of it ringing here, and calls the members this page has no call with */
  private async acceptInGroup (call: CallInfo, wanted: MediaWanted): Promise<CallInfo> {
    const group = call.group!
    const others = await this.othersIn(group)
    const joined = await this.join(group, { audio: wanted.audio ?? true, video: wanted.video ?? call.video })
    const ringing = this.calls.active().filter(c => c.group === group && c.direction === 'in' && c.state === 'ringing')
    let accepted = call
    for (const c of ringing) {
      this.held.set(c.id, { local: joined.local, early: [], group })
      const done = await this.calls.accept(c.id)
      if (c.id === call.id) accepted = done
    }
    await this.reach(group, others, joined)
    return accepted
  }

  /** Rings the members of `group` this page has no call with in it */
  private async reach (group: string, members: string[], joined: Joined): Promise<CallInfo[]> {
    const inCall = new Set(this.calls.active().filter(c => c.group === group).map(c => c.peer))
    const started: CallInfo[] = []
    for (const peer of members.filter(m => !inCall.has(m))) {
      started.push(await this.startWith(peer, { video: joined.video, group }, { local: joined.local, group }))
    }
    return started
  }

  /** This page's part in a group call: its camera and microphone, opened once */
  private async join (group: string, constraints: { audio: boolean, video: boolean }): Promise<Joined> {
    const existing = this.joined.get(group)
    if (existing != null) return existing
    const joined = { local: await this.open(constraints), video: constraints.video }
    this.joined.set(group, joined)
    return joined
  }

  /** The members of `group` other than this node, within what a group call takes */
  private async othersIn (group: string): Promise<string[]> {
    const members = await this.init.members?.(group) ?? []
    if (members.length > MAX_GROUP_CALL_PARTICIPANTS) throw new CallStateError(`a group call takes at most ${MAX_GROUP_CALL_PARTICIPANTS} members; this group has ${members.length}`)
    return members.filter(m => m !== this.self)
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

  /** The cameras and microphones this browser offers (their names once the user allowed one) */
  async devices (): Promise<MediaDeviceInfo[]> {
    return (await navigator.mediaDevices.enumerateDevices()).filter(d => d.kind === 'audioinput' || d.kind === 'videoinput')
  }

  /**
   * Switches a call (and the rest of its group call) to another camera or microphone,
   * `deviceId` from `devices()`; muted or off stays so
   *
   * @throws {UnknownCallError} when this page has no media in call `id`
   */
  async switchDevice (id: string, deviceId: string): Promise<void> {
    const held = this.held.get(id)
    if (held == null) throw new UnknownCallError(`this page has no media in call ${id}`)
    const device = (await this.devices()).find(d => d.deviceId === deviceId)
    if (device == null) throw new UnknownCallError(`no camera or microphone ${deviceId}`)
    const kind = device.kind === 'videoinput' ? 'video' : 'audio'
    const fresh = await this.open({ [kind]: { deviceId: { exact: deviceId } } })
    const track = fresh.getTracks()[0]
    const old = kind === 'video' ? held.local.getVideoTracks() : held.local.getAudioTracks()
    track.enabled = old[0]?.enabled ?? true
    // every call that shares this camera and microphone (a group call's) sends the new one
    for (const other of this.held.values()) {
      if (other.local === held.local) await other.media?.replaceTrack(track)
    }
    for (const t of old) {
      held.local.removeTrack(t)
      t.stop()
    }
    held.local.addTrack(track)
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
    // a call this page is starting (announced ringing before its invite goes out)
    const starting = call.direction === 'out' && call.state === 'ringing' ? this.starting.get(call.peer) : undefined
    if (starting != null && !this.held.has(call.id)) {
      this.starting.delete(call.peer)
      this.held.set(call.id, { ...starting, early: [] })
    }
    // a member of a group call this page joined calls it: taken at once
    const joined = call.group != null ? this.joined.get(call.group) : undefined
    if (joined != null && call.direction === 'in' && call.state === 'ringing' && !this.held.has(call.id) && call.replaces == null) {
      this.held.set(call.id, { local: joined.local, early: [], group: call.group })
      this.calls.accept(call.id).catch(err => { this.log('taking call %s of group call %s failed - %s', call.id, call.group, err.message) })
    }
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
    const media = await CallMedia.create({ calls: this.calls, id: call.id, polite: this.self < call.peer, offersFirst: call.direction === 'out', local: held.local, log: this.log }, this.init)
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
    // a group call's camera and microphone stay on while another of its calls goes on
    if (held.group != null && [...this.held.values()].some(h => h.group === held.group)) return
    if (held.group != null) this.joined.delete(held.group)
    for (const track of held.local.getTracks()) track.stop()
  }
}
