import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Content {
  id: Uint8Array<ArrayBuffer>
  timestamp: bigint
  text?: string
  file?: FileOffer
  fileStatus?: FileStatus
  reaction?: Reaction
  edit?: Edit
  delete?: Delete
  timer?: TimerChange
  typing?: Typing
  read?: ReadReceipt
  group?: GroupUpdate
  senderKey?: SenderKey
  groupReceipt?: GroupReceipt
  call?: Uint8Array<ArrayBuffer>
  delivers: Uint8Array<ArrayBuffer>[]
  replyTo?: Quote
  expiresAt?: bigint
  mailbox?: MailboxAddresses
}

export namespace Content {
  let _codec: Codec<Content>

  export const codec = (): Codec<Content> => {
    if (_codec == null) {
      _codec = message<Content>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.call != null) {
          obj.groupReceipt = undefined
          obj.senderKey = undefined
          obj.group = undefined
          obj.read = undefined
          obj.typing = undefined
          obj.timer = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.fileStatus = undefined
          obj.file = undefined
          obj.text = undefined
        }

        if (obj.groupReceipt != null) {
          obj.call = undefined
          obj.senderKey = undefined
          obj.group = undefined
          obj.read = undefined
          obj.typing = undefined
          obj.timer = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.fileStatus = undefined
          obj.file = undefined
          obj.text = undefined
        }

        if (obj.senderKey != null) {
          obj.call = undefined
          obj.groupReceipt = undefined
          obj.group = undefined
          obj.read = undefined
          obj.typing = undefined
          obj.timer = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.fileStatus = undefined
          obj.file = undefined
          obj.text = undefined
        }

        if (obj.group != null) {
          obj.call = undefined
          obj.groupReceipt = undefined
          obj.senderKey = undefined
          obj.read = undefined
          obj.typing = undefined
          obj.timer = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.fileStatus = undefined
          obj.file = undefined
          obj.text = undefined
        }

        if (obj.read != null) {
          obj.call = undefined
          obj.groupReceipt = undefined
          obj.senderKey = undefined
          obj.group = undefined
          obj.typing = undefined
          obj.timer = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.fileStatus = undefined
          obj.file = undefined
          obj.text = undefined
        }

        if (obj.typing != null) {
          obj.call = undefined
          obj.groupReceipt = undefined
          obj.senderKey = undefined
          obj.group = undefined
          obj.read = undefined
          obj.timer = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.fileStatus = undefined
          obj.file = undefined
          obj.text = undefined
        }

        if (obj.timer != null) {
          obj.call = undefined
          obj.groupReceipt = undefined
          obj.senderKey = undefined
          obj.group = undefined
          obj.read = undefined
          obj.typing = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.fileStatus = undefined
          obj.file = undefined
          obj.text = undefined
        }

        if (obj.delete != null) {
          obj.call = undefined
          obj.groupReceipt = undefined
          obj.senderKey = undefined
          obj.group = undefined
          obj.read = undefined
          obj.typing = undefined
          obj.timer = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.fileStatus = undefined
          obj.file = undefined
          obj.text = undefined
        }

        if (obj.edit != null) {
          obj.call = undefined
          obj.groupReceipt = undefined
          obj.senderKey = undefined
          obj.group = undefined
          obj.read = undefined
          obj.typing = undefined
          obj.timer = undefined
          obj.delete = undefined
          obj.reaction = undefined
          obj.fileStatus = undefined
          obj.file = undefined
          obj.text = undefined
        }

        if (obj.reaction != null) {
          obj.call = undefined
          obj.groupReceipt = undefined
          obj.senderKey = undefined
          obj.group = undefined
          obj.read = undefined
          obj.typing = undefined
          obj.timer = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.fileStatus = undefined
          obj.file = undefined
          obj.text = undefined
        }

        if (obj.fileStatus != null) {
          obj.call = undefined
          obj.groupReceipt = undefined
          obj.senderKey = undefined
          obj.group = undefined
          obj.read = undefined
          obj.typing = undefined
          obj.timer = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.file = undefined
          obj.text = undefined
        }

        if (obj.file != null) {
          obj.call = undefined
          obj.groupReceipt = undefined
          obj.senderKey = undefined
          obj.group = undefined
          obj.read = undefined
          obj.typing = undefined
          obj.timer = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.fileStatus = undefined
          obj.text = undefined
        }

        if (obj.text != null) {
          obj.call = undefined
          obj.groupReceipt = undefined
          obj.senderKey = undefined
          obj.group = undefined
          obj.read = undefined
          obj.typing = undefined
          obj.timer = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.fileStatus = undefined
          obj.file = undefined
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0n)) {
          w.uint32(16)
          w.uint64(obj.timestamp)
        }

        if (obj.text != null) {
          w.uint32(26)
          w.string(obj.text)
        }

        if (obj.file != null) {
          w.uint32(42)
          FileOffer.codec().encode(obj.file, w)
        }

        if (obj.fileStatus != null) {
          w.uint32(50)
          FileStatus.codec().encode(obj.fileStatus, w)
        }

        if (obj.reaction != null) {
          w.uint32(58)
          Reaction.codec().encode(obj.reaction, w)
        }

        if (obj.edit != null) {
          w.uint32(66)
          Edit.codec().encode(obj.edit, w)
        }

        if (obj.delete != null) {
          w.uint32(74)
          Delete.codec().encode(obj.delete, w)
        }

        if (obj.timer != null) {
          w.uint32(82)
          TimerChange.codec().encode(obj.timer, w)
        }

        if (obj.typing != null) {
          w.uint32(90)
          Typing.codec().encode(obj.typing, w)
        }

        if (obj.read != null) {
          w.uint32(98)
          ReadReceipt.codec().encode(obj.read, w)
        }

        if (obj.group != null) {
          w.uint32(122)
          GroupUpdate.codec().encode(obj.group, w)
        }

        if (obj.senderKey != null) {
          w.uint32(130)
          SenderKey.codec().encode(obj.senderKey, w)
        }

        if (obj.groupReceipt != null) {
          w.uint32(138)
          GroupReceipt.codec().encode(obj.groupReceipt, w)
        }

        if (obj.call != null) {
          w.uint32(146)
          w.bytes(obj.call)
        }

        if (obj.delivers != null && obj.delivers.length > 0) {
          for (const value of obj.delivers) {
            w.uint32(34)
            w.bytes(value)
          }
        }

        if (obj.replyTo != null) {
          w.uint32(106)
          Quote.codec().encode(obj.replyTo, w)
        }

        if (obj.expiresAt != null) {
          w.uint32(112)
          w.uint64(obj.expiresAt)
        }

        if (obj.mailbox != null) {
          w.uint32(154)
          MailboxAddresses.codec().encode(obj.mailbox, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          timestamp: 0n,
          delivers: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.timestamp = reader.uint64()
              break
            }
            case 3: {
              obj.text = reader.string()
              break
            }
            case 5: {
              obj.file = FileOffer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.file
              })
              break
            }
            case 6: {
              obj.fileStatus = FileStatus.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fileStatus
              })
              break
            }
            case 7: {
              obj.reaction = Reaction.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.reaction
              })
              break
            }
            case 8: {
              obj.edit = Edit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.edit
              })
              break
            }
            case 9: {
              obj.delete = Delete.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.delete
              })
              break
            }
            case 10: {
              obj.timer = TimerChange.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.timer
              })
              break
            }
            case 11: {
              obj.typing = Typing.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.typing
              })
              break
            }
            case 12: {
              obj.read = ReadReceipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.read
              })
              break
            }
            case 15: {
              obj.group = GroupUpdate.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.group
              })
              break
            }
            case 16: {
              obj.senderKey = SenderKey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.senderKey
              })
              break
            }
            case 17: {
              obj.groupReceipt = GroupReceipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.groupReceipt
              })
              break
            }
            case 18: {
              obj.call = reader.bytes()
              break
            }
            case 4: {
              if (opts.limits?.delivers != null && obj.delivers.length === opts.limits.delivers) {
                throw new MaxLengthError('Decode error - repeated field "delivers" had too many elements')
              }

              obj.delivers.push(reader.bytes())
              break
            }
            case 13: {
              obj.replyTo = Quote.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.replyTo
              })
              break
            }
            case 14: {
              obj.expiresAt = reader.uint64()
              break
            }
            case 19: {
              obj.mailbox = MailboxAddresses.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.mailbox
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.call != null) {
          delete obj.groupReceipt
          delete obj.senderKey
          delete obj.group
          delete obj.read
          delete obj.typing
          delete obj.timer
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.fileStatus
          delete obj.file
          delete obj.text
        }

        if (obj.groupReceipt != null) {
          delete obj.call
          delete obj.senderKey
          delete obj.group
          delete obj.read
          delete obj.typing
          delete obj.timer
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.fileStatus
          delete obj.file
          delete obj.text
        }

        if (obj.senderKey != null) {
          delete obj.call
          delete obj.groupReceipt
          delete obj.group
          delete obj.read
          delete obj.typing
          delete obj.timer
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.fileStatus
          delete obj.file
          delete obj.text
        }

        if (obj.group != null) {
          delete obj.call
          delete obj.groupReceipt
          delete obj.senderKey
          delete obj.read
          delete obj.typing
          delete obj.timer
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.fileStatus
          delete obj.file
          delete obj.text
        }

        if (obj.read != null) {
          delete obj.call
          delete obj.groupReceipt
          delete obj.senderKey
          delete obj.group
          delete obj.typing
          delete obj.timer
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.fileStatus
          delete obj.file
          delete obj.text
        }

        if (obj.typing != null) {
          delete obj.call
          delete obj.groupReceipt
          delete obj.senderKey
          delete obj.group
          delete obj.read
          delete obj.timer
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.fileStatus
          delete obj.file
          delete obj.text
        }

        if (obj.timer != null) {
          delete obj.call
          delete obj.groupReceipt
          delete obj.senderKey
          delete obj.group
          delete obj.read
          delete obj.typing
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.fileStatus
          delete obj.file
          delete obj.text
        }

        if (obj.delete != null) {
          delete obj.call
          delete obj.groupReceipt
          delete obj.senderKey
          delete obj.group
          delete obj.read
          delete obj.typing
          delete obj.timer
          delete obj.edit
          delete obj.reaction
          delete obj.fileStatus
          delete obj.file
          delete obj.text
        }

        if (obj.edit != null) {
          delete obj.call
          delete obj.groupReceipt
          delete obj.senderKey
          delete obj.group
          delete obj.read
          delete obj.typing
          delete obj.timer
          delete obj.delete
          delete obj.reaction
          delete obj.fileStatus
          delete obj.file
          delete obj.text
        }

        if (obj.reaction != null) {
          delete obj.call
          delete obj.groupReceipt
          delete obj.senderKey
          delete obj.group
          delete obj.read
          delete obj.typing
          delete obj.timer
          delete obj.delete
          delete obj.edit
          delete obj.fileStatus
          delete obj.file
          delete obj.text
        }

        if (obj.fileStatus != null) {
          delete obj.call
          delete obj.groupReceipt
          delete obj.senderKey
          delete obj.group
          delete obj.read
          delete obj.typing
          delete obj.timer
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.file
          delete obj.text
        }

        if (obj.file != null) {
          delete obj.call
          delete obj.groupReceipt
          delete obj.senderKey
          delete obj.group
          delete obj.read
          delete obj.typing
          delete obj.timer
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.fileStatus
          delete obj.text
        }

        if (obj.text != null) {
          delete obj.call
          delete obj.groupReceipt
          delete obj.senderKey
          delete obj.group
          delete obj.read
          delete obj.typing
          delete obj.timer
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.fileStatus
          delete obj.file
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          delivers: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.text`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield * FileOffer.codec().stream(reader, reader.uint32(), `${prefix}.file`, {
                limits: opts.limits?.file
              })

              break
            }
            case 6: {
              yield * FileStatus.codec().stream(reader, reader.uint32(), `${prefix}.fileStatus`, {
                limits: opts.limits?.fileStatus
              })

              break
            }
            case 7: {
              yield * Reaction.codec().stream(reader, reader.uint32(), `${prefix}.reaction`, {
                limits: opts.limits?.reaction
              })

              break
            }
            case 8: {
              yield * Edit.codec().stream(reader, reader.uint32(), `${prefix}.edit`, {
                limits: opts.limits?.edit
              })

              break
            }
            case 9: {
              yield * Delete.codec().stream(reader, reader.uint32(), `${prefix}.delete`, {
                limits: opts.limits?.delete
              })

              break
            }
            case 10: {
              yield * TimerChange.codec().stream(reader, reader.uint32(), `${prefix}.timer`, {
                limits: opts.limits?.timer
              })

              break
            }
            case 11: {
              yield * Typing.codec().stream(reader, reader.uint32(), `${prefix}.typing`, {
                limits: opts.limits?.typing
              })

              break
            }
            case 12: {
              yield * ReadReceipt.codec().stream(reader, reader.uint32(), `${prefix}.read`, {
                limits: opts.limits?.read
              })

              break
            }
            case 15: {
              yield * GroupUpdate.codec().stream(reader, reader.uint32(), `${prefix}.group`, {
                limits: opts.limits?.group
              })

              break
            }
            case 16: {
              yield * SenderKey.codec().stream(reader, reader.uint32(), `${prefix}.senderKey`, {
                limits: opts.limits?.senderKey
              })

              break
            }
            case 17: {
              yield * GroupReceipt.codec().stream(reader, reader.uint32(), `${prefix}.groupReceipt`, {
                limits: opts.limits?.groupReceipt
              })

              break
            }
            case 18: {
              yield {
                field: `${prefix}.call`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              if (opts.limits?.delivers != null && obj.delivers === opts.limits.delivers) {
                throw new MaxLengthError('Streaming decode error - repeated field "delivers" had too many elements')
              }

              yield {
                field: `${prefix}.delivers[]`,
                index: obj.delivers,
                value: reader.bytes()
              }

              obj.delivers++

              break
            }
            case 13: {
              yield * Quote.codec().stream(reader, reader.uint32(), `${prefix}.replyTo`, {
                limits: opts.limits?.replyTo
              })

              break
            }
            case 14: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64()
              }
              break
            }
            case 19: {
              yield * MailboxAddresses.codec().stream(reader, reader.uint32(), `${prefix}.mailbox`, {
                limits: opts.limits?.mailbox
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

  export interface ContentIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentTimestampFieldEvent {
    field: '$.timestamp'
    value: bigint
  }

  export interface ContentTextFieldEvent {
    field: '$.text'
    value: string
  }

  export interface ContentFileIdFieldEvent {
    field: '$.file.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentFileNameFieldEvent {
    field: '$.file.name'
    value: string
  }

  export interface ContentFileSizeFieldEvent {
    field: '$.file.size'
    value: bigint
  }

  export interface ContentFileTypeFieldEvent {
    field: '$.file.type'
    value: string
  }

  export interface ContentFileRootFieldEvent {
    field: '$.file.root'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentFileKeyFieldEvent {
    field: '$.file.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentFileStatusIdFieldEvent {
    field: '$.fileStatus.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentFileStatusStateFieldEvent {
    field: '$.fileStatus.state'
    value: FileStatus.State
  }

  export interface ContentReactionMessageIdFieldEvent {
    field: '$.reaction.message.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentReactionMessageAuthorFieldEvent {
    field: '$.reaction.message.author'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentReactionEmojiFieldEvent {
    field: '$.reaction.emoji'
    value: string
  }

  export interface ContentEditMessageIdFieldEvent {
    field: '$.edit.messageId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentEditTextFieldEvent {
    field: '$.edit.text'
    value: string
  }

  export interface ContentDeleteMessageIdFieldEvent {
    field: '$.delete.messageId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentTimerSecondsFieldEvent {
    field: '$.timer.seconds'
    value: number
  }

  export interface ContentTypingTypingFieldEvent {
    field: '$.typing.typing'
    value: boolean
  }

  export interface ContentReadIdsFieldEvent {
    field: '$.read.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupGroupFieldEvent {
    field: '$.group.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupChangesFieldEvent {
    field: '$.group.changes[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupSecretsEpochFieldEvent {
    field: '$.group.secrets[].epoch'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ContentGroupSecretsSecretFieldEvent {
    field: '$.group.secrets[].secret'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ContentGroupSecretsFromFieldEvent {
    field: '$.group.secrets[].from'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ContentSenderKeyGroupFieldEvent {
    field: '$.senderKey.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentSenderKeyDistributionFieldEvent {
    field: '$.senderKey.distribution'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentSenderKeyWantedKeyIdFieldEvent {
    field: '$.senderKey.wantedKeyId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentSenderKeyWantedIterationFieldEvent {
    field: '$.senderKey.wantedIteration'
    value: number
  }

  export interface ContentGroupReceiptGroupFieldEvent {
    field: '$.groupReceipt.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupReceiptDeliveredFieldEvent {
    field: '$.groupReceipt.delivered[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupReceiptReadFieldEvent {
    field: '$.groupReceipt.read[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentCallFieldEvent {
    field: '$.call'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentDeliversFieldEvent {
    field: '$.delivers[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentReplyToMessageIdFieldEvent {
    field: '$.replyTo.message.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentReplyToMessageAuthorFieldEvent {
    field: '$.replyTo.message.author'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: bigint
  }

  export interface ContentMailboxAddressesEpochFieldEvent {
    field: '$.mailbox.addresses[].epoch'
    value: number
    index: number
  }

  export interface ContentMailboxAddressesPublicKeyFieldEvent {
    field: '$.mailbox.addresses[].publicKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<Content>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Content.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Content>): Content {
    return decodeMessage(buf, Content.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Content>): Generator<ContentIdFieldEvent | ContentTimestampFieldEvent | ContentTextFieldEvent | ContentFileIdFieldEvent | ContentFileNameFieldEvent | ContentFileSizeFieldEvent | ContentFileTypeFieldEvent | ContentFileRootFieldEvent | ContentFileKeyFieldEvent | ContentFileStatusIdFieldEvent | ContentFileStatusStateFieldEvent | ContentReactionMessageIdFieldEvent | ContentReactionMessageAuthorFieldEvent | ContentReactionEmojiFieldEvent | ContentEditMessageIdFieldEvent | ContentEditTextFieldEvent | ContentDeleteMessageIdFieldEvent | ContentTimerSecondsFieldEvent | ContentTypingTypingFieldEvent | ContentReadIdsFieldEvent | ContentGroupGroupFieldEvent | ContentGroupChangesFieldEvent | ContentGroupSecretsEpochFieldEvent | ContentGroupSecretsSecretFieldEvent | ContentGroupSecretsFromFieldEvent | ContentSenderKeyGroupFieldEvent | ContentSenderKeyDistributionFieldEvent | ContentSenderKeyWantedKeyIdFieldEvent | ContentSenderKeyWantedIterationFieldEvent | ContentGroupReceiptGroupFieldEvent | ContentGroupReceiptDeliveredFieldEvent | ContentGroupReceiptReadFieldEvent | ContentCallFieldEvent | ContentDeliversFieldEvent | ContentReplyToMessageIdFieldEvent | ContentReplyToMessageAuthorFieldEvent | ContentExpiresAtFieldEvent | ContentMailboxAddressesEpochFieldEvent | ContentMailboxAddressesPublicKeyFieldEvent> {
    return streamMessage(buf, Content.codec(), opts)
  }
}

export interface MailboxAddresses {
  addresses: MailboxAddress[]
}

export namespace MailboxAddresses {
  let _codec: Codec<MailboxAddresses>

  export const codec = (): Codec<MailboxAddresses> => {
    if (_codec == null) {
      _codec = message<MailboxAddresses>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.addresses != null && obj.addresses.length > 0) {
          for (const value of obj.addresses) {
            w.uint32(10)
            MailboxAddress.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          addresses: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.addresses != null && obj.addresses.length === opts.limits.addresses) {
                throw new MaxLengthError('Decode error - repeated field "addresses" had too many elements')
              }

              obj.addresses.push(MailboxAddress.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.addresses$
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
          addresses: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.addresses != null && obj.addresses === opts.limits.addresses) {
                throw new MaxLengthError('Streaming decode error - repeated field "addresses" had too many elements')
              }

              for (const evt of MailboxAddress.codec().stream(reader, reader.uint32(), `${prefix}.addresses[]`, {
                limits: opts.limits?.addresses$
              })) {
                yield {
                  ...evt,
                  index: obj.addresses
                }
              }

              obj.addresses++

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

  export interface MailboxAddressesAddressesEpochFieldEvent {
    field: '$.addresses[].epoch'
    value: number
    index: number
  }

  export interface MailboxAddressesAddressesPublicKeyFieldEvent {
    field: '$.addresses[].publicKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<MailboxAddresses>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MailboxAddresses.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxAddresses>): MailboxAddresses {
    return decodeMessage(buf, MailboxAddresses.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxAddresses>): Generator<MailboxAddressesAddressesEpochFieldEvent | MailboxAddressesAddressesPublicKeyFieldEvent> {
    return streamMessage(buf, MailboxAddresses.codec(), opts)
  }
}

export interface MailboxAddress {
  epoch: number
  publicKey: Uint8Array<ArrayBuffer>
}

export namespace MailboxAddress {
  let _codec: Codec<MailboxAddress>

  export const codec = (): Codec<MailboxAddress> => {
    if (_codec == null) {
      _codec = message<MailboxAddress>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.epoch != null && obj.epoch !== 0)) {
          w.uint32(8)
          w.uint32(obj.epoch)
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
          epoch: 0,
          publicKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.epoch = reader.uint32()
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
                field: `${prefix}.epoch`,
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

  export interface MailboxAddressEpochFieldEvent {
    field: '$.epoch'
    value: number
  }

  export interface MailboxAddressPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<MailboxAddress>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MailboxAddress.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxAddress>): MailboxAddress {
    return decodeMessage(buf, MailboxAddress.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxAddress>): Generator<MailboxAddressEpochFieldEvent | MailboxAddressPublicKeyFieldEvent> {
    return streamMessage(buf, MailboxAddress.codec(), opts)
  }
}

export interface FileOffer {
  id: Uint8Array<ArrayBuffer>
  name: string
  size: bigint
  type: string
  root: Uint8Array<ArrayBuffer>
  key: Uint8Array<ArrayBuffer>
}

export namespace FileOffer {
  let _codec: Codec<FileOffer>

  export const codec = (): Codec<FileOffer> => {
    if (_codec == null) {
      _codec = message<FileOffer>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(18)
          w.string(obj.name)
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(24)
          w.uint64(obj.size)
        }

        if ((obj.type != null && obj.type !== '')) {
          w.uint32(34)
          w.string(obj.type)
        }

        if ((obj.root != null && obj.root.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.root)
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.key)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          name: '',
          size: 0n,
          type: '',
          root: uint8ArrayAlloc(0),
          key: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.name = reader.string()
              break
            }
            case 3: {
              obj.size = reader.uint64()
              break
            }
            case 4: {
              obj.type = reader.string()
              break
            }
            case 5: {
              obj.root = reader.bytes()
              break
            }
            case 6: {
              obj.key = reader.bytes()
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
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.type`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.root`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.key`,
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

  export interface FileOfferIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileOfferNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface FileOfferSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface FileOfferTypeFieldEvent {
    field: '$.type'
    value: string
  }

  export interface FileOfferRootFieldEvent {
    field: '$.root'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileOfferKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<FileOffer>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FileOffer.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileOffer>): FileOffer {
    return decodeMessage(buf, FileOffer.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileOffer>): Generator<FileOfferIdFieldEvent | FileOfferNameFieldEvent | FileOfferSizeFieldEvent | FileOfferTypeFieldEvent | FileOfferRootFieldEvent | FileOfferKeyFieldEvent> {
    return streamMessage(buf, FileOffer.codec(), opts)
  }
}

export interface FileStatus {
  id: Uint8Array<ArrayBuffer>
  state: FileStatus.State
}

export namespace FileStatus {
  export enum State {
    RECEIVED = 'RECEIVED',
    CANCELLED = 'CANCELLED'
  }

  enum __StateValues {
    RECEIVED = 0,
    CANCELLED = 1
  }

  export namespace State {
    export const codec = (): Codec<State> => {
      return enumeration<State>(__StateValues)
    }
  }

  let _codec: Codec<FileStatus>

  export const codec = (): Codec<FileStatus> => {
    if (_codec == null) {
      _codec = message<FileStatus>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if (obj.state != null && __StateValues[obj.state] !== 0) {
          w.uint32(16)
          FileStatus.State.codec().encode(obj.state, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          state: State.RECEIVED
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.state = FileStatus.State.codec().decode(reader)
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
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.state`,
                value: FileStatus.State.codec().decode(reader)
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

  export interface FileStatusIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileStatusStateFieldEvent {
    field: '$.state'
    value: FileStatus.State
  }

  export function encode (obj: Partial<FileStatus>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FileStatus.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileStatus>): FileStatus {
    return decodeMessage(buf, FileStatus.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileStatus>): Generator<FileStatusIdFieldEvent | FileStatusStateFieldEvent> {
    return streamMessage(buf, FileStatus.codec(), opts)
  }
}

export interface MessageRef {
  id: Uint8Array<ArrayBuffer>
  author: Uint8Array<ArrayBuffer>
}

export namespace MessageRef {
  let _codec: Codec<MessageRef>

  export const codec = (): Codec<MessageRef> => {
    if (_codec == null) {
      _codec = message<MessageRef>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.author != null && obj.author.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.author)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          author: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.author = reader.bytes()
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
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.author`,
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

  export interface MessageRefIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MessageRefAuthorFieldEvent {
    field: '$.author'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<MessageRef>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MessageRef.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageRef>): MessageRef {
    return decodeMessage(buf, MessageRef.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageRef>): Generator<MessageRefIdFieldEvent | MessageRefAuthorFieldEvent> {
    return streamMessage(buf, MessageRef.codec(), opts)
  }
}

export interface Quote {
  message?: MessageRef
}

export namespace Quote {
  let _codec: Codec<Quote>

  export const codec = (): Codec<Quote> => {
    if (_codec == null) {
      _codec = message<Quote>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.message != null) {
          w.uint32(10)
          MessageRef.codec().encode(obj.message, w)
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
              obj.message = MessageRef.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.message
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
              yield * MessageRef.codec().stream(reader, reader.uint32(), `${prefix}.message`, {
                limits: opts.limits?.message
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

  export interface QuoteMessageIdFieldEvent {
    field: '$.message.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface QuoteMessageAuthorFieldEvent {
    field: '$.message.author'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Quote>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Quote.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Quote>): Quote {
    return decodeMessage(buf, Quote.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Quote>): Generator<QuoteMessageIdFieldEvent | QuoteMessageAuthorFieldEvent> {
    return streamMessage(buf, Quote.codec(), opts)
  }
}

export interface Reaction {
  message?: MessageRef
  emoji: string
}

export namespace Reaction {
  let _codec: Codec<Reaction>

  export const codec = (): Codec<Reaction> => {
    if (_codec == null) {
      _codec = message<Reaction>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.message != null) {
          w.uint32(10)
          MessageRef.codec().encode(obj.message, w)
        }

        if ((obj.emoji != null && obj.emoji !== '')) {
          w.uint32(18)
          w.string(obj.emoji)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          emoji: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.message = MessageRef.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.message
              })
              break
            }
            case 2: {
              obj.emoji = reader.string()
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
              yield * MessageRef.codec().stream(reader, reader.uint32(), `${prefix}.message`, {
                limits: opts.limits?.message
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.emoji`,
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

  export interface ReactionMessageIdFieldEvent {
    field: '$.message.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ReactionMessageAuthorFieldEvent {
    field: '$.message.author'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ReactionEmojiFieldEvent {
    field: '$.emoji'
    value: string
  }

  export function encode (obj: Partial<Reaction>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Reaction.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Reaction>): Reaction {
    return decodeMessage(buf, Reaction.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Reaction>): Generator<ReactionMessageIdFieldEvent | ReactionMessageAuthorFieldEvent | ReactionEmojiFieldEvent> {
    return streamMessage(buf, Reaction.codec(), opts)
  }
}

export interface Edit {
  messageId: Uint8Array<ArrayBuffer>
  text: string
}

export namespace Edit {
  let _codec: Codec<Edit>

  export const codec = (): Codec<Edit> => {
    if (_codec == null) {
      _codec = message<Edit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.messageId != null && obj.messageId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.messageId)
        }

        if ((obj.text != null && obj.text !== '')) {
          w.uint32(18)
          w.string(obj.text)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          messageId: uint8ArrayAlloc(0),
          text: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.messageId = reader.bytes()
              break
            }
            case 2: {
              obj.text = reader.string()
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
                field: `${prefix}.messageId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.text`,
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

  export interface EditMessageIdFieldEvent {
    field: '$.messageId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EditTextFieldEvent {
    field: '$.text'
    value: string
  }

  export function encode (obj: Partial<Edit>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Edit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Edit>): Edit {
    return decodeMessage(buf, Edit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Edit>): Generator<EditMessageIdFieldEvent | EditTextFieldEvent> {
    return streamMessage(buf, Edit.codec(), opts)
  }
}

export interface Delete {
  messageId: Uint8Array<ArrayBuffer>
}

export namespace Delete {
  let _codec: Codec<Delete>

  export const codec = (): Codec<Delete> => {
    if (_codec == null) {
      _codec = message<Delete>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.messageId != null && obj.messageId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.messageId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          messageId: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.messageId = reader.bytes()
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
                field: `${prefix}.messageId`,
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

  export interface DeleteMessageIdFieldEvent {
    field: '$.messageId'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Delete>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Delete.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Delete>): Delete {
    return decodeMessage(buf, Delete.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Delete>): Generator<DeleteMessageIdFieldEvent> {
    return streamMessage(buf, Delete.codec(), opts)
  }
}

export interface TimerChange {
  seconds: number
}

export namespace TimerChange {
  let _codec: Codec<TimerChange>

  export const codec = (): Codec<TimerChange> => {
    if (_codec == null) {
      _codec = message<TimerChange>((obj, w, opts = {}) => {
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

  export interface TimerChangeSecondsFieldEvent {
    field: '$.seconds'
    value: number
  }

  export function encode (obj: Partial<TimerChange>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, TimerChange.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TimerChange>): TimerChange {
    return decodeMessage(buf, TimerChange.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TimerChange>): Generator<TimerChangeSecondsFieldEvent> {
    return streamMessage(buf, TimerChange.codec(), opts)
  }
}

export interface Typing {
  typing: boolean
}

export namespace Typing {
  let _codec: Codec<Typing>

  export const codec = (): Codec<Typing> => {
    if (_codec == null) {
      _codec = message<Typing>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.typing != null && obj.typing !== false)) {
          w.uint32(8)
          w.bool(obj.typing)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          typing: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.typing = reader.bool()
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
                field: `${prefix}.typing`,
                value: reader.bool()
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

  export interface TypingTypingFieldEvent {
    field: '$.typing'
    value: boolean
  }

  export function encode (obj: Partial<Typing>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Typing.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Typing>): Typing {
    return decodeMessage(buf, Typing.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Typing>): Generator<TypingTypingFieldEvent> {
    return streamMessage(buf, Typing.codec(), opts)
  }
}

export interface ReadReceipt {
  ids: Uint8Array<ArrayBuffer>[]
}

export namespace ReadReceipt {
  let _codec: Codec<ReadReceipt>

  export const codec = (): Codec<ReadReceipt> => {
    if (_codec == null) {
      _codec = message<ReadReceipt>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.ids != null && obj.ids.length > 0) {
          for (const value of obj.ids) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ids: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
              }

              obj.ids.push(reader.bytes())
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
          ids: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
              }

              yield {
                field: `${prefix}.ids[]`,
                index: obj.ids,
                value: reader.bytes()
              }

              obj.ids++

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

  export interface ReadReceiptIdsFieldEvent {
    field: '$.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ReadReceipt>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ReadReceipt.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReadReceipt>): ReadReceipt {
    return decodeMessage(buf, ReadReceipt.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReadReceipt>): Generator<ReadReceiptIdsFieldEvent> {
    return streamMessage(buf, ReadReceipt.codec(), opts)
  }
}

export interface GroupUpdate {
  group: Uint8Array<ArrayBuffer>
  changes: Uint8Array<ArrayBuffer>[]
  secrets: GroupEpochSecret[]
}

export namespace GroupUpdate {
  let _codec: Codec<GroupUpdate>

  export const codec = (): Codec<GroupUpdate> => {
    if (_codec == null) {
      _codec = message<GroupUpdate>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.group != null && obj.group.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.group)
        }

        if (obj.changes != null && obj.changes.length > 0) {
          for (const value of obj.changes) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (obj.secrets != null && obj.secrets.length > 0) {
          for (const value of obj.secrets) {
            w.uint32(26)
            GroupEpochSecret.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          group: uint8ArrayAlloc(0),
          changes: [],
          secrets: []
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
              if (opts.limits?.changes != null && obj.changes.length === opts.limits.changes) {
                throw new MaxLengthError('Decode error - repeated field "changes" had too many elements')
              }

              obj.changes.push(reader.bytes())
              break
            }
            case 3: {
              if (opts.limits?.secrets != null && obj.secrets.length === opts.limits.secrets) {
                throw new MaxLengthError('Decode error - repeated field "secrets" had too many elements')
              }

              obj.secrets.push(GroupEpochSecret.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.secrets$
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
          changes: 0,
          secrets: 0
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
            case 3: {
              if (opts.limits?.secrets != null && obj.secrets === opts.limits.secrets) {
                throw new MaxLengthError('Streaming decode error - repeated field "secrets" had too many elements')
              }

              for (const evt of GroupEpochSecret.codec().stream(reader, reader.uint32(), `${prefix}.secrets[]`, {
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

  export interface GroupUpdateGroupFieldEvent {
    field: '$.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupUpdateChangesFieldEvent {
    field: '$.changes[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupUpdateSecretsEpochFieldEvent {
    field: '$.secrets[].epoch'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupUpdateSecretsSecretFieldEvent {
    field: '$.secrets[].secret'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupUpdateSecretsFromFieldEvent {
    field: '$.secrets[].from'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<GroupUpdate>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupUpdate.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupUpdate>): GroupUpdate {
    return decodeMessage(buf, GroupUpdate.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupUpdate>): Generator<GroupUpdateGroupFieldEvent | GroupUpdateChangesFieldEvent | GroupUpdateSecretsEpochFieldEvent | GroupUpdateSecretsSecretFieldEvent | GroupUpdateSecretsFromFieldEvent> {
    return streamMessage(buf, GroupUpdate.codec(), opts)
  }
}

export interface GroupEpochSecret {
  epoch: Uint8Array<ArrayBuffer>
  secret: Uint8Array<ArrayBuffer>
  from: Uint8Array<ArrayBuffer>
}

export namespace GroupEpochSecret {
  let _codec: Codec<GroupEpochSecret>

  export const codec = (): Codec<GroupEpochSecret> => {
    if (_codec == null) {
      _codec = message<GroupEpochSecret>((obj, w, opts = {}) => {
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

  export interface GroupEpochSecretEpochFieldEvent {
    field: '$.epoch'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupEpochSecretSecretFieldEvent {
    field: '$.secret'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupEpochSecretFromFieldEvent {
    field: '$.from'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<GroupEpochSecret>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupEpochSecret.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEpochSecret>): GroupEpochSecret {
    return decodeMessage(buf, GroupEpochSecret.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEpochSecret>): Generator<GroupEpochSecretEpochFieldEvent | GroupEpochSecretSecretFieldEvent | GroupEpochSecretFromFieldEvent> {
    return streamMessage(buf, GroupEpochSecret.codec(), opts)
  }
}

export interface SenderKey {
  group: Uint8Array<ArrayBuffer>
  distribution: Uint8Array<ArrayBuffer>
  wantedKeyId: Uint8Array<ArrayBuffer>
  wantedIteration: number
}

export namespace SenderKey {
  let _codec: Codec<SenderKey>

  export const codec = (): Codec<SenderKey> => {
    if (_codec == null) {
      _codec = message<SenderKey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.group != null && obj.group.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.group)
        }

        if ((obj.distribution != null && obj.distribution.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.distribution)
        }

        if ((obj.wantedKeyId != null && obj.wantedKeyId.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.wantedKeyId)
        }

        if ((obj.wantedIteration != null && obj.wantedIteration !== 0)) {
          w.uint32(32)
          w.uint32(obj.wantedIteration)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          group: uint8ArrayAlloc(0),
          distribution: uint8ArrayAlloc(0),
          wantedKeyId: uint8ArrayAlloc(0),
          wantedIteration: 0
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
              obj.distribution = reader.bytes()
              break
            }
            case 3: {
              obj.wantedKeyId = reader.bytes()
              break
            }
            case 4: {
              obj.wantedIteration = reader.uint32()
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
                field: `${prefix}.distribution`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.wantedKeyId`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.wantedIteration`,
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

  export interface SenderKeyGroupFieldEvent {
    field: '$.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SenderKeyDistributionFieldEvent {
    field: '$.distribution'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SenderKeyWantedKeyIdFieldEvent {
    field: '$.wantedKeyId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SenderKeyWantedIterationFieldEvent {
    field: '$.wantedIteration'
    value: number
  }

  export function encode (obj: Partial<SenderKey>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SenderKey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKey>): SenderKey {
    return decodeMessage(buf, SenderKey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKey>): Generator<SenderKeyGroupFieldEvent | SenderKeyDistributionFieldEvent | SenderKeyWantedKeyIdFieldEvent | SenderKeyWantedIterationFieldEvent> {
    return streamMessage(buf, SenderKey.codec(), opts)
  }
}

export interface GroupReceipt {
  group: Uint8Array<ArrayBuffer>
  delivered: Uint8Array<ArrayBuffer>[]
  read: Uint8Array<ArrayBuffer>[]
}

export namespace GroupReceipt {
  let _codec: Codec<GroupReceipt>

  export const codec = (): Codec<GroupReceipt> => {
    if (_codec == null) {
      _codec = message<GroupReceipt>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.group != null && obj.group.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.group)
        }

        if (obj.delivered != null && obj.delivered.length > 0) {
          for (const value of obj.delivered) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (obj.read != null && obj.read.length > 0) {
          for (const value of obj.read) {
            w.uint32(26)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          group: uint8ArrayAlloc(0),
          delivered: [],
          read: []
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
              if (opts.limits?.delivered != null && obj.delivered.length === opts.limits.delivered) {
                throw new MaxLengthError('Decode error - repeated field "delivered" had too many elements')
              }

              obj.delivered.push(reader.bytes())
              break
            }
            case 3: {
              if (opts.limits?.read != null && obj.read.length === opts.limits.read) {
                throw new MaxLengthError('Decode error - repeated field "read" had too many elements')
              }

              obj.read.push(reader.bytes())
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
          delivered: 0,
          read: 0
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
              if (opts.limits?.delivered != null && obj.delivered === opts.limits.delivered) {
                throw new MaxLengthError('Streaming decode error - repeated field "delivered" had too many elements')
              }

              yield {
                field: `${prefix}.delivered[]`,
                index: obj.delivered,
                value: reader.bytes()
              }

              obj.delivered++

              break
            }
            case 3: {
              if (opts.limits?.read != null && obj.read === opts.limits.read) {
                throw new MaxLengthError('Streaming decode error - repeated field "read" had too many elements')
              }

              yield {
                field: `${prefix}.read[]`,
                index: obj.read,
                value: reader.bytes()
              }

              obj.read++

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

  export interface GroupReceiptGroupFieldEvent {
    field: '$.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupReceiptDeliveredFieldEvent {
    field: '$.delivered[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupReceiptReadFieldEvent {
    field: '$.read[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<GroupReceipt>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupReceipt.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupReceipt>): GroupReceipt {
    return decodeMessage(buf, GroupReceipt.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupReceipt>): Generator<GroupReceiptGroupFieldEvent | GroupReceiptDeliveredFieldEvent | GroupReceiptReadFieldEvent> {
    return streamMessage(buf, GroupReceipt.codec(), opts)
  }
}
