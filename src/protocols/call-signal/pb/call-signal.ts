import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface CallSignalFrame {
  call: Uint8Array<ArrayBuffer>
  counter: bigint
  sealed: Uint8Array<ArrayBuffer>
}

export namespace CallSignalFrame {
  let _codec: Codec<CallSignalFrame>

  export const codec = (): Codec<CallSignalFrame> => {
    if (_codec == null) {
      _codec = message<CallSignalFrame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.call != null && obj.call.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.call)
        }

        if ((obj.counter != null && obj.counter !== 0n)) {
          w.uint32(16)
          w.uint64(obj.counter)
        }

        if ((obj.sealed != null && obj.sealed.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.sealed)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          call: uint8ArrayAlloc(0),
          counter: 0n,
          sealed: uint8ArrayAlloc(0)
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
              obj.counter = reader.uint64()
              break
            }
            case 3: {
              obj.sealed = reader.bytes()
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
                field: `${prefix}.call`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.counter`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sealed`,
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

  export interface CallSignalFrameCallFieldEvent {
    field: '$.call'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CallSignalFrameCounterFieldEvent {
    field: '$.counter'
    value: bigint
  }

  export interface CallSignalFrameSealedFieldEvent {
    field: '$.sealed'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<CallSignalFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CallSignalFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallSignalFrame>): CallSignalFrame {
    return decodeMessage(buf, CallSignalFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallSignalFrame>): Generator<CallSignalFrameCallFieldEvent | CallSignalFrameCounterFieldEvent | CallSignalFrameSealedFieldEvent> {
    return streamMessage(buf, CallSignalFrame.codec(), opts)
  }
}

export interface CallSignalAck {
  status: CallSignalAck.Status
}

export namespace CallSignalAck {
  export enum Status {
    OK = 'OK',
    REFUSED = 'REFUSED'
  }

  enum __StatusValues {
    OK = 0,
    REFUSED = 1
  }

  export namespace Status {
    export const codec = (): Codec<Status> => {
      return enumeration<Status>(__StatusValues)
    }
  }

  let _codec: Codec<CallSignalAck>

  export const codec = (): Codec<CallSignalAck> => {
    if (_codec == null) {
      _codec = message<CallSignalAck>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(8)
          CallSignalAck.Status.codec().encode(obj.status, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: Status.OK
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = CallSignalAck.Status.codec().decode(reader)
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
                field: `${prefix}.status`,
                value: CallSignalAck.Status.codec().decode(reader)
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

  export interface CallSignalAckStatusFieldEvent {
    field: '$.status'
    value: CallSignalAck.Status
  }

  export function encode (obj: Partial<CallSignalAck>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CallSignalAck.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallSignalAck>): CallSignalAck {
    return decodeMessage(buf, CallSignalAck.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallSignalAck>): Generator<CallSignalAckStatusFieldEvent> {
    return streamMessage(buf, CallSignalAck.codec(), opts)
  }
}
