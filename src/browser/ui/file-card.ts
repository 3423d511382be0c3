import { h, fill } from './dom.ts'
import type { TransferInfo } from '../../events/public.ts'
import type { FileSummary } from '../../storage/types.ts'
import type { AppModel } from '../model.ts'

/** 1,536 -> `1.5 KiB` */
export function formatBytes (bytes: number): string {
  if (bytes < 1_024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1_024
  let unit = 0
  while (value >= 1_024 && unit < units.length - 1) { value /= 1_024; unit++ }
  return `${value.toFixed(1)} ${units[unit]}`
}

/** How a transfer's state reads on its card */
export function transferLabel (t: TransferInfo): string {
  const of = `${formatBytes(t.bytes)} of ${formatBytes(t.size)}`
  // a group's file is served to each member as it fetches it: no one member's progress is its state
  if (t.group != null && t.direction === 'out' && (t.state === 'offered' || t.state === 'sending')) {
    return t.state === 'offered' ? 'shared with the group' : 'shared with the group, sending'
  }
  switch (t.state) {
    case 'offered': return t.direction === 'in' ? 'offered: download it?' : 'offered'
    case 'waiting': return t.bytes > 0 ? `waiting for the sender (${of})` : 'waiting for the sender'
    case 'downloading': return `downloading ${of}`
    case 'sending': return `sending ${of}`
    case 'paused': return `paused${t.error != null ? `: ${t.error}` : ''}`
    case 'done': return t.direction === 'in' ? (t.path === '' ? 'removed from this browser' : 'received') : 'received by the peer'
    case 'cancelled': return t.error === 'cancelled by the peer' ? 'cancelled by the peer' : 'cancelled'
    case 'failed': return `failed${t.error != null ? `: ${t.error}` : ''}`
  }
}

const RUNNING = new Set<TransferInfo['state']>(['offered', 'waiting', 'downloading', 'paused', 'sending'])

/**
 * A file in a conversation: its name and size, the transfer's state with live progress, and what
 * can be done with it (download a stranger's offer, cancel, save and remove a received file). It
 * lives as long as its conversation is open and is updated in place by `transfer` events.
 */
export class FileCard {
  readonly el: HTMLElement
  private readonly state = h('span', { class: 'file-state' })
  private readonly bar = h('progress', { max: '1', value: '0' }) as HTMLProgressElement
  private readonly actions = h('div', { class: 'file-actions row' })
  private readonly error: HTMLElement
  private current?: TransferInfo
  /** The object URL of the received file, while a save link shows it */
  private url?: string

  constructor (private readonly file: FileSummary, private readonly model: AppModel, error: HTMLElement) {
    this.error = error
    this.el = h('div', { class: 'file', 'data-transfer': file.id },
      h('div', {}, h('strong', { class: 'file-name' }, file.name), ' ', h('span', { class: 'dim' }, formatBytes(file.size))),
      this.bar, this.state, this.actions)
    this.bar.hidden = true
  }

  /** The transfer as the card shows it (undefined until its state was read) */
  get transfer (): TransferInfo | undefined {
    return this.current
  }

  /** Shows `t` unless the card already shows a later state */
  update (t: TransferInfo): void {
    if (this.current != null && t.updatedAt < this.current.updatedAt) return
    const before = this.current
    this.current = t
    this.el.dataset.state = t.state
    this.el.dataset.direction = t.direction
    this.el.dataset.bytes = String(t.bytes)
    this.state.textContent = transferLabel(t)
    const moving = t.state === 'downloading' || t.state === 'sending' || (RUNNING.has(t.state) && t.bytes > 0)
    this.bar.hidden = !moving
    this.bar.max = Math.max(t.size, 1)
    this.bar.value = t.bytes
    // progress alone changes no button: keep them (and a save link being clicked) in place
    if (before?.state === t.state && before.path === t.path) return
    this.renderActions(t)
  }

  /** Lets go of the object URL (the conversation is closing) */
  dispose (): void {
    if (this.url != null) URL.revokeObjectURL(this.url)
    this.url = undefined
  }

  private renderActions (t: TransferInfo): void {
    const act = (label: string, cls: string, fn: () => Promise<void>): HTMLElement => h('button', {
      type: 'button',
      class: cls,
      onclick: () => {
        this.error.textContent = ''
        fn().catch((err: Error) => { this.error.textContent = err.message })
      }
    }, label)
    const buttons: HTMLElement[] = []
    if (t.direction === 'in' && t.state === 'offered') buttons.push(act('Download', 'download primary', async () => { await this.model.download(t.id) }))
    if (t.direction === 'in' && (t.state === 'waiting' || t.state === 'paused')) buttons.push(act('Retry now', 'retry', async () => { await this.model.download(t.id) }))
    if (RUNNING.has(t.state)) buttons.push(act(t.direction === 'in' && t.state === 'offered' ? 'Decline' : 'Cancel', 'cancel', async () => { await this.model.cancelTransfer(t.id) }))
    if (t.direction === 'in' && t.state === 'done' && t.path !== '') {
      const save = h('a', { class: 'save button', download: this.file.name, href: '#', 'aria-disabled': 'true' }, 'Save')
      buttons.push(save, act('Remove', 'remove', async () => {
        this.dispose()
        await this.model.deleteFile(t.id)
      }))
      void this.model.fileBlob(t.id).then(blob => {
        if (this.current?.id !== t.id || this.current.state !== 'done') return
        this.dispose()
        this.url = URL.createObjectURL(blob)
        save.setAttribute('href', this.url)
        save.removeAttribute('aria-disabled')
      }, (err: Error) => { this.error.textContent = err.message })
    } else {
      this.dispose()
    }
    fill(this.actions, ...buttons)
  }
}
