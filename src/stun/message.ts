import { crc32 } from 'node:zlib'
import { InvalidStunMessageError } from './errors.ts'
import { MAX_STUN_REQUEST_BYTES } from './constants.ts'
import type { IpBytes } from './ip-bytes.ts'

/** RFC 8489 section 5 and 14: the parts of the wire format a binding responder needs */
const HEADER_BYTES = 20
const MAGIC_COOKIE = 0x2112a442
const BINDING_REQUEST = 0x0001
const BINDING_SUCCESS = 0x0101
const ATTR_XOR_MAPPED_ADDRESS = 0x0020
const ATTR_FINGERPRINT = 0x8028
const FINGERPRINT_XOR = 0x5354554e
const FINGERPRINT_ATTR_BYTES = 8

export interface BindingRequest {
  /** 12 bytes, echoed in the response */
  transactionId: Uint8Array
  /** The request ended in a valid FINGERPRINT, so the response carries one too */
  fingerprint: boolean
}

/**
 * Reads a STUN binding request (RFC 8489) and throws `InvalidStunMessageError` for anything else:
 * a datagram shorter than the header or longer than `MAX_STUN_REQUEST_BYTES`, a header length
 * that disagrees with the datagram, a wrong magic cookie (RFC 3489's classic STUN has none and
 * is not answered), another message type, attributes that overrun the message, or a FINGERPRINT
 * that is misplaced or wrong. Other attributes are skipped unread: a binding request to a server
 * needs none, and answering never depends on them.
 */
export function decodeBindingRequest (datagram: Uint8Array): BindingRequest {
  if (datagram.byteLength < HEADER_BYTES) throw new InvalidStunMessageError(`a STUN message has at least ${HEADER_BYTES} bytes, this has ${datagram.byteLength}`)
  if (datagram.byteLength > MAX_STUN_REQUEST_BYTES) throw new InvalidStunMessageError(`a binding request has at most ${MAX_STUN_REQUEST_BYTES} bytes, this has ${datagram.byteLength}`)
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength)
  const type = view.getUint16(0)
  if (type !== BINDING_REQUEST) throw new InvalidStunMessageError(`message type 0x${type.toString(16)} is not a binding request`)
  const length = view.getUint16(2)
  if (length !== datagram.byteLength - HEADER_BYTES) throw new InvalidStunMessageError(`the header says ${length} bytes of attributes, the datagram has ${datagram.byteLength - HEADER_BYTES}`)
  if (view.getUint32(4) !== MAGIC_COOKIE) throw new InvalidStunMessageError('wrong magic cookie')
  let fingerprint = false
  let offset = HEADER_BYTES
  while (offset < datagram.byteLength) {
    if (fingerprint) throw new InvalidStunMessageError('an attribute follows the FINGERPRINT')
    if (offset + 4 > datagram.byteLength) throw new InvalidStunMessageError('a truncated attribute header')
    const attrType = view.getUint16(offset)
    const attrLength = view.getUint16(offset + 2)
    // values are padded to a multiple of 4 bytes
    const next = offset + 4 + Math.ceil(attrLength / 4) * 4
    if (next > datagram.byteLength) throw new InvalidStunMessageError(`attribute 0x${attrType.toString(16)} overruns the message`)
    if (attrType === ATTR_FINGERPRINT) {
      if (attrLength !== 4) throw new InvalidStunMessageError('a FINGERPRINT has 4 bytes')
      if (view.getUint32(offset + 4) !== fingerprintOf(datagram.subarray(0, offset))) throw new InvalidStunMessageError('wrong FINGERPRINT')
      fingerprint = true
    }
    offset = next
  }
  return { transactionId: datagram.slice(8, HEADER_BYTES), fingerprint }
}

export interface BindingSuccessInit extends BindingRequest {
  /** Where the request came from: the address and port its NAT mapped */
  address: IpBytes
  port: number
}

/**
 * A binding success response: the header, XOR-MAPPED-ADDRESS, and FINGERPRINT when the request
 * had one. So it is never longer than the request plus the mapped address: a reflector that
 * answers small requests with large responses amplifies floods sent with a spoofed source.
 */
export function encodeBindingSuccess ({ transactionId, fingerprint, address, port }: BindingSuccessInit): Uint8Array {
  const addressBytes = address.bytes.byteLength
  const mappedBytes = 4 + 4 + addressBytes
  const out = new Uint8Array(HEADER_BYTES + mappedBytes + (fingerprint ? FINGERPRINT_ATTR_BYTES : 0))
  const view = new DataView(out.buffer)
  view.setUint16(0, BINDING_SUCCESS)
  view.setUint16(2, out.byteLength - HEADER_BYTES)
  view.setUint32(4, MAGIC_COOKIE)
  out.set(transactionId, 8)
  let offset = HEADER_BYTES
  view.setUint16(offset, ATTR_XOR_MAPPED_ADDRESS)
  view.setUint16(offset + 2, 4 + addressBytes)
  view.setUint8(offset + 5, address.family === 4 ? 0x01 : 0x02)
  view.setUint16(offset + 6, port ^ (MAGIC_COOKIE >>> 16))
  // the address is XORed with the cookie followed by the transaction id (RFC 8489 14.2)
  for (let i = 0; i < addressBytes; i++) out[offset + 8 + i] = address.bytes[i] ^ out[4 + i]
  offset += mappedBytes
  if (fingerprint) {
    view.setUint16(offset, ATTR_FINGERPRINT)
    view.setUint16(offset + 2, 4)
    view.setUint32(offset + 4, fingerprintOf(out.subarray(0, offset)))
  }
  return out
}

/**
 * CRC-32 of the message up to the FINGERPRINT, XORed with 0x5354554e. The header's length field
 * already counts the FINGERPRINT when this is computed, as RFC 8489 section 14.7 requires: both
 * the decoder (reading a finished message) and the encoder (which set the final length first)
 * see it that way.
 */
function fingerprintOf (prefix: Uint8Array): number {
  return (crc32(prefix) ^ FINGERPRINT_XOR) >>> 0
}
