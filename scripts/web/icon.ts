/** The app's colours (as in src/browser/static/style.css) */
const ACCENT = [0x2f, 0x6f, 0xdb] as const
const WHITE = [0xff, 0xff, 0xff] as const
/** Samples per pixel along each axis, for smooth edges */
const SUPERSAMPLE = 4

/** What colour a point of the icon is, in coordinates from 0 to 1 across */
function colourAt (x: number, y: number): readonly [number, number, number] {
  // three dots in the bubble: a conversation under way
  for (const cx of [0.38, 0.5, 0.62]) {
    if ((x - cx) ** 2 + (y - 0.46) ** 2 <= 0.036 ** 2) return ACCENT
  }
  return inBubble(x, y) ? WHITE : ACCENT
}

/** A speech bubble: a rounded rectangle with a tail at its lower left, inside the central 80% a launcher's mask keeps */
function inBubble (x: number, y: number): boolean {
  const [left, top, right, bottom, radius] = [0.24, 0.28, 0.76, 0.64, 0.1]
  const dx = Math.max(left + radius - x, 0, x - (right - radius))
  const dy = Math.max(top + radius - y, 0, y - (bottom - radius))
  if (x >= left && x <= right && y >= top && y <= bottom && dx ** 2 + dy ** 2 <= radius ** 2) return true
  // the tail: the triangle (0.34, 0.62), (0.46, 0.62), (0.31, 0.75)
  const side = (ax: number, ay: number, bx: number, by: number): number => (bx - ax) * (y - ay) - (by - ay) * (x - ax)
  const d1 = side(0.34, 0.62, 0.46, 0.62)
  const d2 = side(0.46, 0.62, 0.31, 0.75)
  const d3 = side(0.31, 0.75, 0.34, 0.62)
  return (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0)
}

/**
 * The app icon at `size` × `size` pixels, as RGBA bytes: a white speech bubble on the accent
 * colour, edge to edge so it also serves as a maskable icon
 */
export function drawIcon (size: number): Uint8Array {
  const pixels = new Uint8Array(size * size * 4)
  const samples = SUPERSAMPLE * SUPERSAMPLE
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0]
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const colour = colourAt((px + (sx + 0.5) / SUPERSAMPLE) / size, (py + (sy + 0.5) / SUPERSAMPLE) / size)
          for (let c = 0; c < 3; c++) sum[c] += colour[c]
        }
      }
      const at = (py * size + px) * 4
      for (let c = 0; c < 3; c++) pixels[at + c] = Math.round(sum[c] / samples)
      pixels[at + 3] = 0xff
    }
  }
  return pixels
}
