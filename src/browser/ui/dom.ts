type Child = Node | string | null | undefined | false
type Attrs = Record<string, string | boolean | EventListener | undefined>

/**
 * Creates an element. Text always goes in as text nodes, never as HTML, so message text and
 * names from peers cannot inject markup. `on*` attributes take listeners.
 */
export function h (tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value)
    else el.setAttribute(name, value === true ? '' : value)
  }
  for (const child of children) {
    if (child == null || child === false) continue
    el.append(typeof child === 'string' ? document.createTextNode(child) : child)
  }
  return el
}

/** Replaces all of `el`'s children */
export function fill (el: Element, ...children: Child[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => c != null && c !== false))
}

/** A short form of a PeerId for lists: the first and last characters */
export function shortId (peerId: string): string {
  return peerId.length > 16 ? `${peerId.slice(0, 8)}…${peerId.slice(-6)}` : peerId
}

/** Runs an async UI action, showing its error next to the form rather than losing it */
export function action (errorBox: HTMLElement, fn: () => Promise<void>): void {
  errorBox.textContent = ''
  fn().catch((err: Error) => { errorBox.textContent = err.message })
}

/** Runs work the user did not ask for just now (marking read): shows its error, leaving others' in place */
export function unasked (errorBox: HTMLElement, fn: () => Promise<void>): void {
  fn().catch((err: Error) => { errorBox.textContent = err.message })
}
