const encoder = new TextEncoder()

/**
 * Domain-separated, length-prefixed bytes for hashing or signing: a label, then each field as
 * a 4-byte big-endian length and its bytes, so no two field lists encode alike.
 */
export function framed (label: string, ...fields: Uint8Array[]): Uint8Array {
  const parts = [encoder.encode(label), ...fields]
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.byteLength, 0))
  const view = new DataView(out.buffer)
  let offset = 0
  for (const part of parts) {
    view.setUint32(offset, part.byteLength)
    out.set(part, offset + 4)
    offset += 4 + part.byteLength
  }
  return out
}

export function u32 (value: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, value)
  return out
}

export function u64 (value: number): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(value))
  return out
}
