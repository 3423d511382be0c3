import { HEADER_BYTES } from './constants.ts'
import { InvalidMessageError } from './errors.ts'

export interface Header {
  /** The sender's current ratchet public key */
  publicKey: Uint8Array
  /** Messages in the sender's previous sending chain */
  previousChainLength: number
  /** This message's number in the current sending chain */
  n: number
}

/** Fixed 40 bytes, so it needs no parser that could be fed something odd */
export function encodeHeader (header: Header): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES)
  out.set(header.publicKey, 0)
  const view = new DataView(out.buffer)
  view.setUint32(32, header.previousChainLength)
  view.setUint32(36, header.n)
  return out
}

export function decodeHeader (bytes: Uint8Array): Header {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== HEADER_BYTES) {
    throw new InvalidMessageError(`a message header is ${HEADER_BYTES} bytes`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return {
    publicKey: bytes.slice(0, 32),
    previousChainLength: view.getUint32(32),
    n: view.getUint32(36)
  }
}
