import * as varint from 'uint8-varint'
import { ParleyError } from '../errors/index.ts'
import type { Uint8ArrayList } from 'uint8arraylist'

/**
 * Thrown when a frame's length prefix is longer than any frame under the protocol's cap needs:
 * a varint that goes on and on
 */
export class InvalidLengthPrefixError extends ParleyError {
  static override name = 'InvalidLengthPrefixError'
  override name = 'InvalidLengthPrefixError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_LENGTH_PREFIX'

  constructor (message = 'The length prefix is too long') {
    super(message)
  }
}

/** The options for `lpStream` or `pbStream` of frames up to `maxDataLength` bytes */
export interface Framing {
  maxDataLength: number
  lengthDecoder: (buf: Uint8ArrayList) => number
}

/**
 * Length-prefixed frames of at most `maxDataLength` bytes whose prefix is refused as soon as it
 * is longer than such a frame needs.
 *
 * @libp2p/utils' `lpStream` (7.4, stream-utils.ts) reads a prefix a byte at a time and checks
 * `maxLengthLength` only once the varint decodes: a varint that never ends (every byte 0x80)
 * was read for as long as the peer kept sending, until the protocol's own timeout (10 to 30 s of
 * CPU and hundreds of MiB on one stream). This decoder throws instead of asking for more bytes
 * once the prefix is too long to end in a length under the cap; lpStream passes that error on.
 * Upstream the fix is to check `maxLengthLength` before reading another byte; no js-libp2p report
 * of it was found (2026-12), so this is the place to drop once one lands.
 */
export function framing (maxDataLength: number): Framing {
  const maxPrefixBytes = varint.encodingLength(maxDataLength)
  return {
    maxDataLength,
    lengthDecoder: (buf: Uint8ArrayList): number => {
      if (buf.byteLength > maxPrefixBytes) {
        throw new InvalidLengthPrefixError(`the length prefix is over ${maxPrefixBytes} bytes: no frame under ${maxDataLength} bytes needs one`)
      }
      return varint.decode(buf)
    }
  }
}
