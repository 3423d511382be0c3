import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface RatchetRecord {
  rootKey: Uint8Array<ArrayBuffer>
  ownPublic: Uint8Array<ArrayBuffer>
  ownPrivate: Uint8Array<ArrayBuffer>
  remotePublic: Uint8Array<ArrayBuffer>
  sendingChain: Uint8Array<ArrayBuffer>
  receivingChain: Uint8Array<ArrayBuffer>
  sent: number
  received: number
  previousSent: number
  skipped: RatchetRecord.SkippedKey[]
  previousRemoteKeys: Uint8Array<ArrayBuffer>[]
  associatedData: Uint8Array<ArrayBuffer>
  evicted: RatchetRecord.EvictedRange[]
}

export namespace RatchetRecord {
  export interface SkippedKey {
    remoteKey: Uint8Array<ArrayBuffer>
    n: number
    messageKey: Uint8Array<ArrayBuffer>
  }

  export namespace SkippedKey {
    let _codec: Codec<SkippedKey>

    export const codec = (): Codec<SkippedKey> => {
      if (_codec == null) {
        _codec = message<SkippedKey>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.remoteKey != null && obj.remoteKey.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.remoteKey)
          }

          if ((obj.n != null && obj.n !== 0)) {
            w.uint32(16)
            w.uint32(obj.n)
          }

          if ((obj.messageKey != null && obj.messageKey.byteLength > 0)) {
            w.uint32(26)
            w.bytes(obj.messageKey)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            remoteKey: uint8ArrayAlloc(0),
            n: 0,
            messageKey: uint8ArrayAlloc(0)
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.remoteKey = reader.bytes()
                break
              }
              case 2: {
                obj.n = reader.uint32()
                break
              }
              case 3: {
                obj.messageKey = reader.bytes()
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
                  field: `${prefix}.remoteKey`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.n`,
                  value: reader.uint32()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.messageKey`,
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

    export interface SkippedKeyRemoteKeyFieldEvent {
      field: '$.remoteKey'
      value: Uint8Array<ArrayBuffer>
    }

    export interface SkippedKeyNFieldEvent {
      field: '$.n'
      value: number
    }

    export interface SkippedKeyMessageKeyFieldEvent {
      field: '$.messageKey'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<SkippedKey>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, SkippedKey.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SkippedKey>): SkippedKey {
      return decodeMessage(buf, SkippedKey.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SkippedKey>): Generator<SkippedKeyRemoteKeyFieldEvent | SkippedKeyNFieldEvent | SkippedKeyMessageKeyFieldEvent> {
      return streamMessage(buf, SkippedKey.codec(), opts)
    }
  }

  export interface EvictedRange {
    remoteKey: Uint8Array<ArrayBuffer>
    from: number
    to: number
  }

  export namespace EvictedRange {
    let _codec: Codec<EvictedRange>

    export const codec = (): Codec<EvictedRange> => {
      if (_codec == null) {
        _codec = message<EvictedRange>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.remoteKey != null && obj.remoteKey.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.remoteKey)
          }

          if ((obj.from != null && obj.from !== 0)) {
            w.uint32(16)
            w.uint32(obj.from)
          }

          if ((obj.to != null && obj.to !== 0)) {
            w.uint32(24)
            w.uint32(obj.to)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            remoteKey: uint8ArrayAlloc(0),
            from: 0,
            to: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.remoteKey = reader.bytes()
                break
              }
              case 2: {
                obj.from = reader.uint32()
                break
              }
              case 3: {
                obj.to = reader.uint32()
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
                  field: `${prefix}.remoteKey`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.from`,
                  value: reader.uint32()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.to`,
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

    export interface EvictedRangeRemoteKeyFieldEvent {
      field: '$.remoteKey'
      value: Uint8Array<ArrayBuffer>
    }

    export interface EvictedRangeFromFieldEvent {
      field: '$.from'
      value: number
    }

    export interface EvictedRangeToFieldEvent {
      field: '$.to'
      value: number
    }

    export function encode (obj: Partial<EvictedRange>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, EvictedRange.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EvictedRange>): EvictedRange {
      return decodeMessage(buf, EvictedRange.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EvictedRange>): Generator<EvictedRangeRemoteKeyFieldEvent | EvictedRangeFromFieldEvent | EvictedRangeToFieldEvent> {
      return streamMessage(buf, EvictedRange.codec(), opts)
    }
  }

  let _codec: Codec<RatchetRecord>

  export const codec = (): Codec<RatchetRecord> => {
    if (_codec == null) {
      _codec = message<RatchetRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.rootKey != null && obj.rootKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.rootKey)
        }

        if ((obj.ownPublic != null && obj.ownPublic.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.ownPublic)
        }

        if ((obj.ownPrivate != null && obj.ownPrivate.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.ownPrivate)
        }

        if ((obj.remotePublic != null && obj.remotePublic.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.remotePublic)
        }

        if ((obj.sendingChain != null && obj.sendingChain.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.sendingChain)
        }

        if ((obj.receivingChain != null && obj.receivingChain.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.receivingChain)
        }

        if ((obj.sent != null && obj.sent !== 0)) {
          w.uint32(56)
          w.uint32(obj.sent)
        }

        if ((obj.received != null && obj.received !== 0)) {
          w.uint32(64)
          w.uint32(obj.received)
        }

        if ((obj.previousSent != null && obj.previousSent !== 0)) {
          w.uint32(72)
          w.uint32(obj.previousSent)
        }

        if (obj.skipped != null && obj.skipped.length > 0) {
          for (const value of obj.skipped) {
            w.uint32(82)
            RatchetRecord.SkippedKey.codec().encode(value, w)
          }
        }

        if (obj.previousRemoteKeys != null && obj.previousRemoteKeys.length > 0) {
          for (const value of obj.previousRemoteKeys) {
            w.uint32(90)
            w.bytes(value)
          }
        }

        if ((obj.associatedData != null && obj.associatedData.byteLength > 0)) {
          w.uint32(98)
          w.bytes(obj.associatedData)
        }

        if (obj.evicted != null && obj.evicted.length > 0) {
          for (const value of obj.evicted) {
            w.uint32(106)
            RatchetRecord.EvictedRange.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          rootKey: uint8ArrayAlloc(0),
          ownPublic: uint8ArrayAlloc(0),
          ownPrivate: uint8ArrayAlloc(0),
          remotePublic: uint8ArrayAlloc(0),
          sendingChain: uint8ArrayAlloc(0),
          receivingChain: uint8ArrayAlloc(0),
          sent: 0,
          received: 0,
          previousSent: 0,
          skipped: [],
          previousRemoteKeys: [],
          associatedData: uint8ArrayAlloc(0),
          evicted: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.rootKey = reader.bytes()
              break
            }
            case 2: {
              obj.ownPublic = reader.bytes()
              break
            }
            case 3: {
              obj.ownPrivate = reader.bytes()
              break
            }
            case 4: {
              obj.remotePublic = reader.bytes()
              break
            }
            case 5: {
              obj.sendingChain = reader.bytes()
              break
            }
            case 6: {
              obj.receivingChain = reader.bytes()
              break
            }
            case 7: {
              obj.sent = reader.uint32()
              break
            }
            case 8: {
              obj.received = reader.uint32()
              break
            }
            case 9: {
              obj.previousSent = reader.uint32()
              break
            }
            case 10: {
              if (opts.limits?.skipped != null && obj.skipped.length === opts.limits.skipped) {
                throw new MaxLengthError('Decode error - repeated field "skipped" had too many elements')
              }

              obj.skipped.push(RatchetRecord.SkippedKey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.skipped$
              }))
              break
            }
            case 11: {
              if (opts.limits?.previousRemoteKeys != null && obj.previousRemoteKeys.length === opts.limits.previousRemoteKeys) {
                throw new MaxLengthError('Decode error - repeated field "previousRemoteKeys" had too many elements')
              }

              obj.previousRemoteKeys.push(reader.bytes())
              break
            }
            case 12: {
              obj.associatedData = reader.bytes()
              break
            }
            case 13: {
              if (opts.limits?.evicted != null && obj.evicted.length === opts.limits.evicted) {
                throw new MaxLengthError('Decode error - repeated field "evicted" had too many elements')
              }

              obj.evicted.push(RatchetRecord.EvictedRange.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.evicted$
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
          skipped: 0,
          previousRemoteKeys: 0,
          evicted: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.rootKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.ownPublic`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.ownPrivate`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.remotePublic`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.sendingChain`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.receivingChain`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.sent`,
                value: reader.uint32()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.received`,
                value: reader.uint32()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.previousSent`,
                value: reader.uint32()
              }
              break
            }
            case 10: {
              if (opts.limits?.skipped != null && obj.skipped === opts.limits.skipped) {
                throw new MaxLengthError('Streaming decode error - repeated field "skipped" had too many elements')
              }

              for (const evt of RatchetRecord.SkippedKey.codec().stream(reader, reader.uint32(), `${prefix}.skipped[]`, {
                limits: opts.limits?.skipped$
              })) {
                yield {
                  ...evt,
                  index: obj.skipped
                }
              }

              obj.skipped++

              break
            }
            case 11: {
              if (opts.limits?.previousRemoteKeys != null && obj.previousRemoteKeys === opts.limits.previousRemoteKeys) {
                throw new MaxLengthError('Streaming decode error - repeated field "previousRemoteKeys" had too many elements')
              }

              yield {
                field: `${prefix}.previousRemoteKeys[]`,
                index: obj.previousRemoteKeys,
                value: reader.bytes()
              }

              obj.previousRemoteKeys++

              break
            }
            case 12: {
              yield {
                field: `${prefix}.associatedData`,
                value: reader.bytes()
              }
              break
            }
            case 13: {
              if (opts.limits?.evicted != null && obj.evicted === opts.limits.evicted) {
                throw new MaxLengthError('Streaming decode error - repeated field "evicted" had too many elements')
              }

              for (const evt of RatchetRecord.EvictedRange.codec().stream(reader, reader.uint32(), `${prefix}.evicted[]`, {
                limits: opts.limits?.evicted$
              })) {
                yield {
                  ...evt,
                  index: obj.evicted
                }
              }

              obj.evicted++

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

  export interface RatchetRecordRootKeyFieldEvent {
    field: '$.rootKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetRecordOwnPublicFieldEvent {
    field: '$.ownPublic'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetRecordOwnPrivateFieldEvent {
    field: '$.ownPrivate'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetRecordRemotePublicFieldEvent {
    field: '$.remotePublic'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetRecordSendingChainFieldEvent {
    field: '$.sendingChain'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetRecordReceivingChainFieldEvent {
    field: '$.receivingChain'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetRecordSentFieldEvent {
    field: '$.sent'
    value: number
  }

  export interface RatchetRecordReceivedFieldEvent {
    field: '$.received'
    value: number
  }

  export interface RatchetRecordPreviousSentFieldEvent {
    field: '$.previousSent'
    value: number
  }

  export interface RatchetRecordSkippedRemoteKeyFieldEvent {
    field: '$.skipped[].remoteKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RatchetRecordSkippedNFieldEvent {
    field: '$.skipped[].n'
    value: number
    index: number
  }

  export interface RatchetRecordSkippedMessageKeyFieldEvent {
    field: '$.skipped[].messageKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RatchetRecordPreviousRemoteKeysFieldEvent {
    field: '$.previousRemoteKeys[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetRecordAssociatedDataFieldEvent {
    field: '$.associatedData'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RatchetRecordEvictedRemoteKeyFieldEvent {
    field: '$.evicted[].remoteKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RatchetRecordEvictedFromFieldEvent {
    field: '$.evicted[].from'
    value: number
    index: number
  }

  export interface RatchetRecordEvictedToFieldEvent {
    field: '$.evicted[].to'
    value: number
    index: number
  }

  export function encode (obj: Partial<RatchetRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RatchetRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RatchetRecord>): RatchetRecord {
    return decodeMessage(buf, RatchetRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RatchetRecord>): Generator<RatchetRecordRootKeyFieldEvent | RatchetRecordOwnPublicFieldEvent | RatchetRecordOwnPrivateFieldEvent | RatchetRecordRemotePublicFieldEvent | RatchetRecordSendingChainFieldEvent | RatchetRecordReceivingChainFieldEvent | RatchetRecordSentFieldEvent | RatchetRecordReceivedFieldEvent | RatchetRecordPreviousSentFieldEvent | RatchetRecordSkippedRemoteKeyFieldEvent | RatchetRecordSkippedNFieldEvent | RatchetRecordSkippedMessageKeyFieldEvent | RatchetRecordPreviousRemoteKeysFieldEvent | RatchetRecordAssociatedDataFieldEvent | RatchetRecordEvictedRemoteKeyFieldEvent | RatchetRecordEvictedFromFieldEvent | RatchetRecordEvictedToFieldEvent> {
    return streamMessage(buf, RatchetRecord.codec(), opts)
  }
}
