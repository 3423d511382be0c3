import { fromString, toString } from 'uint8arrays'
import { nobleCryptoProvider, nodeCryptoProvider } from '../../../src/crypto/provider/index.ts'
import type { CryptoProvider } from '../../../src/crypto/provider/index.ts'

/** Both implementations, for suites that must hold for each */
export const PROVIDERS: CryptoProvider[] = [nodeCryptoProvider(), nobleCryptoProvider()]

export function hex (value: string): Uint8Array {
  return fromString(value, 'base16')
}

export function toHex (bytes: Uint8Array): string {
  return toString(bytes, 'base16')
}

export function utf8 (value: string): Uint8Array {
  return fromString(value, 'utf8')
}

/** A copy of `bytes` with bit `bit` (0 = lowest bit of byte 0) flipped */
export function flipBit (bytes: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes)
  copy[bit >> 3] ^= 1 << (bit & 7)
  return copy
}

/** Values that are not Uint8Arrays, for TypeError checks */
export const NOT_BYTES: unknown[] = [
  'string',
  [1, 2, 3],
  new ArrayBuffer(32),
  new Uint16Array(16),
  new DataView(new ArrayBuffer(32)),
  null,
  42
]
