import { TypedEventEmitter } from 'main-event'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { MemberRate } from '../groups/member-rate.ts'
import { decodeCallSignal, encodeCallSignal } from './call-signal.ts'
import { CALL_ID_BYTES, INVITE_INTERVAL_MS, MAX_INVITES_PER_INTERVAL, MAX_TRACKED_CALLS, RING_TIMEOUT_MS, SIGNAL_SECRET_BYTES } from './constants.ts'
import { DirectRoute } from './direct-route.ts'
import { CallStateError, UnknownCallError } from './errors.ts'
import { signalKeys } from './signal-keys.ts'
import type { CallMessage, EndReason, Signal } from './call-signal.ts'
import type { SignalFrame } from '../protocols/call-signal/index.ts'
import type { CallSummary, Direction, MessageRecord, MessageStore } from '../storage/types.ts'
import type { Logger } from '@libp2p/interface'

/**
 * Where a call is: `ringing` (an invite is out, or rings here), `connecting` (accepted: the media
 * layer negotiates), `connected` (media flows), `ended` (`reason` says why)
 */
export type CallState = 'ringing' | 'connecting' | 'connected' | 'ended'

/** A description or candidate: what the media layers of a call's two sides exchange */
export type MediaSignal = Extract<Signal, { kind: 'description' | 'candidate' }>

/** A call as the interfaces show it */
export interface CallInfo {
  /** 32 hex characters, chosen by the caller */
  id: string
  /** The other side (a PeerId) */
  peer: string
  /** `out`: this side called */
  direction: Direction
  video: boolean
  /** A group call: the group's id (each pair of its participants has a call of its own) */
  group?: string
  state: CallState
  /** Why it ended: as the signalling said, or `missed` (it rang here and nobody answered, or it was not rung) */
  reason?: EndReason | 'missed'
  startedAt: number
  connectedAt?: number
  endedAt?: number
  /**
   * This side's own call to the same peer that this one took the place of: both called at
   * once, and both sides keep the call with the lower id (the media meant for the other goes to it)
   */
  replaces?: string
}

export interface CallsEvents {
  /** A call rings, connects, or ends */
  call: CustomEvent<CallInfo>
  /** The peer's description or candidate for a call under way, for this side's media layer */
  signal: CustomEvent<{ call: string, signal: MediaSignal }>
  /** A call's history entry was written: one that came in */
  message: CustomEvent<MessageRecord>
  /** A call's history entry was written: one this side made */
  status: CustomEvent<MessageRecord>
}

export interface CallsComponents {
  /** Hands an encoded signalling message to `peer` over the pairwise session (the outbox) */
  send: (peer: string, payload: Uint8Array, options: { ephemeral?: boolean }) => Promise<void>
  /**
   * Hands a sealed frame to `peer` over a connection open now (`/parley/call-signal/1.0.0`),
   * resolving once the peer took it; throws otherwise. Without it everything goes by `send`.
   */
  sendDirect?: (peer: string, frame: SignalFrame) => Promise<void>
  /** Where each call's history entry goes */
  messages: MessageStore
  log: Logger
}

export interface CallsInit {
  /**
   * How long an invite rings; one written longer ago than this is not rung (it waited in a
   * mailbox, or the clocks are far apart), it is a missed call at once. @default RING_TIMEOUT_MS
   */
  ringTimeoutMs?: number
}

interface Tracked {
  info: CallInfo
  timer?: ReturnType<typeof setTimeout>
  /** The call's direct signalling, when its invite carried a secret for it */
  direct?: DirectRoute
}

/** What may go the direct way: the negotiation of an accepted call (never an invite, which carries its keys, nor an end, which must reach a mailbox) */
const DIRECT_KINDS = new Set<Signal['kind']>(['accept', 'description', 'candidate'])

/**
 * Calls' signalling, the same on every node (a page's media layer does the rest): an invite
 * rings the callee, who accepts or declines; an accepted call's two media layers exchange
 * descriptions and candidates through here; either side ends it. Nothing about either side's
 * network leaves before the callee accepts. Everything travels end-to-end encrypted: an invite
 * and an end over the pairwise session, and to the callee's mailbox too, so a call that came
 * while it was offline shows as missed; the negotiation of an accepted call, while the two are
 * connected, on a stream of its own under keys from the invite (direct-route.ts), else over the
 * session as well. Each side writes the call's history entry when it ends.
 *
 * A peer not accepted never rings (its call is a missed call in its message request,
 * call-content.ts); a peer rings at most MAX_INVITES_PER_INTERVAL times an interval; an invite that waited longer than
 * it would ring is a missed call at once; a call while another is under way is answered busy
 * (but the calls of one group call, each pair of its participants its own, run side by side).
 * Two peers calling each other at once end in one call: the one with the lower id, which each
 * side accepts.
 */
export class Calls extends TypedEventEmitter<CallsEvents> {
  private readonly send: CallsComponents['send']
  private readonly sendDirect?: CallsComponents['sendDirect']
  private readonly messages: MessageStore
  private readonly log: Logger
  private readonly ringTimeoutMs: number
  private readonly calls = new Map<string, Tracked>()
  /**
   * Calls ("peer id") settled before their invite came: `superseded`, dropped by the peer for ours
   * when both called at once (never rung, never written); `ended`, the peer's end came first (its
   * invite, and its end, may come by different ways, or out of a mailbox in either order): a
   * missed call
   */
  private readonly settled = new Map<string, 'superseded' | 'ended'>()
  private readonly invites = new MemberRate(MAX_INVITES_PER_INTERVAL, MAX_INVITES_PER_INTERVAL * 60_000 / INVITE_INTERVAL_MS, MAX_TRACKED_CALLS)

  constructor (components: CallsComponents, init: CallsInit = {}) {
    super()
    this.send = components.send
    this.sendDirect = components.sendDirect
    this.messages = components.messages
    this.log = components.log
    this.ringTimeoutMs = init.ringTimeoutMs ?? RING_TIMEOUT_MS
  }

  /** Ends every call under way (hung up) */
  async stop (): Promise<void> {
    for (const { info } of [...this.calls.values()]) {
      if (info.state !== 'ended') await this.end(info.id, 'hangup', { tell: true }).catch(() => {})
    }
  }

  /** Calls `peer` (a PeerId): its node rings until it accepts, declines, or RING_TIMEOUT_MS passes */
  async start (peer: string, options: { video?: boolean, group?: string } = {}): Promise<CallInfo> {
    const id = toHex(crypto.getRandomValues(new Uint8Array(CALL_ID_BYTES)), 'base16')
    const info: CallInfo = { id, peer, direction: 'out', video: options.video === true, state: 'ringing', startedAt: Date.now(), ...(options.group != null ? { group: options.group } : {}) }
    const signalSecret = crypto.getRandomValues(new Uint8Array(SIGNAL_SECRET_BYTES))
    const tracked = this.track(info, directRoute(id, signalSecret, 'caller'))
    this.ringFor(tracked, 'unanswered')
    this.announce(info)
    await this.signal(tracked, { kind: 'invite', video: info.video, ...(info.group != null ? { group: info.group } : {}), signalSecret })
    return { ...info }
  }

  /** Accepts a call ringing here: the media layers start negotiating */
  async accept (id: string): Promise<CallInfo> {
    return this.acceptTracked(this.tracked(id))
  }

  /** Accepts a call ringing here; `replaces`, this side's own call that it takes the place of */
  private async acceptTracked (tracked: Tracked, replaces?: string): Promise<CallInfo> {
    if (tracked.info.direction !== 'in' || tracked.info.state !== 'ringing') throw new CallStateError(`call ${tracked.info.id} is ${tracked.info.state}, not ringing here`)
    clearTimeout(tracked.timer)
    tracked.info.state = 'connecting'
    this.announce(tracked.info)
    await this.signal(tracked, { kind: 'accept', ...(replaces != null ? { replaces } : {}) }, { ephemeral: true })
    return { ...tracked.info }
  }

  /** Declines a call ringing here */
  async decline (id: string): Promise<CallInfo> {
    const tracked = this.tracked(id)
    if (tracked.info.direction !== 'in' || tracked.info.state !== 'ringing') throw new CallStateError(`call ${id} is ${tracked.info.state}, not ringing here`)
    return this.end(id, 'declined', { tell: true })
  }

  /** Ends a call: hung up, or (still ringing out) called off */
  async hangUp (id: string): Promise<CallInfo> {
    const tracked = this.tracked(id)
    if (tracked.info.state === 'ended') return { ...tracked.info }
    return this.end(id, 'hangup', { tell: true })
  }

  /** The media layer's word: media flows */
  connected (id: string): CallInfo {
    const tracked = this.tracked(id)
    if (tracked.info.state !== 'connecting') return { ...tracked.info }
    tracked.info.state = 'connected'
    tracked.info.connectedAt = Date.now()
    this.announce(tracked.info)
    return { ...tracked.info }
  }

  /** The media layer's word: the connection failed, or presented a certificate other than the one signalled */
  async fail (id: string, reason: 'failed' | 'fingerprint-mismatch'): Promise<CallInfo> {
    const tracked = this.tracked(id)
    if (tracked.info.state === 'ended') return { ...tracked.info }
    return this.end(id, reason, { tell: true })
  }

  /** Hands this side's description or candidate to the peer of an accepted call */
  async negotiate (id: string, signal: MediaSignal): Promise<void> {
    const tracked = this.tracked(id)
    if (tracked.info.state !== 'connecting' && tracked.info.state !== 'connected') throw new CallStateError(`call ${id} is ${tracked.info.state}: nothing to negotiate`)
    await this.signal(tracked, signal, { ephemeral: true })
  }

  /** The call `id` as it is now */
  get (id: string): CallInfo {
    return { ...this.tracked(id).info }
  }

  /** The calls ringing or under way */
  active (): CallInfo[] {
    return [...this.calls.values()].filter(t => t.info.state !== 'ended').map(t => ({ ...t.info }))
  }

  /**
   * A signalling message from `peer`, a peer the user accepted (the `call` content kind; a
   * stranger's invite is a missed call in its request, call-content.ts): `sentAt`, the peer's
   * clock when it wrote it
   */
  async receive (peer: string, message: CallMessage, context: { sentAt: number }): Promise<void> {
    const { call, signal } = message
    this.log.trace('call %s: %s from %s', call, signal.kind, peer)
    const tracked = this.calls.get(call)
    if (signal.kind === 'invite') {
      await this.invited(peer, call, signal, context.sentAt)
      return
    }
    if (tracked == null || tracked.info.peer !== peer) {
      this.log('a %s from %s for call %s, which is not one of ours with it: ignored', signal.kind, peer, call)
      if (tracked == null && signal.kind === 'end') this.settle(peer, call, 'ended')
      return
    }
    const { info } = tracked
    if (info.state === 'ended') return
    switch (signal.kind) {
      case 'accept':
        if (info.direction !== 'out' || info.state !== 'ringing') return
        if (signal.replaces != null) this.settle(peer, signal.replaces, 'superseded')
        clearTimeout(tracked.timer)
        info.state = 'connecting'
        this.announce(info)
        return
      case 'description':
      case 'candidate':
        if (info.state === 'ringing') return
        this.safeDispatchEvent('signal', { detail: { call, signal } })
        return
      case 'end':
        // the caller's ring timed out a moment before ours: here it is what ours would say
        await this.end(call, info.direction === 'in' && info.state === 'ringing' && signal.reason === 'unanswered' ? 'missed' : signal.reason, { tell: false })
    }
  }

  /**
   * A frame of the direct signalling from `peer`: taken (`true`) when it is the next of a call
   * with it under way, opens under the call's key, and carries negotiation; otherwise refused,
   * and the peer sends it through the session
   */
  async receiveDirect (peer: string, frame: Pick<SignalFrame, 'call' | 'counter' | 'sealed'>): Promise<boolean> {
    const id = toHex(frame.call, 'base16')
    const tracked = this.calls.get(id)
    if (tracked?.direct == null || tracked.info.peer !== peer || tracked.info.state === 'ended') return false
    let message: CallMessage
    try {
      const opened = tracked.direct.open(frame)
      if (opened == null) {
        this.log('a call signal from %s repeats an earlier one of call %s: refused', peer, id)
        return false
      }
      message = decodeCallSignal(opened)
    } catch (err: any) {
      this.log('a call signal from %s for call %s refused - %s', peer, id, err.message)
      return false
    }
    if (message.call !== id || !DIRECT_KINDS.has(message.signal.kind)) return false
    await this.receive(peer, message, { sentAt: Date.now() })
    return true
  }

  private async invited (peer: string, id: string, signal: Extract<Signal, { kind: 'invite' }>, sentAt: number): Promise<void> {
    // a repeat (a retry, the same invite from the mailbox after it came directly, a replay)
    const settled = this.settled.get(`${peer} ${id}`)
    if (this.calls.has(id) || settled === 'superseded' || await this.messages.get(peer, 'in', id) != null) return
    if (!this.invites.take('invite', peer)) {
      this.log('%s calls faster than it may: not rung', peer)
      return
    }
    const info: CallInfo = { id, peer, direction: 'in', video: signal.video, state: 'ringing', startedAt: sentAt, ...(signal.group != null ? { group: signal.group } : {}) }
    if (settled === 'ended' || Date.now() - sentAt > this.ringTimeoutMs) {
      this.log('call %s from %s came %d ms after it was made%s: missed', id, peer, Date.now() - sentAt, settled === 'ended' ? ', after its end' : '')
      await this.finish(this.track(info), 'missed')
      return
    }
    const ours = [...this.calls.values()].find(t => t.info.peer === peer && t.info.direction === 'out' && t.info.state === 'ringing')
    if (ours != null) {
      // both called at once: both sides keep the call with the lower id, and its callee accepts it
      if (ours.info.id < id) return
      this.calls.delete(ours.info.id)
      clearTimeout(ours.timer)
      const kept = this.track({ ...info, replaces: ours.info.id }, directRoute(id, signal.signalSecret, 'callee'))
      this.announce(kept.info)
      // our invite may reach the peer after this accept (it goes another way): it must not ring there
      await this.acceptTracked(kept, ours.info.id)
      return
    }
    const tracked = this.track(info, directRoute(id, signal.signalSecret, 'callee'))
    // the calls of one group call run side by side (a mesh); any other call is busy
    if (this.active().some(c => c.id !== id && (info.group == null || c.group !== info.group))) {
      this.log('call %s from %s while another is under way: busy', id, peer)
      await this.end(id, 'busy', { tell: true })
      return
    }
    this.ringFor(tracked, 'missed')
    this.announce(info)
  }

  /** Ends a call here (telling the peer if `tell`), and writes its history entry */
  private async end (id: string, reason: EndReason | 'missed', { tell }: { tell: boolean }): Promise<CallInfo> {
    const tracked = this.tracked(id)
    if (tracked.info.state === 'ended') return { ...tracked.info }
    clearTimeout(tracked.timer)
    const before = tracked.info.state
    await this.finish(tracked, reason)
    if (tell && reason !== 'missed') await this.signal(tracked, { kind: 'end', reason })
    this.log('call %s with %s ended (%s, was %s)', id, tracked.info.peer, reason, before)
    return { ...tracked.info }
  }

  /** Marks a call ended, announces it and writes its history entry (a failure to is logged: the call is over all the same) */
  private async finish (tracked: Tracked, reason: EndReason | 'missed'): Promise<void> {
    const { info } = tracked
    const was = info.state
    info.state = 'ended'
    info.reason = reason
    info.endedAt = Date.now()
    this.announce(info)
    await this.record(info, summaryOf(info, was)).catch(err => { this.log.error('writing the history entry of call %s failed - %e', info.id, err) })
  }

  private async record (info: CallInfo, call: CallSummary): Promise<void> {
    const entry = { id: info.id, peer: info.peer, direction: info.direction, text: '', timestamp: info.startedAt, status: 'delivered' as const, call }
    if (info.direction === 'in') {
      const { record, added } = await this.messages.addIncoming(entry)
      if (added) this.safeDispatchEvent('message', { detail: record })
    } else {
      this.safeDispatchEvent('status', { detail: await this.messages.addOutgoing(entry, { outbox: false }) })
    }
  }

  private ringFor (tracked: Tracked, reason: 'unanswered' | 'missed'): void {
    tracked.timer = setTimeout(() => {
      if (tracked.info.state !== 'ringing') return
      this.end(tracked.info.id, reason, { tell: reason === 'unanswered' }).catch(err => { this.log('ending call %s failed - %s', tracked.info.id, err.message) })
    }, this.ringTimeoutMs)
  }

  /** Sends a signal of the call: the direct way when it may go so and that way still works, else over the session */
  private async signal ({ info, direct }: Tracked, signal: Signal, options: { ephemeral?: boolean } = {}): Promise<void> {
    const message = encodeCallSignal({ call: info.id, signal })
    if (direct?.usable === true && this.sendDirect != null && DIRECT_KINDS.has(signal.kind)) {
      try {
        await this.sendDirect(info.peer, direct.seal(message))
        this.log.trace('call %s: %s sent on its stream', info.id, signal.kind)
        return
      } catch (err: any) {
        if (direct.usable) this.log('call %s: signalling goes over the session from now on - %s', info.id, err.message)
        direct.usable = false
      }
    }
    await this.send(info.peer, message, options)
    this.log.trace('call %s: %s sent over the session', info.id, signal.kind)
  }

  private settle (peer: string, id: string, how: 'superseded' | 'ended'): void {
    this.settled.set(`${peer} ${id}`, how)
    for (const old of this.settled.keys()) {
      if (this.settled.size <= MAX_TRACKED_CALLS) break
      this.settled.delete(old)
    }
  }

  private track (info: CallInfo, direct?: DirectRoute): Tracked {
    const tracked = { info, ...(direct != null ? { direct } : {}) }
    this.calls.set(info.id, tracked)
    // the oldest ended calls go first: a flood of invites holds no more than the bound
    for (const [id, { info: old }] of this.calls) {
      if (this.calls.size <= MAX_TRACKED_CALLS) break
      if (old.state === 'ended') this.calls.delete(id)
    }
    return tracked
  }

  private tracked (id: string): Tracked {
    const tracked = this.calls.get(id)
    if (tracked == null) throw new UnknownCallError(`no call ${id}`)
    return tracked
  }

  private announce (info: CallInfo): void {
    this.safeDispatchEvent('call', { detail: { ...info } })
  }
}

/** How a call that was `was` and ended as `info` says went, for its history entry */
function summaryOf (info: CallInfo, was: CallState): CallSummary {
  const reason = info.reason ?? 'hangup'
  const base = { video: info.video, reason }
  if (info.connectedAt != null) return { ...base, outcome: 'answered', durationMs: (info.endedAt ?? Date.now()) - info.connectedAt }
  if (was === 'connecting') return { ...base, outcome: 'failed' }
  if (reason === 'declined') return { ...base, outcome: 'declined' }
  if (info.direction === 'in') return { ...base, outcome: 'missed' }
  return { ...base, outcome: reason === 'hangup' ? 'cancelled' : 'unanswered' }
}

/** The direct route of call `id` (hex) when there is a secret for it (an earlier release's invite has none) */
function directRoute (id: string, secret: Uint8Array | undefined, role: 'caller' | 'callee'): DirectRoute | undefined {
  if (secret == null) return undefined
  const call = fromHex(id, 'base16')
  return new DirectRoute(signalKeys(secret, call, role), call)
}
