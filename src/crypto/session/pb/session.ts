import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface InitialMessage {
  identityKey: Uint8Array<ArrayBuffer>
  ephemeralKey: Uint8Array<ArrayBuffer>
  kemCiphertext: Uint8Array<ArrayBuffer>
  signedPrekeyId: number
  pqPrekeyId: number
  oneTimePrekeyId?: number
}

export namespace InitialMessage {
  let _codec: Codec<InitialMessage>

  export const codec = (): Codec<InitialMessage> => {
    if (_codec == null) {
      _codec = message<InitialMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.identityKey != null && obj.identityKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.identityKey)
        }

        if ((obj.ephemeralKey != null && obj.ephemeralKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.ephemeralKey)
        }

        if ((obj.kemCiphertext != null && obj.kemCiphertext.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.kemCiphertext)
        }

        if ((obj.signedPrekeyId != null && obj.signedPrekeyId !== 0)) {
          w.uint32(32)
          w.uint32(obj.signedPrekeyId)
        }

        if ((obj.pqPrekeyId != null && obj.pqPrekeyId !== 0)) {
          w.uint32(40)
          w.uint32(obj.pqPrekeyId)
        }

        if (obj.oneTimePrekeyId != null) {
          w.uint32(48)
          w.uint32(obj.oneTimePrekeyId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          identityKey: uint8ArrayAlloc(0),
          ephemeralKey: uint8ArrayAlloc(0),
          kemCiphertext: uint8ArrayAlloc(0),
          signedPrekeyId: 0,
          pqPrekeyId: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.identityKey = reader.bytes()
              break
            }
            case 2: {
              obj.ephemeralKey = reader.bytes()
              break
            }
            case 3: {
              obj.kemCiphertext = reader.bytes()
              break
            }
            case 4: {
              obj.signedPrekeyId = reader.uint32()
              break
            }
            case 5: {
              obj.pqPrekeyId = reader.uint32()
              break
            }
            case 6: {
              obj.oneTimePrekeyId = reader.uint32()
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
                field: `${prefix}.identityKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.ephemeralKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.kemCiphertext`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.signedPrekeyId`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.pqPrekeyId`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.oneTimePrekeyId`,
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

  export interface InitialMessageIdentityKeyFieldEvent {
    field: '$.identityKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InitialMessageEphemeralKeyFieldEvent {
    field: '$.ephemeralKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InitialMessageKemCiphertextFieldEvent {
    field: '$.kemCiphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InitialMessageSignedPrekeyIdFieldEvent {
    field: '$.signedPrekeyId'
    value: number
  }

  export interface InitialMessagePqPrekeyIdFieldEvent {
    field: '$.pqPrekeyId'
    value: number
  }

  export interface InitialMessageOneTimePrekeyIdFieldEvent {
    field: '$.oneTimePrekeyId'
    value: number
  }

  export function encode (obj: Partial<InitialMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, InitialMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InitialMessage>): InitialMessage {
    return decodeMessage(buf, InitialMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InitialMessage>): Generator<InitialMessageIdentityKeyFieldEvent | InitialMessageEphemeralKeyFieldEvent | InitialMessageKemCiphertextFieldEvent | InitialMessageSignedPrekeyIdFieldEvent | InitialMessagePqPrekeyIdFieldEvent | InitialMessageOneTimePrekeyIdFieldEvent> {
    return streamMessage(buf, InitialMessage.codec(), opts)
  }
}

export interface SessionMessage {
  initial?: InitialMessage
  header: Uint8Array<ArrayBuffer>
  ciphertext: Uint8Array<ArrayBuffer>
}

export namespace SessionMessage {
  let _codec: Codec<SessionMessage>

  export const codec = (): Codec<SessionMessage> => {
    if (_codec == null) {
      _codec = message<SessionMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.initial != null) {
          w.uint32(10)
          InitialMessage.codec().encode(obj.initial, w)
        }

        if ((obj.header != null && obj.header.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.header)
        }

        if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.ciphertext)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          header: uint8ArrayAlloc(0),
          ciphertext: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.initial = InitialMessage.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.initial
              })
              break
            }
            case 2: {
              obj.header = reader.bytes()
              break
            }
            case 3: {
              obj.ciphertext = reader.bytes()
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
              yield * InitialMessage.codec().stream(reader, reader.uint32(), `${prefix}.initial`, {
                limits: opts.limits?.initial
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.header`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.ciphertext`,
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

  export interface SessionMessageInitialIdentityKeyFieldEvent {
    field: '$.initial.identityKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionMessageInitialEphemeralKeyFieldEvent {
    field: '$.initial.ephemeralKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionMessageInitialKemCiphertextFieldEvent {
    field: '$.initial.kemCiphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionMessageInitialSignedPrekeyIdFieldEvent {
    field: '$.initial.signedPrekeyId'
    value: number
  }

  export interface SessionMessageInitialPqPrekeyIdFieldEvent {
    field: '$.initial.pqPrekeyId'
    value: number
  }

  export interface SessionMessageInitialOneTimePrekeyIdFieldEvent {
    field: '$.initial.oneTimePrekeyId'
    value: number
  }

  export interface SessionMessageHeaderFieldEvent {
    field: '$.header'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionMessageCiphertextFieldEvent {
    field: '$.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SessionMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SessionMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionMessage>): SessionMessage {
    return decodeMessage(buf, SessionMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionMessage>): Generator<SessionMessageInitialIdentityKeyFieldEvent | SessionMessageInitialEphemeralKeyFieldEvent | SessionMessageInitialKemCiphertextFieldEvent | SessionMessageInitialSignedPrekeyIdFieldEvent | SessionMessageInitialPqPrekeyIdFieldEvent | SessionMessageInitialOneTimePrekeyIdFieldEvent | SessionMessageHeaderFieldEvent | SessionMessageCiphertextFieldEvent> {
    return streamMessage(buf, SessionMessage.codec(), opts)
  }
}

export interface SessionState {
  ratchet: Uint8Array<ArrayBuffer>
  pendingInitial?: InitialMessage
  initialEphemeral: Uint8Array<ArrayBuffer>
}

export namespace SessionState {
  let _codec: Codec<SessionState>

  export const codec = (): Codec<SessionState> => {
    if (_codec == null) {
      _codec = message<SessionState>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.ratchet != null && obj.ratchet.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.ratchet)
        }

        if (obj.pendingInitial != null) {
          w.uint32(18)
          InitialMessage.codec().encode(obj.pendingInitial, w)
        }

        if ((obj.initialEphemeral != null && obj.initialEphemeral.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.initialEphemeral)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ratchet: uint8ArrayAlloc(0),
          initialEphemeral: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.ratchet = reader.bytes()
              break
            }
            case 2: {
              obj.pendingInitial = InitialMessage.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.pendingInitial
              })
              break
            }
            case 3: {
              obj.initialEphemeral = reader.bytes()
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
                field: `${prefix}.ratchet`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield * InitialMessage.codec().stream(reader, reader.uint32(), `${prefix}.pendingInitial`, {
                limits: opts.limits?.pendingInitial
              })

              break
            }
            case 3: {
              yield {
                field: `${prefix}.initialEphemeral`,
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

  export interface SessionStateRatchetFieldEvent {
    field: '$.ratchet'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionStatePendingInitialIdentityKeyFieldEvent {
    field: '$.pendingInitial.identityKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionStatePendingInitialEphemeralKeyFieldEvent {
    field: '$.pendingInitial.ephemeralKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionStatePendingInitialKemCiphertextFieldEvent {
    field: '$.pendingInitial.kemCiphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionStatePendingInitialSignedPrekeyIdFieldEvent {
    field: '$.pendingInitial.signedPrekeyId'
    value: number
  }

  export interface SessionStatePendingInitialPqPrekeyIdFieldEvent {
    field: '$.pendingInitial.pqPrekeyId'
    value: number
  }

  export interface SessionStatePendingInitialOneTimePrekeyIdFieldEvent {
    field: '$.pendingInitial.oneTimePrekeyId'
    value: number
  }

  export interface SessionStateInitialEphemeralFieldEvent {
    field: '$.initialEphemeral'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SessionState>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SessionState.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionState>): SessionState {
    return decodeMessage(buf, SessionState.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionState>): Generator<SessionStateRatchetFieldEvent | SessionStatePendingInitialIdentityKeyFieldEvent | SessionStatePendingInitialEphemeralKeyFieldEvent | SessionStatePendingInitialKemCiphertextFieldEvent | SessionStatePendingInitialSignedPrekeyIdFieldEvent | SessionStatePendingInitialPqPrekeyIdFieldEvent | SessionStatePendingInitialOneTimePrekeyIdFieldEvent | SessionStateInitialEphemeralFieldEvent> {
    return streamMessage(buf, SessionState.codec(), opts)
  }
}

export interface SessionRecord {
  current?: SessionState
  previous: SessionState[]
}

export namespace SessionRecord {
  let _codec: Codec<SessionRecord>

  export const codec = (): Codec<SessionRecord> => {
    if (_codec == null) {
      _codec = message<SessionRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.current != null) {
          w.uint32(10)
          SessionState.codec().encode(obj.current, w)
        }

        if (obj.previous != null && obj.previous.length > 0) {
          for (const value of obj.previous) {
            w.uint32(18)
            SessionState.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          previous: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.current = SessionState.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.current
              })
              break
            }
            case 2: {
              if (opts.limits?.previous != null && obj.previous.length === opts.limits.previous) {
                throw new MaxLengthError('Decode error - repeated field "previous" had too many elements')
              }

              obj.previous.push(SessionState.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.previous$
              }))
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
        const obj = {
          previous: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * SessionState.codec().stream(reader, reader.uint32(), `${prefix}.current`, {
                limits: opts.limits?.current
              })

              break
            }
            case 2: {
              if (opts.limits?.previous != null && obj.previous === opts.limits.previous) {
                throw new MaxLengthError('Streaming decode error - repeated field "previous" had too many elements')
              }

              for (const evt of SessionState.codec().stream(reader, reader.uint32(), `${prefix}.previous[]`, {
                limits: opts.limits?.previous$
              })) {
                yield {
                  ...evt,
                  index: obj.previous
                }
              }

              obj.previous++

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

  export interface SessionRecordCurrentRatchetFieldEvent {
    field: '$.current.ratchet'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionRecordCurrentPendingInitialIdentityKeyFieldEvent {
    field: '$.current.pendingInitial.identityKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionRecordCurrentPendingInitialEphemeralKeyFieldEvent {
    field: '$.current.pendingInitial.ephemeralKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionRecordCurrentPendingInitialKemCiphertextFieldEvent {
    field: '$.current.pendingInitial.kemCiphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionRecordCurrentPendingInitialSignedPrekeyIdFieldEvent {
    field: '$.current.pendingInitial.signedPrekeyId'
    value: number
  }

  export interface SessionRecordCurrentPendingInitialPqPrekeyIdFieldEvent {
    field: '$.current.pendingInitial.pqPrekeyId'
    value: number
  }

  export interface SessionRecordCurrentPendingInitialOneTimePrekeyIdFieldEvent {
    field: '$.current.pendingInitial.oneTimePrekeyId'
    value: number
  }

  export interface SessionRecordCurrentInitialEphemeralFieldEvent {
    field: '$.current.initialEphemeral'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionRecordPreviousRatchetFieldEvent {
    field: '$.previous[].ratchet'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SessionRecordPreviousPendingInitialIdentityKeyFieldEvent {
    field: '$.previous[].pendingInitial.identityKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SessionRecordPreviousPendingInitialEphemeralKeyFieldEvent {
    field: '$.previous[].pendingInitial.ephemeralKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SessionRecordPreviousPendingInitialKemCiphertextFieldEvent {
    field: '$.previous[].pendingInitial.kemCiphertext'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SessionRecordPreviousPendingInitialSignedPrekeyIdFieldEvent {
    field: '$.previous[].pendingInitial.signedPrekeyId'
    value: number
    index: number
  }

  export interface SessionRecordPreviousPendingInitialPqPrekeyIdFieldEvent {
    field: '$.previous[].pendingInitial.pqPrekeyId'
    value: number
    index: number
  }

  export interface SessionRecordPreviousPendingInitialOneTimePrekeyIdFieldEvent {
    field: '$.previous[].pendingInitial.oneTimePrekeyId'
    value: number
    index: number
  }

  export interface SessionRecordPreviousInitialEphemeralFieldEvent {
    field: '$.previous[].initialEphemeral'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<SessionRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SessionRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionRecord>): SessionRecord {
    return decodeMessage(buf, SessionRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionRecord>): Generator<SessionRecordCurrentRatchetFieldEvent | SessionRecordCurrentPendingInitialIdentityKeyFieldEvent | SessionRecordCurrentPendingInitialEphemeralKeyFieldEvent | SessionRecordCurrentPendingInitialKemCiphertextFieldEvent | SessionRecordCurrentPendingInitialSignedPrekeyIdFieldEvent | SessionRecordCurrentPendingInitialPqPrekeyIdFieldEvent | SessionRecordCurrentPendingInitialOneTimePrekeyIdFieldEvent | SessionRecordCurrentInitialEphemeralFieldEvent | SessionRecordPreviousRatchetFieldEvent | SessionRecordPreviousPendingInitialIdentityKeyFieldEvent | SessionRecordPreviousPendingInitialEphemeralKeyFieldEvent | SessionRecordPreviousPendingInitialKemCiphertextFieldEvent | SessionRecordPreviousPendingInitialSignedPrekeyIdFieldEvent | SessionRecordPreviousPendingInitialPqPrekeyIdFieldEvent | SessionRecordPreviousPendingInitialOneTimePrekeyIdFieldEvent | SessionRecordPreviousInitialEphemeralFieldEvent> {
    return streamMessage(buf, SessionRecord.codec(), opts)
  }
}
