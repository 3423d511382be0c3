import { encodePng } from '../../../scripts/web/png.ts'

/** A PNG of `width` × `height` pixels coloured by `colour(x, y)` (RGB) */
export function png (width: number, height: number, colour: (x: number, y: number) => [number, number, number]): Uint8Array<ArrayBuffer> {
  const pixels = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      pixels.set([...colour(x, y), 0xff], (y * width + x) * 4)
    }
  }
  return encodePng(width, height, pixels)
}

/** A mono 8 kHz 16-bit PCM WAV of a 440 Hz tone, `seconds` long */
export function wav (seconds: number): Uint8Array<ArrayBuffer> {
  const rate = 8_000
  const samples = Math.round(rate * seconds)
  const out = new Uint8Array(44 + samples * 2)
  const view = new DataView(out.buffer)
  const text = (at: number, s: string): void => { for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i) }
  text(0, 'RIFF')
  view.setUint32(4, 36 + samples * 2, true)
  text(8, 'WAVE')
  text(12, 'fmt ')
  view.setUint32(16, 16, true)
  view.setUint16(20, 1, true) // PCM
  view.setUint16(22, 1, true) // mono
  view.setUint32(24, rate, true)
  view.setUint32(28, rate * 2, true)
  view.setUint16(32, 2, true)
  view.setUint16(34, 16, true)
  text(36, 'data')
  view.setUint32(40, samples * 2, true)
  for (let i = 0; i < samples; i++) view.setInt16(44 + i * 2, Math.round(8_000 * Math.sin(2 * Math.PI * 440 * i / rate)), true)
  return out
}
