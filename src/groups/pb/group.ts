/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface GroupChange {
  group: Uint8Array<ArrayBuffer>
  parents: Uint8Array<ArrayBuffer>[]
  author: Uint8Array<ArrayBuffer>
  timestamp: bigint
  create?: Create
  add?: Members
  remove?: Members
  promote?: Members
  leave?: Leave
  rename?: Rename
  timer?: Timer
  signature: Uint8Array<ArrayBuffer>
}

export namespace GroupChange {
  let _codec: Codec<GroupChange>

  export const codec = (): Codec<GroupChange> => {
    if (_codec == null) {
      _codec = message<GroupChange>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.timer != null) {
          obj.rename = undefined
          obj.leave = undefined
          obj.promote = undefined
          obj.remove = undefined
          obj.add = undefined
          obj.create = undefined
        }

        if (obj.rename != null) {
          obj.timer = undefined
          obj.leave = undefined
          obj.promote = undefined
          obj.remove = undefined
          obj.add = undefined
          obj.create = undefined
        }

        if (obj.leave != null) {
          obj.timer = undefined
          obj.rename = undefined
          obj.promote = undefined
          obj.remove = undefined
          obj.add = undefined
          obj.create = undefined
        }

        if (obj.promote != null) {
          obj.timer = undefined
          obj.rename = undefined
          obj.leave = undefined
          obj.remove = undefined
          obj.add = undefined
          obj.create = undefined
        }

        if (obj.remove != null) {
          obj.timer = undefined
          obj.rename = undefined
          obj.leave = undefined
          obj.promote = undefined
          obj.add = undefined
          obj.create = undefined
        }

        if (obj.add != null) {
          obj.timer = undefined
          obj.rename = undefined
          obj.leave = undefined
          obj.promote = undefined
          obj.remove = undefined
          obj.create = undefined
        }

        if (obj.create != null) {
          obj.timer = undefined
          obj.rename = undefined
          obj.leave = undefined
          obj.promote = undefined
          obj.remove = undefined
          obj.add = undefined
        }

        if ((obj.group != null && obj.group.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.group)
        }

        if (obj.parents != null && obj.parents.length > 0) {
          for (const value of obj.parents) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if ((obj.author != null && obj.author.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.author)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0n)) {
          w.uint32(32)
          w.uint64(obj.timestamp)
        }

        if (obj.create != null) {
          w.uint32(42)
          Create.codec().encode(obj.create, w)
        }

        if (obj.add != null) {
          w.uint32(50)
          Members.codec().encode(obj.add, w)
        }

        if (obj.remove != null) {
          w.uint32(58)
          Members.codec().encode(obj.remove, w)
        }

        if (obj.promote != null) {
          w.uint32(66)
          Members.codec().encode(obj.promote, w)
        }

        if (obj.leave != null) {
          w.uint32(74)
          Leave.codec().encode(obj.leave, w)
        }

        if (obj.rename != null) {
          w.uint32(82)
          Rename.codec().encode(obj.rename, w)
        }

        if (obj.timer != null) {
          w.uint32(90)
          Timer.codec().encode(obj.timer, w)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(122)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          group: uint8ArrayAlloc(0),
          parents: [],
          author: uint8ArrayAlloc(0),
          timestamp: 0n,
          signature: uint8ArrayAlloc(0)
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
              if (opts.limits?.parents != null && obj.parents.length === opts.limits.parents) {
                throw new MaxLengthError('Decode error - repeated field "parents" had too many elements')
              }

              obj.parents.push(reader.bytes())
              break
            }
            case 3: {
              obj.author = reader.bytes()
              break
            }
            case 4: {
              obj.timestamp = reader.uint64()
              break
            }
            case 5: {
              obj.create = Create.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.create
              })
              break
            }
            case 6: {
              obj.add = Members.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.add
              })
              break
            }
            case 7: {
              obj.remove = Members.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.remove
              })
              break
            }
            case 8: {
              obj.promote = Members.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.promote
              })
              break
            }
            case 9: {
              obj.leave = Leave.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.leave
              })
              break
            }
            case 10: {
              obj.rename = Rename.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.rename
              })
              break
            }
            case 11: {
              obj.timer = Timer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.timer
              })
              break
            }
            case 15: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.timer != null) {
          delete obj.rename
          delete obj.leave
          delete obj.promote
          delete obj.remove
          delete obj.add
          delete obj.create
        }

        if (obj.rename != null) {
          delete obj.timer
          delete obj.leave
          delete obj.promote
          delete obj.remove
          delete obj.add
          delete obj.create
        }

        if (obj.leave != null) {
          delete obj.timer
          delete obj.rename
          delete obj.promote
          delete obj.remove
          delete obj.add
          delete obj.create
        }

        if (obj.promote != null) {
          delete obj.timer
          delete obj.rename
          delete obj.leave
          delete obj.remove
          delete obj.add
          delete obj.create
        }

        if (obj.remove != null) {
          delete obj.timer
          delete obj.rename
          delete obj.leave
          delete obj.promote
          delete obj.add
          delete obj.create
        }

        if (obj.add != null) {
          delete obj.timer
          delete obj.rename
          delete obj.leave
          delete obj.promote
          delete obj.remove
          delete obj.create
        }

        if (obj.create != null) {
          delete obj.timer
          delete obj.rename
          delete obj.leave
          delete obj.promote
          delete obj.remove
          delete obj.add
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          parents: 0
        }

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
              if (opts.limits?.parents != null && obj.parents === opts.limits.parents) {
                throw new MaxLengthError('Streaming decode error - repeated field "parents" had too many elements')
              }

              yield {
                field: `${prefix}.parents[]`,
                index: obj.parents,
                value: reader.bytes()
              }

              obj.parents++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.author`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield * Create.codec().stream(reader, reader.uint32(), `${prefix}.create`, {
                limits: opts.limits?.create
              })

              break
            }
            case 6: {
              yield * Members.codec().stream(reader, reader.uint32(), `${prefix}.add`, {
                limits: opts.limits?.add
              })

              break
            }
            case 7: {
              yield * Members.codec().stream(reader, reader.uint32(), `${prefix}.remove`, {
                limits: opts.limits?.remove
              })

              break
            }
            case 8: {
              yield * Members.codec().stream(reader, reader.uint32(), `${prefix}.promote`, {
                limits: opts.limits?.promote
              })

              break
            }
            case 9: {
              yield * Leave.codec().stream(reader, reader.uint32(), `${prefix}.leave`, {
                limits: opts.limits?.leave
              })

              break
            }
            case 10: {
              yield * Rename.codec().stream(reader, reader.uint32(), `${prefix}.rename`, {
                limits: opts.limits?.rename
              })

              break
            }
            case 11: {
              yield * Timer.codec().stream(reader, reader.uint32(), `${prefix}.timer`, {
                limits: opts.limits?.timer
              })

              break
            }
            case 15: {
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

  export interface GroupChangeGroupFieldEvent {
    field: '$.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeParentsFieldEvent {
    field: '$.parents[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeAuthorFieldEvent {
    field: '$.author'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeTimestampFieldEvent {
    field: '$.timestamp'
    value: bigint
  }

  export interface GroupChangeCreateNameFieldEvent {
    field: '$.create.name'
    value: string
  }

  export interface GroupChangeAddPeersFieldEvent {
    field: '$.add.peers[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeRemovePeersFieldEvent {
    field: '$.remove.peers[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangePromotePeersFieldEvent {
    field: '$.promote.peers[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeRenameNameFieldEvent {
    field: '$.rename.name'
    value: string
  }

  export interface GroupChangeTimerSecondsFieldEvent {
    field: '$.timer.seconds'
    value: number
  }

  export interface GroupChangeSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<GroupChange>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupChange.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupChange>): GroupChange {
    return decodeMessage(buf, GroupChange.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupChange>): Generator<GroupChangeGroupFieldEvent | GroupChangeParentsFieldEvent | GroupChangeAuthorFieldEvent | GroupChangeTimestampFieldEvent | GroupChangeCreateNameFieldEvent | GroupChangeAddPeersFieldEvent | GroupChangeRemovePeersFieldEvent | GroupChangePromotePeersFieldEvent | GroupChangeRenameNameFieldEvent | GroupChangeTimerSecondsFieldEvent | GroupChangeSignatureFieldEvent> {
    return streamMessage(buf, GroupChange.codec(), opts)
  }
}

export interface Create {
  name: string
}

export namespace Create {
  let _codec: Codec<Create>

  export const codec = (): Codec<Create> => {
    if (_codec == null) {
      _codec = message<Create>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
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
                field: `${prefix}.name`,
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

  export interface CreateNameFieldEvent {
    field: '$.name'
    value: string
  }

  export function encode (obj: Partial<Create>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Create.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Create>): Create {
    return decodeMessage(buf, Create.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Create>): Generator<CreateNameFieldEvent> {
    return streamMessage(buf, Create.codec(), opts)
  }
}

export interface Members {
  peers: Uint8Array<ArrayBuffer>[]
}

export namespace Members {
  let _codec: Codec<Members>

  export const codec = (): Codec<Members> => {
    if (_codec == null) {
      _codec = message<Members>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.peers != null && obj.peers.length > 0) {
          for (const value of obj.peers) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peers: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.peers != null && obj.peers.length === opts.limits.peers) {
                throw new MaxLengthError('Decode error - repeated field "peers" had too many elements')
              }

              obj.peers.push(reader.bytes())
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
          peers: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.peers != null && obj.peers === opts.limits.peers) {
                throw new MaxLengthError('Streaming decode error - repeated field "peers" had too many elements')
              }

              yield {
                field: `${prefix}.peers[]`,
                index: obj.peers,
                value: reader.bytes()
              }

              obj.peers++

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

  export interface MembersPeersFieldEvent {
    field: '$.peers[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Members>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Members.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Members>): Members {
    return decodeMessage(buf, Members.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Members>): Generator<MembersPeersFieldEvent> {
    return streamMessage(buf, Members.codec(), opts)
  }
}

export interface Leave {}

export namespace Leave {
  let _codec: Codec<Leave>

  export const codec = (): Codec<Leave> => {
    if (_codec == null) {
      _codec = message<Leave>((obj, w, opts = {}) => {
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

  export function encode (obj: Partial<Leave>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Leave.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Leave>): Leave {
    return decodeMessage(buf, Leave.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Leave>): Generator<{}> {
    return streamMessage(buf, Leave.codec(), opts)
  }
}

export interface Rename {
  name: string
}

export namespace Rename {
  let _codec: Codec<Rename>

  export const codec = (): Codec<Rename> => {
    if (_codec == null) {
      _codec = message<Rename>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
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
                field: `${prefix}.name`,
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

  export interface RenameNameFieldEvent {
    field: '$.name'
    value: string
  }

  export function encode (obj: Partial<Rename>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Rename.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Rename>): Rename {
    return decodeMessage(buf, Rename.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Rename>): Generator<RenameNameFieldEvent> {
    return streamMessage(buf, Rename.codec(), opts)
  }
}

export interface Timer {
  seconds: number
}

export namespace Timer {
  let _codec: Codec<Timer>

  export const codec = (): Codec<Timer> => {
    if (_codec == null) {
      _codec = message<Timer>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seconds != null && obj.seconds !== 0)) {
          w.uint32(8)
          w.uint32(obj.seconds)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seconds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seconds = reader.uint32()
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
                field: `${prefix}.seconds`,
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

  export interface TimerSecondsFieldEvent {
    field: '$.seconds'
    value: number
  }

  export function encode (obj: Partial<Timer>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Timer.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Timer>): Timer {
    return decodeMessage(buf, Timer.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Timer>): Generator<TimerSecondsFieldEvent> {
    return streamMessage(buf, Timer.codec(), opts)
  }
}

export interface StoredGroup {
  changes: Uint8Array<ArrayBuffer>[]
  secrets: EpochSecret[]
  joinedAt: bigint
  request: boolean
  keyEpoch: Uint8Array<ArrayBuffer>
  keyMadeAt: bigint
}

export namespace StoredGroup {
  let _codec: Codec<StoredGroup>

  export const codec = (): Codec<StoredGroup> => {
    if (_codec == null) {
      _codec = message<StoredGroup>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.changes != null && obj.changes.length > 0) {
          for (const value of obj.changes) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (obj.secrets != null && obj.secrets.length > 0) {
          for (const value of obj.secrets) {
            w.uint32(18)
            EpochSecret.codec().encode(value, w)
          }
        }

        if ((obj.joinedAt != null && obj.joinedAt !== 0n)) {
          w.uint32(24)
          w.uint64(obj.joinedAt)
        }

        if ((obj.request != null && obj.request !== false)) {
          w.uint32(32)
          w.bool(obj.request)
        }

        if ((obj.keyEpoch != null && obj.keyEpoch.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.keyEpoch)
        }

        if ((obj.keyMadeAt != null && obj.keyMadeAt !== 0n)) {
          w.uint32(48)
          w.uint64(obj.keyMadeAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          changes: [],
          secrets: [],
          joinedAt: 0n,
          request: false,
          keyEpoch: uint8ArrayAlloc(0),
          keyMadeAt: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.changes != null && obj.changes.length === opts.limits.changes) {
                throw new MaxLengthError('Decode error - repeated field "changes" had too many elements')
              }

              obj.changes.push(reader.bytes())
              break
            }
            case 2: {
              if (opts.limits?.secrets != null && obj.secrets.length === opts.limits.secrets) {
                throw new MaxLengthError('Decode error - repeated field "secrets" had too many elements')
              }

              obj.secrets.push(EpochSecret.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.secrets$
              }))
              break
            }
            case 3: {
              obj.joinedAt = reader.uint64()
              break
            }
            case 4: {
              obj.request = reader.bool()
              break
            }
            case 5: {
              obj.keyEpoch = reader.bytes()
              break
            }
            case 6: {
              obj.keyMadeAt = reader.uint64()
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
          changes: 0,
          secrets: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.changes != null && obj.changes === opts.limits.changes) {
                throw new MaxLengthError('Streaming decode error - repeated field "changes" had too many elements')
              }

              yield {
                field: `${prefix}.changes[]`,
                index: obj.changes,
                value: reader.bytes()
              }

              obj.changes++

              break
            }
            case 2: {
              if (opts.limits?.secrets != null && obj.secrets === opts.limits.secrets) {
                throw new MaxLengthError('Streaming decode error - repeated field "secrets" had too many elements')
              }

              for (const evt of EpochSecret.codec().stream(reader, reader.uint32(), `${prefix}.secrets[]`, {
                limits: opts.limits?.secrets$
              })) {
                yield {
                  ...evt,
                  index: obj.secrets
                }
              }

              obj.secrets++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.joinedAt`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.request`,
                value: reader.bool()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.keyEpoch`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.keyMadeAt`,
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

  export interface StoredGroupChangesFieldEvent {
    field: '$.changes[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoredGroupSecretsEpochFieldEvent {
    field: '$.secrets[].epoch'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoredGroupSecretsSecretFieldEvent {
    field: '$.secrets[].secret'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoredGroupSecretsFromFieldEvent {
    field: '$.secrets[].from'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoredGroupJoinedAtFieldEvent {
    field: '$.joinedAt'
    value: bigint
  }

  export interface StoredGroupRequestFieldEvent {
    field: '$.request'
    value: boolean
  }

  export interface StoredGroupKeyEpochFieldEvent {
    field: '$.keyEpoch'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoredGroupKeyMadeAtFieldEvent {
    field: '$.keyMadeAt'
    value: bigint
  }

  export function encode (obj: Partial<StoredGroup>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoredGroup.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredGroup>): StoredGroup {
    return decodeMessage(buf, StoredGroup.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredGroup>): Generator<StoredGroupChangesFieldEvent | StoredGroupSecretsEpochFieldEvent | StoredGroupSecretsSecretFieldEvent | StoredGroupSecretsFromFieldEvent | StoredGroupJoinedAtFieldEvent | StoredGroupRequestFieldEvent | StoredGroupKeyEpochFieldEvent | StoredGroupKeyMadeAtFieldEvent> {
    return streamMessage(buf, StoredGroup.codec(), opts)
  }
}

export interface EpochSecret {
  epoch: Uint8Array<ArrayBuffer>
  secret: Uint8Array<ArrayBuffer>
  from: Uint8Array<ArrayBuffer>
}

export namespace EpochSecret {
  let _codec: Codec<EpochSecret>

  export const codec = (): Codec<EpochSecret> => {
    if (_codec == null) {
      _codec = message<EpochSecret>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.epoch != null && obj.epoch.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.epoch)
        }

        if ((obj.secret != null && obj.secret.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.secret)
        }

        if ((obj.from != null && obj.from.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.from)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          epoch: uint8ArrayAlloc(0),
          secret: uint8ArrayAlloc(0),
          from: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.epoch = reader.bytes()
              break
            }
            case 2: {
              obj.secret = reader.bytes()
              break
            }
            case 3: {
              obj.from = reader.bytes()
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
                field: `${prefix}.epoch`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.secret`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.from`,
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

  export interface EpochSecretEpochFieldEvent {
    field: '$.epoch'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EpochSecretSecretFieldEvent {
    field: '$.secret'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EpochSecretFromFieldEvent {
    field: '$.from'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<EpochSecret>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, EpochSecret.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EpochSecret>): EpochSecret {
    return decodeMessage(buf, EpochSecret.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EpochSecret>): Generator<EpochSecretEpochFieldEvent | EpochSecretSecretFieldEvent | EpochSecretFromFieldEvent> {
    return streamMessage(buf, EpochSecret.codec(), opts)
  }
}
