import { h } from './dom.ts'

/** A panel over the app (a modal dialog): Escape, ✕ or a click beside it closes it */
export class Panel {
  readonly el: HTMLDialogElement

  constructor (title: string, className: string, ...body: HTMLElement[]) {
    this.el = h('dialog', { class: `panel ${className}`, 'aria-label': title },
      h('div', { class: 'panel-head' },
        h('h2', {}, title),
        h('button', { type: 'button', class: 'close', 'aria-label': 'Close', onclick: () => { this.close() } }, '✕')),
      h('div', { class: 'panel-body' }, ...body)) as HTMLDialogElement
    // a click on the backdrop lands on the dialog itself, outside its content
    this.el.addEventListener('click', evt => { if (evt.target === this.el) this.close() })
  }

  open (): void {
    if (!this.el.open) this.el.showModal()
  }

  close (): void {
    this.el.close()
  }
}
