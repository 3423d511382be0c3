import { decodeMessage, encodeMessage, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface SealedEnvelope {
  version: number
  ephemeralKey: Uint8Array<ArrayBuffer>
  sealedSender: Uint8Array<ArrayBuffer>
  body: Uint8Array<ArrayBuffer>
}

export namespace SealedEnvelope {
  let _codec: Codec<SealedEnvelope>

  export const codec = (): Codec<SealedEnvelope> => {
    if (_codec == null) {
      _codec = message<SealedEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.ephemeralKey != null && obj.ephemeralKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.ephemeralKey)
        }

        if ((obj.sealedSender != null && obj.sealedSender.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.sealedSender)
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.body)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          ephemeralKey: uint8ArrayAlloc(0),
          sealedSender: uint8ArrayAlloc(0),
          body: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.ephemeralKey = reader.bytes()
              break
            }
            case 3: {
              obj.sealedSender = reader.bytes()
              break
            }
            case 4: {
              obj.body = reader.bytes()
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
                field: `${prefix}.version`,
                value: reader.uint32()
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
                field: `${prefix}.sealedSender`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.body`,
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

  export interface SealedEnvelopeVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface SealedEnvelopeEphemeralKeyFieldEvent {
    field: '$.ephemeralKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SealedEnvelopeSealedSenderFieldEvent {
    field: '$.sealedSender'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SealedEnvelopeBodyFieldEvent {
    field: '$.body'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SealedEnvelope>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SealedEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealedEnvelope>): SealedEnvelope {
    return decodeMessage(buf, SealedEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealedEnvelope>): Generator<SealedEnvelopeVersionFieldEvent | SealedEnvelopeEphemeralKeyFieldEvent | SealedEnvelopeSealedSenderFieldEvent | SealedEnvelopeBodyFieldEvent> {
    return streamMessage(buf, SealedEnvelope.codec(), opts)
  }
}
