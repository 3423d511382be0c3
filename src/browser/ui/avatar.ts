import { h } from './dom.ts'

/** A hue (0-359) that stays the same for a PeerId, so a person keeps their colour everywhere */
function hueOf (peerId: string): number {
  let hash = 0
  for (let i = 0; i < peerId.length; i++) hash = (hash * 31 + peerId.charCodeAt(i)) >>> 0
  return hash % 360
}

/** A round badge with the first letter of `name`, in the person's colour */
export function avatar (name: string, peerId: string): HTMLElement {
  const el = h('span', { class: 'avatar', 'aria-hidden': 'true' }, [...name.trim()][0]?.toUpperCase() ?? '?')
  // through the CSSOM: the page's CSP refuses style attributes
  el.style.setProperty('--hue', String(hueOf(peerId)))
  return el
}
