import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface CallSignal {
  call: Uint8Array<ArrayBuffer>
  invite?: CallInvite
  accept?: CallAccept
  description?: CallDescription
  candidate?: CallCandidate
  end?: CallEnd
}

export namespace CallSignal {
  let _codec: Codec<CallSignal>

  export const codec = (): Codec<CallSignal> => {
    if (_codec == null) {
      _codec = message<CallSignal>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.end != null) {
          obj.candidate = undefined
          obj.description = undefined
          obj.accept = undefined
          obj.invite = undefined
        }

        if (obj.candidate != null) {
          obj.end = undefined
          obj.description = undefined
          obj.accept = undefined
          obj.invite = undefined
        }

        if (obj.description != null) {
          obj.end = undefined
          obj.candidate = undefined
          obj.accept = undefined
          obj.invite = undefined
        }

        if (obj.accept != null) {
          obj.end = undefined
          obj.candidate = undefined
          obj.description = undefined
          obj.invite = undefined
        }

        if (obj.invite != null) {
          obj.end = undefined
          obj.candidate = undefined
          obj.description = undefined
          obj.accept = undefined
        }

        if ((obj.call != null && obj.call.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.call)
        }

        if (obj.invite != null) {
          w.uint32(18)
          CallInvite.codec().encode(obj.invite, w)
        }

        if (obj.accept != null) {
          w.uint32(26)
          CallAccept.codec().encode(obj.accept, w)
        }

        if (obj.description != null) {
          w.uint32(34)
          CallDescription.codec().encode(obj.description, w)
        }

        if (obj.candidate != null) {
          w.uint32(42)
          CallCandidate.codec().encode(obj.candidate, w)
        }

        if (obj.end != null) {
          w.uint32(50)
          CallEnd.codec().encode(obj.end, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          call: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.call = reader.bytes()
              break
            }
            case 2: {
              obj.invite = CallInvite.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.invite
              })
              break
            }
            case 3: {
              obj.accept = CallAccept.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.accept
              })
              break
            }
            case 4: {
              obj.description = CallDescription.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.description
              })
              break
            }
            case 5: {
              obj.candidate = CallCandidate.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.candidate
              })
              break
            }
            case 6: {
              obj.end = CallEnd.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.end
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.end != null) {
          delete obj.candidate
          delete obj.description
          delete obj.accept
          delete obj.invite
        }

        if (obj.candidate != null) {
          delete obj.end
          delete obj.description
          delete obj.accept
          delete obj.invite
        }

        if (obj.description != null) {
          delete obj.end
          delete obj.candidate
          delete obj.accept
          delete obj.invite
        }

        if (obj.accept != null) {
          delete obj.end
          delete obj.candidate
          delete obj.description
          delete obj.invite
        }

        if (obj.invite != null) {
          delete obj.end
          delete obj.candidate
          delete obj.description
          delete obj.accept
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.call`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield * CallInvite.codec().stream(reader, reader.uint32(), `${prefix}.invite`, {
                limits: opts.limits?.invite
              })

              break
            }
            case 3: {
              yield * CallAccept.codec().stream(reader, reader.uint32(), `${prefix}.accept`, {
                limits: opts.limits?.accept
              })

              break
            }
            case 4: {
              yield * CallDescription.codec().stream(reader, reader.uint32(), `${prefix}.description`, {
                limits: opts.limits?.description
              })

              break
            }
            case 5: {
              yield * CallCandidate.codec().stream(reader, reader.uint32(), `${prefix}.candidate`, {
                limits: opts.limits?.candidate
              })

              break
            }
            case 6: {
              yield * CallEnd.codec().stream(reader, reader.uint32(), `${prefix}.end`, {
                limits: opts.limits?.end
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface CallSignalCallFieldEvent {
    field: '$.call'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CallSignalInviteVideoFieldEvent {
    field: '$.invite.video'
    value: boolean
  }

  export interface CallSignalInviteGroupFieldEvent {
    field: '$.invite.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CallSignalInviteSignalSecretFieldEvent {
    field: '$.invite.signalSecret'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CallSignalAcceptReplacesFieldEvent {
    field: '$.accept.replaces'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CallSignalDescriptionTypeFieldEvent {
    field: '$.description.type'
    value: CallDescription.Type
  }

  export interface CallSignalDescriptionSdpFieldEvent {
    field: '$.description.sdp'
    value: string
  }

  export interface CallSignalDescriptionFingerprintFieldEvent {
    field: '$.description.fingerprint'
    value: string
  }

  export interface CallSignalDescriptionMediaKeyFieldEvent {
    field: '$.description.mediaKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CallSignalCandidateCandidateFieldEvent {
    field: '$.candidate.candidate'
    value: string
  }

  export interface CallSignalCandidateSdpMidFieldEvent {
    field: '$.candidate.sdpMid'
    value: string
  }

  export interface CallSignalCandidateSdpMLineIndexFieldEvent {
    field: '$.candidate.sdpMLineIndex'
    value: number
  }

  export interface CallSignalEndReasonFieldEvent {
    field: '$.end.reason'
    value: CallEnd.Reason
  }

  export function encode (obj: Partial<CallSignal>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CallSignal.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallSignal>): CallSignal {
    return decodeMessage(buf, CallSignal.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallSignal>): Generator<CallSignalCallFieldEvent | CallSignalInviteVideoFieldEvent | CallSignalInviteGroupFieldEvent | CallSignalInviteSignalSecretFieldEvent | CallSignalAcceptReplacesFieldEvent | CallSignalDescriptionTypeFieldEvent | CallSignalDescriptionSdpFieldEvent | CallSignalDescriptionFingerprintFieldEvent | CallSignalDescriptionMediaKeyFieldEvent | CallSignalCandidateCandidateFieldEvent | CallSignalCandidateSdpMidFieldEvent | CallSignalCandidateSdpMLineIndexFieldEvent | CallSignalEndReasonFieldEvent> {
    return streamMessage(buf, CallSignal.codec(), opts)
  }
}

export interface CallInvite {
  video: boolean
  group?: Uint8Array<ArrayBuffer>
  signalSecret?: Uint8Array<ArrayBuffer>
}

export namespace CallInvite {
  let _codec: Codec<CallInvite>

  export const codec = (): Codec<CallInvite> => {
    if (_codec == null) {
      _codec = message<CallInvite>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.video != null && obj.video !== false)) {
          w.uint32(8)
          w.bool(obj.video)
        }

        if (obj.group != null) {
          w.uint32(18)
          w.bytes(obj.group)
        }

        if (obj.signalSecret != null) {
          w.uint32(26)
          w.bytes(obj.signalSecret)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          video: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.video = reader.bool()
              break
            }
            case 2: {
              obj.group = reader.bytes()
              break
            }
            case 3: {
              obj.signalSecret = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.video`,
                value: reader.bool()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.group`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.signalSecret`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface CallInviteVideoFieldEvent {
    field: '$.video'
    value: boolean
  }

  export interface CallInviteGroupFieldEvent {
    field: '$.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CallInviteSignalSecretFieldEvent {
    field: '$.signalSecret'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<CallInvite>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CallInvite.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallInvite>): CallInvite {
    return decodeMessage(buf, CallInvite.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallInvite>): Generator<CallInviteVideoFieldEvent | CallInviteGroupFieldEvent | CallInviteSignalSecretFieldEvent> {
    return streamMessage(buf, CallInvite.codec(), opts)
  }
}

export interface CallAccept {
  replaces?: Uint8Array<ArrayBuffer>
}

export namespace CallAccept {
  let _codec: Codec<CallAccept>

  export const codec = (): Codec<CallAccept> => {
    if (_codec == null) {
      _codec = message<CallAccept>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.replaces != null) {
          w.uint32(10)
          w.bytes(obj.replaces)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.replaces = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.replaces`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface CallAcceptReplacesFieldEvent {
    field: '$.replaces'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<CallAccept>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CallAccept.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallAccept>): CallAccept {
    return decodeMessage(buf, CallAccept.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallAccept>): Generator<CallAcceptReplacesFieldEvent> {
    return streamMessage(buf, CallAccept.codec(), opts)
  }
}

export interface CallDescription {
  type: CallDescription.Type
  sdp: string
  fingerprint: string
  mediaKey: Uint8Array<ArrayBuffer>
}

export namespace CallDescription {
  export enum Type {
    OFFER = 'OFFER',
    ANSWER = 'ANSWER'
  }

  enum __TypeValues {
    OFFER = 0,
    ANSWER = 1
  }

  export namespace Type {
    export const codec = (): Codec<Type> => {
      return enumeration<Type>(__TypeValues)
    }
  }

  let _codec: Codec<CallDescription>

  export const codec = (): Codec<CallDescription> => {
    if (_codec == null) {
      _codec = message<CallDescription>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __TypeValues[obj.type] !== 0) {
          w.uint32(8)
          CallDescription.Type.codec().encode(obj.type, w)
        }

        if ((obj.sdp != null && obj.sdp !== '')) {
          w.uint32(18)
          w.string(obj.sdp)
        }

        if ((obj.fingerprint != null && obj.fingerprint !== '')) {
          w.uint32(26)
          w.string(obj.fingerprint)
        }

        if ((obj.mediaKey != null && obj.mediaKey.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.mediaKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: Type.OFFER,
          sdp: '',
          fingerprint: '',
          mediaKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = CallDescription.Type.codec().decode(reader)
              break
            }
            case 2: {
              obj.sdp = reader.string()
              break
            }
            case 3: {
              obj.fingerprint = reader.string()
              break
            }
            case 4: {
              obj.mediaKey = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: CallDescription.Type.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sdp`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.fingerprint`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.mediaKey`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface CallDescriptionTypeFieldEvent {
    field: '$.type'
    value: CallDescription.Type
  }

  export interface CallDescriptionSdpFieldEvent {
    field: '$.sdp'
    value: string
  }

  export interface CallDescriptionFingerprintFieldEvent {
    field: '$.fingerprint'
    value: string
  }

  export interface CallDescriptionMediaKeyFieldEvent {
    field: '$.mediaKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<CallDescription>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CallDescription.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallDescription>): CallDescription {
    return decodeMessage(buf, CallDescription.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallDescription>): Generator<CallDescriptionTypeFieldEvent | CallDescriptionSdpFieldEvent | CallDescriptionFingerprintFieldEvent | CallDescriptionMediaKeyFieldEvent> {
    return streamMessage(buf, CallDescription.codec(), opts)
  }
}

export interface CallCandidate {
  candidate: string
  sdpMid?: string
  sdpMLineIndex?: number
}

export namespace CallCandidate {
  let _codec: Codec<CallCandidate>

  export const codec = (): Codec<CallCandidate> => {
    if (_codec == null) {
      _codec = message<CallCandidate>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.candidate != null && obj.candidate !== '')) {
          w.uint32(10)
          w.string(obj.candidate)
        }

        if (obj.sdpMid != null) {
          w.uint32(18)
          w.string(obj.sdpMid)
        }

        if (obj.sdpMLineIndex != null) {
          w.uint32(24)
          w.uint32(obj.sdpMLineIndex)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          candidate: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.candidate = reader.string()
              break
            }
            case 2: {
              obj.sdpMid = reader.string()
              break
            }
            case 3: {
              obj.sdpMLineIndex = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.candidate`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sdpMid`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sdpMLineIndex`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface CallCandidateCandidateFieldEvent {
    field: '$.candidate'
    value: string
  }

  export interface CallCandidateSdpMidFieldEvent {
    field: '$.sdpMid'
    value: string
  }

  export interface CallCandidateSdpMLineIndexFieldEvent {
    field: '$.sdpMLineIndex'
    value: number
  }

  export function encode (obj: Partial<CallCandidate>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CallCandidate.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallCandidate>): CallCandidate {
    return decodeMessage(buf, CallCandidate.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallCandidate>): Generator<CallCandidateCandidateFieldEvent | CallCandidateSdpMidFieldEvent | CallCandidateSdpMLineIndexFieldEvent> {
    return streamMessage(buf, CallCandidate.codec(), opts)
  }
}

export interface CallEnd {
  reason: CallEnd.Reason
}

export namespace CallEnd {
  export enum Reason {
    HANGUP = 'HANGUP',
    DECLINED = 'DECLINED',
    BUSY = 'BUSY',
    UNANSWERED = 'UNANSWERED',
    FAILED = 'FAILED',
    FINGERPRINT_MISMATCH = 'FINGERPRINT_MISMATCH'
  }

  enum __ReasonValues {
    HANGUP = 0,
    DECLINED = 1,
    BUSY = 2,
    UNANSWERED = 3,
    FAILED = 4,
    FINGERPRINT_MISMATCH = 5
  }

  export namespace Reason {
    export const codec = (): Codec<Reason> => {
      return enumeration<Reason>(__ReasonValues)
    }
  }

  let _codec: Codec<CallEnd>

  export const codec = (): Codec<CallEnd> => {
    if (_codec == null) {
      _codec = message<CallEnd>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.reason != null && __ReasonValues[obj.reason] !== 0) {
          w.uint32(8)
          CallEnd.Reason.codec().encode(obj.reason, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          reason: Reason.HANGUP
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.reason = CallEnd.Reason.codec().decode(reader)
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.reason`,
                value: CallEnd.Reason.codec().decode(reader)
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface CallEndReasonFieldEvent {
    field: '$.reason'
    value: CallEnd.Reason
  }

  export function encode (obj: Partial<CallEnd>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CallEnd.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallEnd>): CallEnd {
    return decodeMessage(buf, CallEnd.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallEnd>): Generator<CallEndReasonFieldEvent> {
    return streamMessage(buf, CallEnd.codec(), opts)
  }
}
