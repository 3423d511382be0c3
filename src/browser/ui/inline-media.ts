import { h } from './dom.ts'

export type MediaKind = 'image' | 'video' | 'audio'

/**
 * The media types shown inline, and as what. Only formats the browser decodes as plain pixels
 * or sound: never SVG or HTML, which could run script or load other URLs.
 */
const INLINE_TYPES: ReadonlyMap<string, MediaKind> = new Map([
  ['image/png', 'image'], ['image/jpeg', 'image'], ['image/gif', 'image'], ['image/webp', 'image'],
  ['video/mp4', 'video'], ['video/webm', 'video'],
  ['audio/mpeg', 'audio'], ['audio/ogg', 'audio'], ['audio/webm', 'audio'], ['audio/wav', 'audio']
])

/**
 * The allowed media type a file's offered type names (parameters such as `;codecs=opus`
 * dropped, case ignored), or undefined if it is not one shown inline
 */
export function inlineType (offered: string): { type: string, kind: MediaKind } | undefined {
  const type = offered.split(';')[0].trim().toLowerCase()
  const kind = INLINE_TYPES.get(type)
  return kind != null ? { type, kind } : undefined
}

/**
 * An image, video or audio player for a file's bytes. The bytes are relabelled with the allowed
 * media type and shown through an object URL of this page: nothing is ever loaded from a URL a
 * peer chose. The URL is let go of when the media is replaced or disposed.
 */
export class InlineMedia {
  readonly el = h('div', { class: 'media' })
  private url?: string

  constructor (private readonly media: { type: string, kind: MediaKind }, private readonly alt: string) {
    this.el.hidden = true
  }

  /** Shows `bytes` (any Blob: its own type is ignored) */
  show (bytes: Blob): void {
    this.dispose()
    this.url = URL.createObjectURL(new Blob([bytes], { type: this.media.type }))
    const player = this.media.kind === 'image'
      ? h('img', { src: this.url, alt: this.alt })
      : h(this.media.kind, { src: this.url, controls: true, preload: 'metadata', title: this.alt })
    this.el.replaceChildren(player)
    this.el.dataset.kind = this.media.kind
    this.el.hidden = false
  }

  /** Removes the media and lets go of its object URL */
  dispose (): void {
    if (this.url != null) URL.revokeObjectURL(this.url)
    this.url = undefined
    this.el.replaceChildren()
    this.el.hidden = true
  }
}
