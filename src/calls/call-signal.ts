import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { CALL_ID_BYTES, MAX_CANDIDATE_BYTES, MAX_FINGERPRINT_LENGTH, MAX_SDP_BYTES, MEDIA_KEY_BYTES, SIGNAL_SECRET_BYTES } from './constants.ts'
import { InvalidCallSignalError } from './errors.ts'
import { CallDescription, CallEnd, CallSignal } from './pb/call.ts'

/** Why a call ended */
export type EndReason = 'hangup' | 'declined' | 'busy' | 'unanswered' | 'failed' | 'fingerprint-mismatch'

/** What one signalling message says (src/calls/pb/call.proto) */
export type Signal =
  | { kind: 'invite', video: boolean, group?: string, signalSecret?: Uint8Array }
  | { kind: 'accept', replaces?: string }
  | { kind: 'description', type: 'offer' | 'answer', sdp: string, fingerprint: string, mediaKey: Uint8Array }
  | { kind: 'candidate', candidate: string, sdpMid?: string, sdpMLineIndex?: number }
  | { kind: 'end', reason: EndReason }

/** A signalling message of the call `call` (32 hex characters) */
export interface CallMessage {
  call: string
  signal: Signal
}

const REASONS: Record<CallEnd.Reason, EndReason> = {
  [CallEnd.Reason.HANGUP]: 'hangup',
  [CallEnd.Reason.DECLINED]: 'declined',
  [CallEnd.Reason.BUSY]: 'busy',
  [CallEnd.Reason.UNANSWERED]: 'unanswered',
  [CallEnd.Reason.FAILED]: 'failed',
  [CallEnd.Reason.FINGERPRINT_MISMATCH]: 'fingerprint-mismatch'
}

/** "sha-256" and the 32 bytes of the digest in colon hex, as SDP's a=fingerprint writes it */
const FINGERPRINT = /^sha-256 (?:[0-9A-F]{2}:){31}[0-9A-F]{2}$/i
const GROUP_ID_BYTES = 16
/** A media section's id (SDP's a=mid) is short; an m-line index counts a handful of sections */
const MAX_MID_LENGTH = 64
const MAX_M_LINE_INDEX = 64
const encoder = new TextEncoder()

export function encodeCallSignal ({ call, signal }: CallMessage): Uint8Array {
  const message: CallSignal = { call: fromHex(call, 'base16') }
  switch (signal.kind) {
    case 'invite':
      message.invite = {
        video: signal.video,
        ...(signal.group != null ? { group: fromHex(signal.group, 'base16') } : {}),
        ...(signal.signalSecret != null ? { signalSecret: signal.signalSecret as Uint8Array<ArrayBuffer> } : {})
      }
      break
    case 'accept':
      message.accept = signal.replaces != null ? { replaces: fromHex(signal.replaces, 'base16') } : {}
      break
    case 'description':
      message.description = { type: signal.type === 'offer' ? CallDescription.Type.OFFER : CallDescription.Type.ANSWER, sdp: signal.sdp, fingerprint: signal.fingerprint, mediaKey: signal.mediaKey as Uint8Array<ArrayBuffer> }
      break
    case 'candidate':
      message.candidate = { candidate: signal.candidate, ...(signal.sdpMid != null ? { sdpMid: signal.sdpMid } : {}), ...(signal.sdpMLineIndex != null ? { sdpMLineIndex: signal.sdpMLineIndex } : {}) }
      break
    case 'end':
      message.end = { reason: (Object.keys(REASONS) as CallEnd.Reason[]).find(r => REASONS[r] === signal.reason)! }
      break
  }
  return CallSignal.encode(message)
}

/**
 * Decodes a peer's signalling message, checking every field against its limit (the session
 * already capped the whole)
 *
 * @throws {InvalidCallSignalError} when it does not decode, carries no body, or breaks a limit
 */
export function decodeCallSignal (bytes: Uint8Array): CallMessage {
  let message: CallSignal
  try {
    message = CallSignal.decode(bytes)
  } catch (err: any) {
    throw new InvalidCallSignalError(`the call signal does not decode: ${err.message}`)
  }
  if (message.call.byteLength !== CALL_ID_BYTES) throw new InvalidCallSignalError(`a call id is ${CALL_ID_BYTES} bytes`)
  return { call: toHex(message.call, 'base16'), signal: signalOf(message) }
}

function signalOf (message: CallSignal): Signal {
  if (message.invite != null) {
    const { group, signalSecret } = message.invite
    if (group != null && group.byteLength !== GROUP_ID_BYTES) throw new InvalidCallSignalError(`a group id is ${GROUP_ID_BYTES} bytes`)
    if (signalSecret != null && signalSecret.byteLength !== SIGNAL_SECRET_BYTES) throw new InvalidCallSignalError(`a signalling secret is ${SIGNAL_SECRET_BYTES} bytes`)
    return { kind: 'invite', video: message.invite.video, ...(group != null ? { group: toHex(group, 'base16') } : {}), ...(signalSecret != null ? { signalSecret } : {}) }
  }
  if (message.accept != null) {
    const { replaces } = message.accept
    if (replaces != null && replaces.byteLength !== CALL_ID_BYTES) throw new InvalidCallSignalError(`a call id is ${CALL_ID_BYTES} bytes`)
    return { kind: 'accept', ...(replaces != null ? { replaces: toHex(replaces, 'base16') } : {}) }
  }
  if (message.description != null) {
    const { type, sdp, fingerprint, mediaKey } = message.description
    if (encoder.encode(sdp).byteLength > MAX_SDP_BYTES) throw new InvalidCallSignalError(`an SDP is at most ${MAX_SDP_BYTES} bytes`)
    if (!sdp.startsWith('v=0')) throw new InvalidCallSignalError('an SDP starts with v=0')
    if (fingerprint.length > MAX_FINGERPRINT_LENGTH || !FINGERPRINT.test(fingerprint)) throw new InvalidCallSignalError('a fingerprint is "sha-256" and 32 bytes in colon hex')
    // none: the sender's browser cannot seal frames (DTLS alone protects its media)
    if (mediaKey.byteLength !== MEDIA_KEY_BYTES && mediaKey.byteLength !== 0) throw new InvalidCallSignalError(`a media key is ${MEDIA_KEY_BYTES} bytes, or none`)
    return { kind: 'description', type: type === CallDescription.Type.OFFER ? 'offer' : 'answer', sdp, fingerprint, mediaKey }
  }
  if (message.candidate != null) {
    const { candidate, sdpMid, sdpMLineIndex } = message.candidate
    if (encoder.encode(candidate).byteLength > MAX_CANDIDATE_BYTES) throw new InvalidCallSignalError(`a candidate is at most ${MAX_CANDIDATE_BYTES} bytes`)
    if (candidate !== '' && !candidate.startsWith('candidate:')) throw new InvalidCallSignalError('a candidate line starts with "candidate:"')
    if (sdpMid != null && sdpMid.length > MAX_MID_LENGTH) throw new InvalidCallSignalError(`a media id is at most ${MAX_MID_LENGTH} characters`)
    if (sdpMLineIndex != null && sdpMLineIndex > MAX_M_LINE_INDEX) throw new InvalidCallSignalError(`an m-line index is at most ${MAX_M_LINE_INDEX}`)
    return { kind: 'candidate', candidate, ...(sdpMid != null ? { sdpMid } : {}), ...(sdpMLineIndex != null ? { sdpMLineIndex } : {}) }
  }
  if (message.end != null) {
    const reason = REASONS[message.end.reason]
    if (reason == null) throw new InvalidCallSignalError('an end names no reason this release knows')
    return { kind: 'end', reason }
  }
  throw new InvalidCallSignalError('the call signal carries nothing')
}
