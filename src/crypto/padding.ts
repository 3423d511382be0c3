import { ParleyError } from '../errors/index.ts'

/**
 * Padding to size buckets, so a ciphertext's length tells only its bucket: powers of two from
 * 256 bytes. ISO/IEC 7816-4 style: a 0x80 byte, then zeros up to the bucket size.
 */
export const MIN_BUCKET_BYTES = 256

/** Thrown when padded bytes do not end in the 0x80-then-zeros pattern */
export class InvalidPaddingError extends ParleyError {
  static override name = 'InvalidPaddingError'
  override name = 'InvalidPaddingError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_PADDING'

  constructor (message = 'Invalid padding') {
    super(message)
  }
}

export function paddedLength (length: number): number {
  let bucket = MIN_BUCKET_BYTES
  while (bucket < length + 1) bucket *= 2
  return bucket
}

export function pad (data: Uint8Array): Uint8Array {
  const out = new Uint8Array(paddedLength(data.byteLength))
  out.set(data, 0)
  out[data.byteLength] = 0x80
  return out
}

export function unpad (padded: Uint8Array): Uint8Array {
  let end = padded.byteLength - 1
  while (end >= 0 && padded[end] === 0) end--
  if (end < 0 || padded[end] !== 0x80) {
    throw new InvalidPaddingError()
  }
  return padded.subarray(0, end)
}
