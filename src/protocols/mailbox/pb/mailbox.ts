import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface MailboxRequest {
  store?: StoreRequest
  fetch?: FetchRequest
  offer?: OfferRequest
  watch?: FetchRequest
}

export namespace MailboxRequest {
  let _codec: Codec<MailboxRequest>

  export const codec = (): Codec<MailboxRequest> => {
    if (_codec == null) {
      _codec = message<MailboxRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.store != null) {
          w.uint32(10)
          StoreRequest.codec().encode(obj.store, w)
        }

        if (obj.fetch != null) {
          w.uint32(18)
          FetchRequest.codec().encode(obj.fetch, w)
        }

        if (obj.offer != null) {
          w.uint32(26)
          OfferRequest.codec().encode(obj.offer, w)
        }

        if (obj.watch != null) {
          w.uint32(34)
          FetchRequest.codec().encode(obj.watch, w)
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
              obj.store = StoreRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.store
              })
              break
            }
            case 2: {
              obj.fetch = FetchRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fetch
              })
              break
            }
            case 3: {
              obj.offer = OfferRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.offer
              })
              break
            }
            case 4: {
              obj.watch = FetchRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.watch
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
              yield * StoreRequest.codec().stream(reader, reader.uint32(), `${prefix}.store`, {
                limits: opts.limits?.store
              })

              break
            }
            case 2: {
              yield * FetchRequest.codec().stream(reader, reader.uint32(), `${prefix}.fetch`, {
                limits: opts.limits?.fetch
              })

              break
            }
            case 3: {
              yield * OfferRequest.codec().stream(reader, reader.uint32(), `${prefix}.offer`, {
                limits: opts.limits?.offer
              })

              break
            }
            case 4: {
              yield * FetchRequest.codec().stream(reader, reader.uint32(), `${prefix}.watch`, {
                limits: opts.limits?.watch
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

  export interface MailboxRequestStoreKeyFieldEvent {
    field: '$.store.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxRequestStoreEnvelopeFieldEvent {
    field: '$.store.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxRequestStoreStampFieldEvent {
    field: '$.store.stamp'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxRequestStoreExpiresAtFieldEvent {
    field: '$.store.expiresAt'
    value: bigint
  }

  export interface MailboxRequestFetchRecipientFieldEvent {
    field: '$.fetch.recipient'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxRequestFetchEpochsFieldEvent {
    field: '$.fetch.epochs[]'
    index: number
    value: number
  }

  export interface MailboxRequestFetchSinceFieldEvent {
    field: '$.fetch.since'
    value: bigint
  }

  export interface MailboxRequestOfferKeyFieldEvent {
    field: '$.offer.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxRequestOfferHashesFieldEvent {
    field: '$.offer.hashes[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxRequestWatchRecipientFieldEvent {
    field: '$.watch.recipient'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxRequestWatchEpochsFieldEvent {
    field: '$.watch.epochs[]'
    index: number
    value: number
  }

  export interface MailboxRequestWatchSinceFieldEvent {
    field: '$.watch.since'
    value: bigint
  }

  export function encode (obj: Partial<MailboxRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MailboxRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxRequest>): MailboxRequest {
    return decodeMessage(buf, MailboxRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxRequest>): Generator<MailboxRequestStoreKeyFieldEvent | MailboxRequestStoreEnvelopeFieldEvent | MailboxRequestStoreStampFieldEvent | MailboxRequestStoreExpiresAtFieldEvent | MailboxRequestFetchRecipientFieldEvent | MailboxRequestFetchEpochsFieldEvent | MailboxRequestFetchSinceFieldEvent | MailboxRequestOfferKeyFieldEvent | MailboxRequestOfferHashesFieldEvent | MailboxRequestWatchRecipientFieldEvent | MailboxRequestWatchEpochsFieldEvent | MailboxRequestWatchSinceFieldEvent> {
    return streamMessage(buf, MailboxRequest.codec(), opts)
  }
}

export interface StoreRequest {
  key: Uint8Array<ArrayBuffer>
  envelope: Uint8Array<ArrayBuffer>
  stamp?: Uint8Array<ArrayBuffer>
  expiresAt?: bigint
}

export namespace StoreRequest {
  let _codec: Codec<StoreRequest>

  export const codec = (): Codec<StoreRequest> => {
    if (_codec == null) {
      _codec = message<StoreRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if ((obj.envelope != null && obj.envelope.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.envelope)
        }

        if (obj.stamp != null) {
          w.uint32(26)
          w.bytes(obj.stamp)
        }

        if (obj.expiresAt != null) {
          w.uint32(32)
          w.uint64(obj.expiresAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          envelope: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.envelope = reader.bytes()
              break
            }
            case 3: {
              obj.stamp = reader.bytes()
              break
            }
            case 4: {
              obj.expiresAt = reader.uint64()
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
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.envelope`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.stamp`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64()
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

  export interface StoreRequestKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoreRequestEnvelopeFieldEvent {
    field: '$.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoreRequestStampFieldEvent {
    field: '$.stamp'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoreRequestExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: bigint
  }

  export function encode (obj: Partial<StoreRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoreRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreRequest>): StoreRequest {
    return decodeMessage(buf, StoreRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreRequest>): Generator<StoreRequestKeyFieldEvent | StoreRequestEnvelopeFieldEvent | StoreRequestStampFieldEvent | StoreRequestExpiresAtFieldEvent> {
    return streamMessage(buf, StoreRequest.codec(), opts)
  }
}

export interface StoreResponse {
  status: StoreResponse.Status
  reason: string
  expiresAt: bigint
  receipt: Uint8Array<ArrayBuffer>
  stampBits: number
}

export namespace StoreResponse {
  export enum Status {
    STORED = 'STORED',
    REFUSED = 'REFUSED'
  }

  enum __StatusValues {
    STORED = 0,
    REFUSED = 1
  }

  export namespace Status {
    export const codec = (): Codec<Status> => {
      return enumeration<Status>(__StatusValues)
    }
  }

  let _codec: Codec<StoreResponse>

  export const codec = (): Codec<StoreResponse> => {
    if (_codec == null) {
      _codec = message<StoreResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(8)
          StoreResponse.Status.codec().encode(obj.status, w)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(18)
          w.string(obj.reason)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0n)) {
          w.uint32(24)
          w.uint64(obj.expiresAt)
        }

        if ((obj.receipt != null && obj.receipt.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.receipt)
        }

        if ((obj.stampBits != null && obj.stampBits !== 0)) {
          w.uint32(40)
          w.uint32(obj.stampBits)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: Status.STORED,
          reason: '',
          expiresAt: 0n,
          receipt: uint8ArrayAlloc(0),
          stampBits: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = StoreResponse.Status.codec().decode(reader)
              break
            }
            case 2: {
              obj.reason = reader.string()
              break
            }
            case 3: {
              obj.expiresAt = reader.uint64()
              break
            }
            case 4: {
              obj.receipt = reader.bytes()
              break
            }
            case 5: {
              obj.stampBits = reader.uint32()
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
                value: StoreResponse.Status.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.reason`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.receipt`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.stampBits`,
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

  export interface StoreResponseStatusFieldEvent {
    field: '$.status'
    value: StoreResponse.Status
  }

  export interface StoreResponseReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export interface StoreResponseExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: bigint
  }

  export interface StoreResponseReceiptFieldEvent {
    field: '$.receipt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoreResponseStampBitsFieldEvent {
    field: '$.stampBits'
    value: number
  }

  export function encode (obj: Partial<StoreResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoreResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreResponse>): StoreResponse {
    return decodeMessage(buf, StoreResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreResponse>): Generator<StoreResponseStatusFieldEvent | StoreResponseReasonFieldEvent | StoreResponseExpiresAtFieldEvent | StoreResponseReceiptFieldEvent | StoreResponseStampBitsFieldEvent> {
    return streamMessage(buf, StoreResponse.codec(), opts)
  }
}

export interface FetchRequest {
  recipient: Uint8Array<ArrayBuffer>
  epochs: number[]
  since?: bigint
}

export namespace FetchRequest {
  let _codec: Codec<FetchRequest>

  export const codec = (): Codec<FetchRequest> => {
    if (_codec == null) {
      _codec = message<FetchRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.recipient != null && obj.recipient.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.recipient)
        }

        if (obj.epochs != null && obj.epochs.length > 0) {
          for (const value of obj.epochs) {
            w.uint32(16)
            w.uint32(value)
          }
        }

        if (obj.since != null) {
          w.uint32(24)
          w.uint64(obj.since)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          recipient: uint8ArrayAlloc(0),
          epochs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.recipient = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.epochs != null && obj.epochs.length === opts.limits.epochs) {
                throw new MaxLengthError('Decode error - repeated field "epochs" had too many elements')
              }

              obj.epochs.push(reader.uint32())
              break
            }
            case 3: {
              obj.since = reader.uint64()
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
          epochs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.recipient`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.epochs != null && obj.epochs === opts.limits.epochs) {
                throw new MaxLengthError('Streaming decode error - repeated field "epochs" had too many elements')
              }

              yield {
                field: `${prefix}.epochs[]`,
                index: obj.epochs,
                value: reader.uint32()
              }

              obj.epochs++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.since`,
                value: reader.uint64()
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

  export interface FetchRequestRecipientFieldEvent {
    field: '$.recipient'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FetchRequestEpochsFieldEvent {
    field: '$.epochs[]'
    index: number
    value: number
  }

  export interface FetchRequestSinceFieldEvent {
    field: '$.since'
    value: bigint
  }

  export function encode (obj: Partial<FetchRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FetchRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchRequest>): FetchRequest {
    return decodeMessage(buf, FetchRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchRequest>): Generator<FetchRequestRecipientFieldEvent | FetchRequestEpochsFieldEvent | FetchRequestSinceFieldEvent> {
    return streamMessage(buf, FetchRequest.codec(), opts)
  }
}

export interface FetchChallenge {
  challenge: Uint8Array<ArrayBuffer>
}

export namespace FetchChallenge {
  let _codec: Codec<FetchChallenge>

  export const codec = (): Codec<FetchChallenge> => {
    if (_codec == null) {
      _codec = message<FetchChallenge>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.challenge != null && obj.challenge.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.challenge)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          challenge: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.challenge = reader.bytes()
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
                field: `${prefix}.challenge`,
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

  export interface FetchChallengeChallengeFieldEvent {
    field: '$.challenge'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<FetchChallenge>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FetchChallenge.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchChallenge>): FetchChallenge {
    return decodeMessage(buf, FetchChallenge.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchChallenge>): Generator<FetchChallengeChallengeFieldEvent> {
    return streamMessage(buf, FetchChallenge.codec(), opts)
  }
}

export interface FetchProof {
  signature: Uint8Array<ArrayBuffer>
}

export namespace FetchProof {
  let _codec: Codec<FetchProof>

  export const codec = (): Codec<FetchProof> => {
    if (_codec == null) {
      _codec = message<FetchProof>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
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

  export interface FetchProofSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<FetchProof>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FetchProof.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchProof>): FetchProof {
    return decodeMessage(buf, FetchProof.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchProof>): Generator<FetchProofSignatureFieldEvent> {
    return streamMessage(buf, FetchProof.codec(), opts)
  }
}

export interface FetchPage {
  envelopes: StoredEnvelope[]
  done: boolean
  refused: string
}

export namespace FetchPage {
  let _codec: Codec<FetchPage>

  export const codec = (): Codec<FetchPage> => {
    if (_codec == null) {
      _codec = message<FetchPage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.envelopes != null && obj.envelopes.length > 0) {
          for (const value of obj.envelopes) {
            w.uint32(10)
            StoredEnvelope.codec().encode(value, w)
          }
        }

        if ((obj.done != null && obj.done !== false)) {
          w.uint32(16)
          w.bool(obj.done)
        }

        if ((obj.refused != null && obj.refused !== '')) {
          w.uint32(26)
          w.string(obj.refused)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          envelopes: [],
          done: false,
          refused: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.envelopes != null && obj.envelopes.length === opts.limits.envelopes) {
                throw new MaxLengthError('Decode error - repeated field "envelopes" had too many elements')
              }

              obj.envelopes.push(StoredEnvelope.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.envelopes$
              }))
              break
            }
            case 2: {
              obj.done = reader.bool()
              break
            }
            case 3: {
              obj.refused = reader.string()
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
          envelopes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.envelopes != null && obj.envelopes === opts.limits.envelopes) {
                throw new MaxLengthError('Streaming decode error - repeated field "envelopes" had too many elements')
              }

              for (const evt of StoredEnvelope.codec().stream(reader, reader.uint32(), `${prefix}.envelopes[]`, {
                limits: opts.limits?.envelopes$
              })) {
                yield {
                  ...evt,
                  index: obj.envelopes
                }
              }

              obj.envelopes++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.done`,
                value: reader.bool()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.refused`,
                value: reader.string()
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

  export interface FetchPageEnvelopesKeyFieldEvent {
    field: '$.envelopes[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FetchPageEnvelopesEnvelopeFieldEvent {
    field: '$.envelopes[].envelope'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FetchPageEnvelopesStampFieldEvent {
    field: '$.envelopes[].stamp'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FetchPageEnvelopesStoredAtFieldEvent {
    field: '$.envelopes[].storedAt'
    value: bigint
    index: number
  }

  export interface FetchPageDoneFieldEvent {
    field: '$.done'
    value: boolean
  }

  export interface FetchPageRefusedFieldEvent {
    field: '$.refused'
    value: string
  }

  export function encode (obj: Partial<FetchPage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FetchPage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchPage>): FetchPage {
    return decodeMessage(buf, FetchPage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchPage>): Generator<FetchPageEnvelopesKeyFieldEvent | FetchPageEnvelopesEnvelopeFieldEvent | FetchPageEnvelopesStampFieldEvent | FetchPageEnvelopesStoredAtFieldEvent | FetchPageDoneFieldEvent | FetchPageRefusedFieldEvent> {
    return streamMessage(buf, FetchPage.codec(), opts)
  }
}

export interface StoredEnvelope {
  key: Uint8Array<ArrayBuffer>
  envelope: Uint8Array<ArrayBuffer>
  stamp?: Uint8Array<ArrayBuffer>
  storedAt: bigint
}

export namespace StoredEnvelope {
  let _codec: Codec<StoredEnvelope>

  export const codec = (): Codec<StoredEnvelope> => {
    if (_codec == null) {
      _codec = message<StoredEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if ((obj.envelope != null && obj.envelope.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.envelope)
        }

        if (obj.stamp != null) {
          w.uint32(26)
          w.bytes(obj.stamp)
        }

        if ((obj.storedAt != null && obj.storedAt !== 0n)) {
          w.uint32(32)
          w.uint64(obj.storedAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          envelope: uint8ArrayAlloc(0),
          storedAt: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.envelope = reader.bytes()
              break
            }
            case 3: {
              obj.stamp = reader.bytes()
              break
            }
            case 4: {
              obj.storedAt = reader.uint64()
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
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.envelope`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.stamp`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.storedAt`,
                value: reader.uint64()
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

  export interface StoredEnvelopeKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoredEnvelopeEnvelopeFieldEvent {
    field: '$.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoredEnvelopeStampFieldEvent {
    field: '$.stamp'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoredEnvelopeStoredAtFieldEvent {
    field: '$.storedAt'
    value: bigint
  }

  export function encode (obj: Partial<StoredEnvelope>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoredEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredEnvelope>): StoredEnvelope {
    return decodeMessage(buf, StoredEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredEnvelope>): Generator<StoredEnvelopeKeyFieldEvent | StoredEnvelopeEnvelopeFieldEvent | StoredEnvelopeStampFieldEvent | StoredEnvelopeStoredAtFieldEvent> {
    return streamMessage(buf, StoredEnvelope.codec(), opts)
  }
}

export interface FetchAck {
  hashes: Uint8Array<ArrayBuffer>[]
}

export namespace FetchAck {
  let _codec: Codec<FetchAck>

  export const codec = (): Codec<FetchAck> => {
    if (_codec == null) {
      _codec = message<FetchAck>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.hashes != null && obj.hashes.length > 0) {
          for (const value of obj.hashes) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          hashes: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.hashes != null && obj.hashes.length === opts.limits.hashes) {
                throw new MaxLengthError('Decode error - repeated field "hashes" had too many elements')
              }

              obj.hashes.push(reader.bytes())
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
          hashes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.hashes != null && obj.hashes === opts.limits.hashes) {
                throw new MaxLengthError('Streaming decode error - repeated field "hashes" had too many elements')
              }

              yield {
                field: `${prefix}.hashes[]`,
                index: obj.hashes,
                value: reader.bytes()
              }

              obj.hashes++

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

  export interface FetchAckHashesFieldEvent {
    field: '$.hashes[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<FetchAck>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FetchAck.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchAck>): FetchAck {
    return decodeMessage(buf, FetchAck.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchAck>): Generator<FetchAckHashesFieldEvent> {
    return streamMessage(buf, FetchAck.codec(), opts)
  }
}

export interface OfferRequest {
  key: Uint8Array<ArrayBuffer>
  hashes: Uint8Array<ArrayBuffer>[]
}

export namespace OfferRequest {
  let _codec: Codec<OfferRequest>

  export const codec = (): Codec<OfferRequest> => {
    if (_codec == null) {
      _codec = message<OfferRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if (obj.hashes != null && obj.hashes.length > 0) {
          for (const value of obj.hashes) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          hashes: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.hashes != null && obj.hashes.length === opts.limits.hashes) {
                throw new MaxLengthError('Decode error - repeated field "hashes" had too many elements')
              }

              obj.hashes.push(reader.bytes())
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
          hashes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.hashes != null && obj.hashes === opts.limits.hashes) {
                throw new MaxLengthError('Streaming decode error - repeated field "hashes" had too many elements')
              }

              yield {
                field: `${prefix}.hashes[]`,
                index: obj.hashes,
                value: reader.bytes()
              }

              obj.hashes++

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

  export interface OfferRequestKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OfferRequestHashesFieldEvent {
    field: '$.hashes[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<OfferRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OfferRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OfferRequest>): OfferRequest {
    return decodeMessage(buf, OfferRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OfferRequest>): Generator<OfferRequestKeyFieldEvent | OfferRequestHashesFieldEvent> {
    return streamMessage(buf, OfferRequest.codec(), opts)
  }
}

export interface OfferResponse {
  missing: Uint8Array<ArrayBuffer>[]
}

export namespace OfferResponse {
  let _codec: Codec<OfferResponse>

  export const codec = (): Codec<OfferResponse> => {
    if (_codec == null) {
      _codec = message<OfferResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.missing != null && obj.missing.length > 0) {
          for (const value of obj.missing) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          missing: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.missing != null && obj.missing.length === opts.limits.missing) {
                throw new MaxLengthError('Decode error - repeated field "missing" had too many elements')
              }

              obj.missing.push(reader.bytes())
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
          missing: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.missing != null && obj.missing === opts.limits.missing) {
                throw new MaxLengthError('Streaming decode error - repeated field "missing" had too many elements')
              }

              yield {
                field: `${prefix}.missing[]`,
                index: obj.missing,
                value: reader.bytes()
              }

              obj.missing++

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

  export interface OfferResponseMissingFieldEvent {
    field: '$.missing[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<OfferResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OfferResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OfferResponse>): OfferResponse {
    return decodeMessage(buf, OfferResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OfferResponse>): Generator<OfferResponseMissingFieldEvent> {
    return streamMessage(buf, OfferResponse.codec(), opts)
  }
}

export interface MailboxNotice {
  count: number
  refused: string
}

export namespace MailboxNotice {
  let _codec: Codec<MailboxNotice>

  export const codec = (): Codec<MailboxNotice> => {
    if (_codec == null) {
      _codec = message<MailboxNotice>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.count != null && obj.count !== 0)) {
          w.uint32(8)
          w.uint32(obj.count)
        }

        if ((obj.refused != null && obj.refused !== '')) {
          w.uint32(18)
          w.string(obj.refused)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          count: 0,
          refused: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.count = reader.uint32()
              break
            }
            case 2: {
              obj.refused = reader.string()
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
                field: `${prefix}.count`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.refused`,
                value: reader.string()
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

  export interface MailboxNoticeCountFieldEvent {
    field: '$.count'
    value: number
  }

  export interface MailboxNoticeRefusedFieldEvent {
    field: '$.refused'
    value: string
  }

  export function encode (obj: Partial<MailboxNotice>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MailboxNotice.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxNotice>): MailboxNotice {
    return decodeMessage(buf, MailboxNotice.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxNotice>): Generator<MailboxNoticeCountFieldEvent | MailboxNoticeRefusedFieldEvent> {
    return streamMessage(buf, MailboxNotice.codec(), opts)
  }
}
