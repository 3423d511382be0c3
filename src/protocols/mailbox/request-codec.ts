import { reader as createReader } from 'protons-runtime'
import { MAX_EPOCHS_PER_FETCH } from './constants.ts'
import { InvalidMailboxRequestError } from './errors.ts'
import { OfferRequest, StoreRequest } from './pb/mailbox.ts'
import type { FetchRequest, MailboxRequest } from './pb/mailbox.ts'
import type { Reader } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

const VARINT = 0
const LENGTH_DELIMITED = 2

/**
 * Reads a `MailboxRequest` in any valid protobuf encoding. A repeated scalar may be written
 * unpacked (a tag per value, what protons writes) or packed (one length-delimited run of values,
 * what proto3 writers such as protobufjs, Go and prost write by default), and a parser must
 * accept both (protobuf's encoding guide, "Packed Repeated Fields"). protons 9 reads only the
 * unpacked form: it takes a packed run's length for the first value and the values for tags.
 * `FetchRequest.epochs` is the one repeated scalar in this protocol, so its decoder (and with it
 * the rest of a fetch's or a watch's fields) is written here; the other messages are protons'. A
 * `fetch` or `watch` sent in several parts is merged, as protobuf says; protons keeps the last
 * part of a `store` or `offer`, which no Parley writer splits.
 */
export const AnyMailboxRequest = {
  /** @throws InvalidMailboxRequestError, or protons' errors, for bytes that are not a request */
  decode (data: Uint8Array | Uint8ArrayList): MailboxRequest {
    const reader = createReader(data)
    const request: MailboxRequest = {}
    while (reader.pos < reader.len) {
      const tag = reader.uint32()
      const wireType = tag & 7
      const field = tag >>> 3
      if (field < 1 || field > 4) {
        reader.skipType(wireType)
        continue
      }
      if (wireType !== LENGTH_DELIMITED) throw wrongType('MailboxRequest', field, wireType)
      const length = reader.uint32()
      if (reader.pos + length > reader.len) throw new InvalidMailboxRequestError(`MailboxRequest field ${field} overruns the message`)
      if (field === 1) request.store = StoreRequest.codec().decode(reader, length)
      else if (field === 2) request.fetch = decodeFetch(reader, length, request.fetch)
      else if (field === 4) request.watch = decodeFetch(reader, length, request.watch)
      else request.offer = OfferRequest.codec().decode(reader, length)
    }
    return request
  }
}

/** A FetchRequest of `length` bytes (within the reader) at its position, merged into `into` if given */
function decodeFetch (reader: Reader, length: number, into?: FetchRequest): FetchRequest {
  const end = reader.pos + length
  const fetch: FetchRequest = into ?? { recipient: new Uint8Array(0), epochs: [] }
  const epoch = (value: number): void => {
    if (fetch.epochs.length === MAX_EPOCHS_PER_FETCH) throw new InvalidMailboxRequestError(`a fetch names 1 to ${MAX_EPOCHS_PER_FETCH} epochs`)
    fetch.epochs.push(value)
  }
  while (reader.pos < end) {
    const tag = reader.uint32()
    const wireType = tag & 7
    const field = tag >>> 3
    if (field === 1) {
      if (wireType !== LENGTH_DELIMITED) throw wrongType('FetchRequest', field, wireType)
      fetch.recipient = reader.bytes()
    } else if (field === 2 && wireType === VARINT) {
      epoch(reader.uint32())
    } else if (field === 2 && wireType === LENGTH_DELIMITED) {
      const packedEnd = reader.uint32() + reader.pos
      if (packedEnd > end) throw new InvalidMailboxRequestError('the packed epochs overrun the fetch request')
      while (reader.pos < packedEnd) epoch(reader.uint32())
      if (reader.pos !== packedEnd) throw new InvalidMailboxRequestError('an epoch overruns the packed epochs')
    } else if (field === 2) {
      throw wrongType('FetchRequest', field, wireType)
    } else if (field === 3) {
      if (wireType !== VARINT) throw wrongType('FetchRequest', field, wireType)
      fetch.since = reader.uint64()
    } else {
      reader.skipType(wireType)
    }
  }
  if (reader.pos !== end) throw new InvalidMailboxRequestError('a field overruns the fetch request')
  return fetch
}

function wrongType (message: string, field: number, wireType: number): InvalidMailboxRequestError {
  return new InvalidMailboxRequestError(`${message} field ${field} cannot have wire type ${wireType}`)
}
