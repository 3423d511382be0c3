import { crc32, deflateSync } from 'node:zlib'

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
/** IHDR: 8 bits per channel, colour type 6 (RGBA), deflate, adaptive filtering, no interlace */
const RGBA8 = Uint8Array.of(8, 6, 0, 0, 0)

/**
 * Encodes an RGBA image (`pixels`: width × height × 4 bytes, rows top to bottom) as a PNG: one
 * IDAT of unfiltered rows. Enough for the app's icons, which are drawn at build time.
 */
export function encodePng (width: number, height: number, pixels: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`a PNG is at least 1 × 1 pixels, not ${width} × ${height}`)
  }
  if (pixels.byteLength !== width * height * 4) {
    throw new RangeError(`${width} × ${height} RGBA pixels are ${width * height * 4} bytes, not ${pixels.byteLength}`)
  }
  const header = new Uint8Array(13)
  const view = new DataView(header.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  header.set(RGBA8, 8)
  // each row starts with its filter type: 0, none
  const rows = new Uint8Array(height * (width * 4 + 1))
  for (let y = 0; y < height; y++) {
    rows.set(pixels.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1)
  }
  return concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', new Uint8Array(0))])
}

/** length, type, data, and the CRC-32 of type and data */
function chunk (type: string, data: Uint8Array): Uint8Array {
  const typed = concat([new TextEncoder().encode(type), data])
  const out = new Uint8Array(8 + data.byteLength + 4)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.byteLength)
  out.set(typed, 4)
  view.setUint32(out.byteLength - 4, crc32(typed))
  return out
}

function concat (parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.byteLength
  }
  return out
}
