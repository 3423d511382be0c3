/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface SignedPrekey {
  id: number
  publicKey: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedPrekey {
  let _codec: Codec<SignedPrekey>

  export const codec = (): Codec<SignedPrekey> => {
    if (_codec == null) {
      _codec = message<SignedPrekey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(8)
          w.uint32(obj.id)
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.publicKey)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: 0,
          publicKey: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.uint32()
              break
            }
            case 2: {
              obj.publicKey = reader.bytes()
              break
            }
            case 3: {
              obj.signature = reader.bytes()
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
                field: `${prefix}.id`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.signature`,
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

  export interface SignedPrekeyIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface SignedPrekeyPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedPrekeySignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedPrekey>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedPrekey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedPrekey>): SignedPrekey {
    return decodeMessage(buf, SignedPrekey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedPrekey>): Generator<SignedPrekeyIdFieldEvent | SignedPrekeyPublicKeyFieldEvent | SignedPrekeySignatureFieldEvent> {
    return streamMessage(buf, SignedPrekey.codec(), opts)
  }
}

export interface OneTimePrekey {
  id: number
  publicKey: Uint8Array<ArrayBuffer>
}

export namespace OneTimePrekey {
  let _codec: Codec<OneTimePrekey>

  export const codec = (): Codec<OneTimePrekey> => {
    if (_codec == null) {
      _codec = message<OneTimePrekey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(8)
          w.uint32(obj.id)
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.publicKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: 0,
          publicKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.uint32()
              break
            }
            case 2: {
              obj.publicKey = reader.bytes()
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
                field: `${prefix}.id`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.publicKey`,
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

  export interface OneTimePrekeyIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface OneTimePrekeyPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<OneTimePrekey>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OneTimePrekey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OneTimePrekey>): OneTimePrekey {
    return decodeMessage(buf, OneTimePrekey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OneTimePrekey>): Generator<OneTimePrekeyIdFieldEvent | OneTimePrekeyPublicKeyFieldEvent> {
    return streamMessage(buf, OneTimePrekey.codec(), opts)
  }
}

export interface PrekeyBundle {
  identityKey: Uint8Array<ArrayBuffer>
  signedPrekey?: SignedPrekey
  pqPrekey?: SignedPrekey
  oneTimePrekey?: OneTimePrekey
}

export namespace PrekeyBundle {
  let _codec: Codec<PrekeyBundle>

  export const codec = (): Codec<PrekeyBundle> => {
    if (_codec == null) {
      _codec = message<PrekeyBundle>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.identityKey != null && obj.identityKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.identityKey)
        }

        if (obj.signedPrekey != null) {
          w.uint32(18)
          SignedPrekey.codec().encode(obj.signedPrekey, w)
        }

        if (obj.pqPrekey != null) {
          w.uint32(26)
          SignedPrekey.codec().encode(obj.pqPrekey, w)
        }

        if (obj.oneTimePrekey != null) {
          w.uint32(34)
          OneTimePrekey.codec().encode(obj.oneTimePrekey, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          identityKey: uint8ArrayAlloc(0)
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
              obj.signedPrekey = SignedPrekey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.signedPrekey
              })
              break
            }
            case 3: {
              obj.pqPrekey = SignedPrekey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.pqPrekey
              })
              break
            }
            case 4: {
              obj.oneTimePrekey = OneTimePrekey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.oneTimePrekey
              })
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
              yield * SignedPrekey.codec().stream(reader, reader.uint32(), `${prefix}.signedPrekey`, {
                limits: opts.limits?.signedPrekey
              })

              break
            }
            case 3: {
              yield * SignedPrekey.codec().stream(reader, reader.uint32(), `${prefix}.pqPrekey`, {
                limits: opts.limits?.pqPrekey
              })

              break
            }
            case 4: {
              yield * OneTimePrekey.codec().stream(reader, reader.uint32(), `${prefix}.oneTimePrekey`, {
                limits: opts.limits?.oneTimePrekey
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

  export interface PrekeyBundleIdentityKeyFieldEvent {
    field: '$.identityKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyBundleSignedPrekeyIdFieldEvent {
    field: '$.signedPrekey.id'
    value: number
  }

  export interface PrekeyBundleSignedPrekeyPublicKeyFieldEvent {
    field: '$.signedPrekey.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyBundleSignedPrekeySignatureFieldEvent {
    field: '$.signedPrekey.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyBundlePqPrekeyIdFieldEvent {
    field: '$.pqPrekey.id'
    value: number
  }

  export interface PrekeyBundlePqPrekeyPublicKeyFieldEvent {
    field: '$.pqPrekey.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyBundlePqPrekeySignatureFieldEvent {
    field: '$.pqPrekey.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyBundleOneTimePrekeyIdFieldEvent {
    field: '$.oneTimePrekey.id'
    value: number
  }

  export interface PrekeyBundleOneTimePrekeyPublicKeyFieldEvent {
    field: '$.oneTimePrekey.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PrekeyBundle>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PrekeyBundle.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PrekeyBundle>): PrekeyBundle {
    return decodeMessage(buf, PrekeyBundle.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PrekeyBundle>): Generator<PrekeyBundleIdentityKeyFieldEvent | PrekeyBundleSignedPrekeyIdFieldEvent | PrekeyBundleSignedPrekeyPublicKeyFieldEvent | PrekeyBundleSignedPrekeySignatureFieldEvent | PrekeyBundlePqPrekeyIdFieldEvent | PrekeyBundlePqPrekeyPublicKeyFieldEvent | PrekeyBundlePqPrekeySignatureFieldEvent | PrekeyBundleOneTimePrekeyIdFieldEvent | PrekeyBundleOneTimePrekeyPublicKeyFieldEvent> {
    return streamMessage(buf, PrekeyBundle.codec(), opts)
  }
}

export interface PrekeyRecord {
  bundle?: PrekeyBundle
  createdMs: bigint
  signature: Uint8Array<ArrayBuffer>
  requests?: RequestsMailbox
}

export namespace PrekeyRecord {
  let _codec: Codec<PrekeyRecord>

  export const codec = (): Codec<PrekeyRecord> => {
    if (_codec == null) {
      _codec = message<PrekeyRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.bundle != null) {
          w.uint32(10)
          PrekeyBundle.codec().encode(obj.bundle, w)
        }

        if ((obj.createdMs != null && obj.createdMs !== 0n)) {
          w.uint32(16)
          w.uint64(obj.createdMs)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if (obj.requests != null) {
          w.uint32(34)
          RequestsMailbox.codec().encode(obj.requests, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          createdMs: 0n,
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.bundle = PrekeyBundle.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.bundle
              })
              break
            }
            case 2: {
              obj.createdMs = reader.uint64()
              break
            }
            case 3: {
              obj.signature = reader.bytes()
              break
            }
            case 4: {
              obj.requests = RequestsMailbox.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.requests
              })
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
              yield * PrekeyBundle.codec().stream(reader, reader.uint32(), `${prefix}.bundle`, {
                limits: opts.limits?.bundle
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.createdMs`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield * RequestsMailbox.codec().stream(reader, reader.uint32(), `${prefix}.requests`, {
                limits: opts.limits?.requests
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

  export interface PrekeyRecordBundleIdentityKeyFieldEvent {
    field: '$.bundle.identityKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyRecordBundleSignedPrekeyIdFieldEvent {
    field: '$.bundle.signedPrekey.id'
    value: number
  }

  export interface PrekeyRecordBundleSignedPrekeyPublicKeyFieldEvent {
    field: '$.bundle.signedPrekey.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyRecordBundleSignedPrekeySignatureFieldEvent {
    field: '$.bundle.signedPrekey.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyRecordBundlePqPrekeyIdFieldEvent {
    field: '$.bundle.pqPrekey.id'
    value: number
  }

  export interface PrekeyRecordBundlePqPrekeyPublicKeyFieldEvent {
    field: '$.bundle.pqPrekey.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyRecordBundlePqPrekeySignatureFieldEvent {
    field: '$.bundle.pqPrekey.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyRecordBundleOneTimePrekeyIdFieldEvent {
    field: '$.bundle.oneTimePrekey.id'
    value: number
  }

  export interface PrekeyRecordBundleOneTimePrekeyPublicKeyFieldEvent {
    field: '$.bundle.oneTimePrekey.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyRecordCreatedMsFieldEvent {
    field: '$.createdMs'
    value: bigint
  }

  export interface PrekeyRecordSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyRecordRequestsPublicKeyFieldEvent {
    field: '$.requests.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyRecordRequestsSignatureFieldEvent {
    field: '$.requests.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PrekeyRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PrekeyRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PrekeyRecord>): PrekeyRecord {
    return decodeMessage(buf, PrekeyRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PrekeyRecord>): Generator<PrekeyRecordBundleIdentityKeyFieldEvent | PrekeyRecordBundleSignedPrekeyIdFieldEvent | PrekeyRecordBundleSignedPrekeyPublicKeyFieldEvent | PrekeyRecordBundleSignedPrekeySignatureFieldEvent | PrekeyRecordBundlePqPrekeyIdFieldEvent | PrekeyRecordBundlePqPrekeyPublicKeyFieldEvent | PrekeyRecordBundlePqPrekeySignatureFieldEvent | PrekeyRecordBundleOneTimePrekeyIdFieldEvent | PrekeyRecordBundleOneTimePrekeyPublicKeyFieldEvent | PrekeyRecordCreatedMsFieldEvent | PrekeyRecordSignatureFieldEvent | PrekeyRecordRequestsPublicKeyFieldEvent | PrekeyRecordRequestsSignatureFieldEvent> {
    return streamMessage(buf, PrekeyRecord.codec(), opts)
  }
}

export interface RequestsMailbox {
  publicKey: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace RequestsMailbox {
  let _codec: Codec<RequestsMailbox>

  export const codec = (): Codec<RequestsMailbox> => {
    if (_codec == null) {
      _codec = message<RequestsMailbox>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.publicKey)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          publicKey: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.publicKey = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
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
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
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

  export interface RequestsMailboxPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestsMailboxSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RequestsMailbox>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestsMailbox.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestsMailbox>): RequestsMailbox {
    return decodeMessage(buf, RequestsMailbox.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestsMailbox>): Generator<RequestsMailboxPublicKeyFieldEvent | RequestsMailboxSignatureFieldEvent> {
    return streamMessage(buf, RequestsMailbox.codec(), opts)
  }
}

export interface PrekeyRequest {}

export namespace PrekeyRequest {
  let _codec: Codec<PrekeyRequest>

  export const codec = (): Codec<PrekeyRequest> => {
    if (_codec == null) {
      _codec = message<PrekeyRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
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

  export function encode (obj: Partial<PrekeyRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PrekeyRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PrekeyRequest>): PrekeyRequest {
    return decodeMessage(buf, PrekeyRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PrekeyRequest>): Generator<{}> {
    return streamMessage(buf, PrekeyRequest.codec(), opts)
  }
}

export interface PrekeyResponse {
  bundle?: PrekeyBundle
  requests?: RequestsMailbox
}

export namespace PrekeyResponse {
  let _codec: Codec<PrekeyResponse>

  export const codec = (): Codec<PrekeyResponse> => {
    if (_codec == null) {
      _codec = message<PrekeyResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.bundle != null) {
          w.uint32(10)
          PrekeyBundle.codec().encode(obj.bundle, w)
        }

        if (obj.requests != null) {
          w.uint32(18)
          RequestsMailbox.codec().encode(obj.requests, w)
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
              obj.bundle = PrekeyBundle.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.bundle
              })
              break
            }
            case 2: {
              obj.requests = RequestsMailbox.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.requests
              })
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
              yield * PrekeyBundle.codec().stream(reader, reader.uint32(), `${prefix}.bundle`, {
                limits: opts.limits?.bundle
              })

              break
            }
            case 2: {
              yield * RequestsMailbox.codec().stream(reader, reader.uint32(), `${prefix}.requests`, {
                limits: opts.limits?.requests
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

  export interface PrekeyResponseBundleIdentityKeyFieldEvent {
    field: '$.bundle.identityKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyResponseBundleSignedPrekeyIdFieldEvent {
    field: '$.bundle.signedPrekey.id'
    value: number
  }

  export interface PrekeyResponseBundleSignedPrekeyPublicKeyFieldEvent {
    field: '$.bundle.signedPrekey.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyResponseBundleSignedPrekeySignatureFieldEvent {
    field: '$.bundle.signedPrekey.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyResponseBundlePqPrekeyIdFieldEvent {
    field: '$.bundle.pqPrekey.id'
    value: number
  }

  export interface PrekeyResponseBundlePqPrekeyPublicKeyFieldEvent {
    field: '$.bundle.pqPrekey.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyResponseBundlePqPrekeySignatureFieldEvent {
    field: '$.bundle.pqPrekey.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyResponseBundleOneTimePrekeyIdFieldEvent {
    field: '$.bundle.oneTimePrekey.id'
    value: number
  }

  export interface PrekeyResponseBundleOneTimePrekeyPublicKeyFieldEvent {
    field: '$.bundle.oneTimePrekey.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyResponseRequestsPublicKeyFieldEvent {
    field: '$.requests.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PrekeyResponseRequestsSignatureFieldEvent {
    field: '$.requests.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PrekeyResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PrekeyResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PrekeyResponse>): PrekeyResponse {
    return decodeMessage(buf, PrekeyResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PrekeyResponse>): Generator<PrekeyResponseBundleIdentityKeyFieldEvent | PrekeyResponseBundleSignedPrekeyIdFieldEvent | PrekeyResponseBundleSignedPrekeyPublicKeyFieldEvent | PrekeyResponseBundleSignedPrekeySignatureFieldEvent | PrekeyResponseBundlePqPrekeyIdFieldEvent | PrekeyResponseBundlePqPrekeyPublicKeyFieldEvent | PrekeyResponseBundlePqPrekeySignatureFieldEvent | PrekeyResponseBundleOneTimePrekeyIdFieldEvent | PrekeyResponseBundleOneTimePrekeyPublicKeyFieldEvent | PrekeyResponseRequestsPublicKeyFieldEvent | PrekeyResponseRequestsSignatureFieldEvent> {
    return streamMessage(buf, PrekeyResponse.codec(), opts)
  }
}
