import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface SenderKeyDistribution {
  group: Uint8Array<ArrayBuffer>
  keyId: Uint8Array<ArrayBuffer>
  iteration: number
  chainKey: Uint8Array<ArrayBuffer>
  signingKey: Uint8Array<ArrayBuffer>
}

export namespace SenderKeyDistribution {
  let _codec: Codec<SenderKeyDistribution>

  export const codec = (): Codec<SenderKeyDistribution> => {
    if (_codec == null) {
      _codec = message<SenderKeyDistribution>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.group != null && obj.group.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.group)
        }

        if ((obj.keyId != null && obj.keyId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.keyId)
        }

        if ((obj.iteration != null && obj.iteration !== 0)) {
          w.uint32(24)
          w.uint32(obj.iteration)
        }

        if ((obj.chainKey != null && obj.chainKey.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.chainKey)
        }

        if ((obj.signingKey != null && obj.signingKey.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.signingKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          group: uint8ArrayAlloc(0),
          keyId: uint8ArrayAlloc(0),
          iteration: 0,
          chainKey: uint8ArrayAlloc(0),
          signingKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.group = reader.bytes()
              break
            }
            case 2: {
              obj.keyId = reader.bytes()
              break
            }
            case 3: {
              obj.iteration = reader.uint32()
              break
            }
            case 4: {
              obj.chainKey = reader.bytes()
              break
            }
            case 5: {
              obj.signingKey = reader.bytes()
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
                field: `${prefix}.group`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.keyId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.iteration`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.chainKey`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.signingKey`,
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

  export interface SenderKeyDistributionGroupFieldEvent {
    field: '$.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SenderKeyDistributionKeyIdFieldEvent {
    field: '$.keyId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SenderKeyDistributionIterationFieldEvent {
    field: '$.iteration'
    value: number
  }

  export interface SenderKeyDistributionChainKeyFieldEvent {
    field: '$.chainKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SenderKeyDistributionSigningKeyFieldEvent {
    field: '$.signingKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SenderKeyDistribution>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SenderKeyDistribution.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKeyDistribution>): SenderKeyDistribution {
    return decodeMessage(buf, SenderKeyDistribution.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKeyDistribution>): Generator<SenderKeyDistributionGroupFieldEvent | SenderKeyDistributionKeyIdFieldEvent | SenderKeyDistributionIterationFieldEvent | SenderKeyDistributionChainKeyFieldEvent | SenderKeyDistributionSigningKeyFieldEvent> {
    return streamMessage(buf, SenderKeyDistribution.codec(), opts)
  }
}

export interface SenderKeyMessage {
  keyId: Uint8Array<ArrayBuffer>
  iteration: number
  ciphertext: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SenderKeyMessage {
  let _codec: Codec<SenderKeyMessage>

  export const codec = (): Codec<SenderKeyMessage> => {
    if (_codec == null) {
      _codec = message<SenderKeyMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.keyId != null && obj.keyId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.keyId)
        }

        if ((obj.iteration != null && obj.iteration !== 0)) {
          w.uint32(16)
          w.uint32(obj.iteration)
        }

        if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.ciphertext)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          keyId: uint8ArrayAlloc(0),
          iteration: 0,
          ciphertext: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.keyId = reader.bytes()
              break
            }
            case 2: {
              obj.iteration = reader.uint32()
              break
            }
            case 3: {
              obj.ciphertext = reader.bytes()
              break
            }
            case 4: {
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
                field: `${prefix}.keyId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.iteration`,
                value: reader.uint32()
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
            case 4: {
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

  export interface SenderKeyMessageKeyIdFieldEvent {
    field: '$.keyId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SenderKeyMessageIterationFieldEvent {
    field: '$.iteration'
    value: number
  }

  export interface SenderKeyMessageCiphertextFieldEvent {
    field: '$.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SenderKeyMessageSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SenderKeyMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SenderKeyMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKeyMessage>): SenderKeyMessage {
    return decodeMessage(buf, SenderKeyMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKeyMessage>): Generator<SenderKeyMessageKeyIdFieldEvent | SenderKeyMessageIterationFieldEvent | SenderKeyMessageCiphertextFieldEvent | SenderKeyMessageSignatureFieldEvent> {
    return streamMessage(buf, SenderKeyMessage.codec(), opts)
  }
}

export interface GroupEnvelope {
  nonce: Uint8Array<ArrayBuffer>
  sealedAuthor: Uint8Array<ArrayBuffer>
  message: Uint8Array<ArrayBuffer>
}

export namespace GroupEnvelope {
  let _codec: Codec<GroupEnvelope>

  export const codec = (): Codec<GroupEnvelope> => {
    if (_codec == null) {
      _codec = message<GroupEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.nonce)
        }

        if ((obj.sealedAuthor != null && obj.sealedAuthor.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sealedAuthor)
        }

        if ((obj.message != null && obj.message.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          nonce: uint8ArrayAlloc(0),
          sealedAuthor: uint8ArrayAlloc(0),
          message: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.nonce = reader.bytes()
              break
            }
            case 2: {
              obj.sealedAuthor = reader.bytes()
              break
            }
            case 3: {
              obj.message = reader.bytes()
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
                field: `${prefix}.nonce`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sealedAuthor`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.message`,
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

  export interface GroupEnvelopeNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupEnvelopeSealedAuthorFieldEvent {
    field: '$.sealedAuthor'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupEnvelopeMessageFieldEvent {
    field: '$.message'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<GroupEnvelope>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEnvelope>): GroupEnvelope {
    return decodeMessage(buf, GroupEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEnvelope>): Generator<GroupEnvelopeNonceFieldEvent | GroupEnvelopeSealedAuthorFieldEvent | GroupEnvelopeMessageFieldEvent> {
    return streamMessage(buf, GroupEnvelope.codec(), opts)
  }
}

export interface StoredChain {
  keyId: Uint8Array<ArrayBuffer>
  iteration: number
  chainKey: Uint8Array<ArrayBuffer>
  signingKey: Uint8Array<ArrayBuffer>
  signingPrivateKey?: Uint8Array<ArrayBuffer>
  skipped: SkippedKey[]
  baseChainKey?: Uint8Array<ArrayBuffer>
  handed: Handed[]
}

export namespace StoredChain {
  let _codec: Codec<StoredChain>

  export const codec = (): Codec<StoredChain> => {
    if (_codec == null) {
      _codec = message<StoredChain>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.keyId != null && obj.keyId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.keyId)
        }

        if ((obj.iteration != null && obj.iteration !== 0)) {
          w.uint32(16)
          w.uint32(obj.iteration)
        }

        if ((obj.chainKey != null && obj.chainKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.chainKey)
        }

        if ((obj.signingKey != null && obj.signingKey.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.signingKey)
        }

        if (obj.signingPrivateKey != null) {
          w.uint32(42)
          w.bytes(obj.signingPrivateKey)
        }

        if (obj.skipped != null && obj.skipped.length > 0) {
          for (const value of obj.skipped) {
            w.uint32(50)
            SkippedKey.codec().encode(value, w)
          }
        }

        if (obj.baseChainKey != null) {
          w.uint32(58)
          w.bytes(obj.baseChainKey)
        }

        if (obj.handed != null && obj.handed.length > 0) {
          for (const value of obj.handed) {
            w.uint32(66)
            Handed.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          keyId: uint8ArrayAlloc(0),
          iteration: 0,
          chainKey: uint8ArrayAlloc(0),
          signingKey: uint8ArrayAlloc(0),
          skipped: [],
          handed: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.keyId = reader.bytes()
              break
            }
            case 2: {
              obj.iteration = reader.uint32()
              break
            }
            case 3: {
              obj.chainKey = reader.bytes()
              break
            }
            case 4: {
              obj.signingKey = reader.bytes()
              break
            }
            case 5: {
              obj.signingPrivateKey = reader.bytes()
              break
            }
            case 6: {
              if (opts.limits?.skipped != null && obj.skipped.length === opts.limits.skipped) {
                throw new MaxLengthError('Decode error - repeated field "skipped" had too many elements')
              }

              obj.skipped.push(SkippedKey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.skipped$
              }))
              break
            }
            case 7: {
              obj.baseChainKey = reader.bytes()
              break
            }
            case 8: {
              if (opts.limits?.handed != null && obj.handed.length === opts.limits.handed) {
                throw new MaxLengthError('Decode error - repeated field "handed" had too many elements')
              }

              obj.handed.push(Handed.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.handed$
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
          handed: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.keyId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.iteration`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.chainKey`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.signingKey`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.signingPrivateKey`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              if (opts.limits?.skipped != null && obj.skipped === opts.limits.skipped) {
                throw new MaxLengthError('Streaming decode error - repeated field "skipped" had too many elements')
              }

              for (const evt of SkippedKey.codec().stream(reader, reader.uint32(), `${prefix}.skipped[]`, {
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
            case 7: {
              yield {
                field: `${prefix}.baseChainKey`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              if (opts.limits?.handed != null && obj.handed === opts.limits.handed) {
                throw new MaxLengthError('Streaming decode error - repeated field "handed" had too many elements')
              }

              for (const evt of Handed.codec().stream(reader, reader.uint32(), `${prefix}.handed[]`, {
                limits: opts.limits?.handed$
              })) {
                yield {
                  ...evt,
                  index: obj.handed
                }
              }

              obj.handed++

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

  export interface StoredChainKeyIdFieldEvent {
    field: '$.keyId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoredChainIterationFieldEvent {
    field: '$.iteration'
    value: number
  }

  export interface StoredChainChainKeyFieldEvent {
    field: '$.chainKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoredChainSigningKeyFieldEvent {
    field: '$.signingKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoredChainSigningPrivateKeyFieldEvent {
    field: '$.signingPrivateKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoredChainSkippedIterationFieldEvent {
    field: '$.skipped[].iteration'
    value: number
    index: number
  }

  export interface StoredChainSkippedSeedFieldEvent {
    field: '$.skipped[].seed'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoredChainBaseChainKeyFieldEvent {
    field: '$.baseChainKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoredChainHandedMemberFieldEvent {
    field: '$.handed[].member'
    value: string
    index: number
  }

  export interface StoredChainHandedIterationFieldEvent {
    field: '$.handed[].iteration'
    value: number
    index: number
  }

  export function encode (obj: Partial<StoredChain>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoredChain.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredChain>): StoredChain {
    return decodeMessage(buf, StoredChain.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredChain>): Generator<StoredChainKeyIdFieldEvent | StoredChainIterationFieldEvent | StoredChainChainKeyFieldEvent | StoredChainSigningKeyFieldEvent | StoredChainSigningPrivateKeyFieldEvent | StoredChainSkippedIterationFieldEvent | StoredChainSkippedSeedFieldEvent | StoredChainBaseChainKeyFieldEvent | StoredChainHandedMemberFieldEvent | StoredChainHandedIterationFieldEvent> {
    return streamMessage(buf, StoredChain.codec(), opts)
  }
}

export interface Handed {
  member: string
  iteration: number
}

export namespace Handed {
  let _codec: Codec<Handed>

  export const codec = (): Codec<Handed> => {
    if (_codec == null) {
      _codec = message<Handed>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.member != null && obj.member !== '')) {
          w.uint32(10)
          w.string(obj.member)
        }

        if ((obj.iteration != null && obj.iteration !== 0)) {
          w.uint32(16)
          w.uint32(obj.iteration)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          member: '',
          iteration: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.member = reader.string()
              break
            }
            case 2: {
              obj.iteration = reader.uint32()
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
                field: `${prefix}.member`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.iteration`,
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

  export interface HandedMemberFieldEvent {
    field: '$.member'
    value: string
  }

  export interface HandedIterationFieldEvent {
    field: '$.iteration'
    value: number
  }

  export function encode (obj: Partial<Handed>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Handed.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Handed>): Handed {
    return decodeMessage(buf, Handed.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Handed>): Generator<HandedMemberFieldEvent | HandedIterationFieldEvent> {
    return streamMessage(buf, Handed.codec(), opts)
  }
}

export interface SkippedKey {
  iteration: number
  seed: Uint8Array<ArrayBuffer>
}

export namespace SkippedKey {
  let _codec: Codec<SkippedKey>

  export const codec = (): Codec<SkippedKey> => {
    if (_codec == null) {
      _codec = message<SkippedKey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.iteration != null && obj.iteration !== 0)) {
          w.uint32(8)
          w.uint32(obj.iteration)
        }

        if ((obj.seed != null && obj.seed.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.seed)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          iteration: 0,
          seed: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.iteration = reader.uint32()
              break
            }
            case 2: {
              obj.seed = reader.bytes()
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
                field: `${prefix}.iteration`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.seed`,
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

  export interface SkippedKeyIterationFieldEvent {
    field: '$.iteration'
    value: number
  }

  export interface SkippedKeySeedFieldEvent {
    field: '$.seed'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SkippedKey>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SkippedKey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SkippedKey>): SkippedKey {
    return decodeMessage(buf, SkippedKey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SkippedKey>): Generator<SkippedKeyIterationFieldEvent | SkippedKeySeedFieldEvent> {
    return streamMessage(buf, SkippedKey.codec(), opts)
  }
}

export interface StoredChains {
  chains: StoredChain[]
}

export namespace StoredChains {
  let _codec: Codec<StoredChains>

  export const codec = (): Codec<StoredChains> => {
    if (_codec == null) {
      _codec = message<StoredChains>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.chains != null && obj.chains.length > 0) {
          for (const value of obj.chains) {
            w.uint32(10)
            StoredChain.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          chains: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.chains != null && obj.chains.length === opts.limits.chains) {
                throw new MaxLengthError('Decode error - repeated field "chains" had too many elements')
              }

              obj.chains.push(StoredChain.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.chains$
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
          chains: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.chains != null && obj.chains === opts.limits.chains) {
                throw new MaxLengthError('Streaming decode error - repeated field "chains" had too many elements')
              }

              for (const evt of StoredChain.codec().stream(reader, reader.uint32(), `${prefix}.chains[]`, {
                limits: opts.limits?.chains$
              })) {
                yield {
                  ...evt,
                  index: obj.chains
                }
              }

              obj.chains++

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

  export interface StoredChainsChainsKeyIdFieldEvent {
    field: '$.chains[].keyId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoredChainsChainsIterationFieldEvent {
    field: '$.chains[].iteration'
    value: number
    index: number
  }

  export interface StoredChainsChainsChainKeyFieldEvent {
    field: '$.chains[].chainKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoredChainsChainsSigningKeyFieldEvent {
    field: '$.chains[].signingKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoredChainsChainsSigningPrivateKeyFieldEvent {
    field: '$.chains[].signingPrivateKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoredChainsChainsSkippedIterationFieldEvent {
    field: '$.chains[].skipped[].iteration'
    value: number
    index: number
  }

  export interface StoredChainsChainsSkippedSeedFieldEvent {
    field: '$.chains[].skipped[].seed'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoredChainsChainsBaseChainKeyFieldEvent {
    field: '$.chains[].baseChainKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoredChainsChainsHandedMemberFieldEvent {
    field: '$.chains[].handed[].member'
    value: string
    index: number
  }

  export interface StoredChainsChainsHandedIterationFieldEvent {
    field: '$.chains[].handed[].iteration'
    value: number
    index: number
  }

  export function encode (obj: Partial<StoredChains>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoredChains.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredChains>): StoredChains {
    return decodeMessage(buf, StoredChains.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredChains>): Generator<StoredChainsChainsKeyIdFieldEvent | StoredChainsChainsIterationFieldEvent | StoredChainsChainsChainKeyFieldEvent | StoredChainsChainsSigningKeyFieldEvent | StoredChainsChainsSigningPrivateKeyFieldEvent | StoredChainsChainsSkippedIterationFieldEvent | StoredChainsChainsSkippedSeedFieldEvent | StoredChainsChainsBaseChainKeyFieldEvent | StoredChainsChainsHandedMemberFieldEvent | StoredChainsChainsHandedIterationFieldEvent> {
    return streamMessage(buf, StoredChains.codec(), opts)
  }
}
