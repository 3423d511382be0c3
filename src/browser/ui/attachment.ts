import { h } from './dom.ts'
import { FileCard } from './file-card.ts'
import { InlineMedia, inlineType } from './inline-media.ts'
import type { AppModel } from '../model.ts'
import type { TransferInfo } from '../../events/public.ts'
import type { Direction, FileSummary } from '../../storage/types.ts'

/**
 * A file in a message: its card (state, progress, actions) and, for an image, video or audio
 * file of an allowed type, the media itself: a received one once its download is done and
 * verified, a sent one from the file the user picked while this page still holds it.
 */
export class Attachment {
  readonly el: HTMLElement
  private readonly card: FileCard
  private readonly media?: InlineMedia
  /** The download whose bytes the media shows or is fetching */
  private loaded?: string

  constructor (file: FileSummary, private readonly direction: Direction, private readonly model: AppModel, private readonly error: HTMLElement) {
    this.card = new FileCard(file, model, error)
    const media = inlineType(file.type)
    if (media != null) this.media = new InlineMedia(media, file.name)
    this.el = h('div', { class: 'attachment' }, this.media?.el, this.card.el)
  }

  update (t: TransferInfo): void {
    this.card.update(t)
    const shown = this.card.transfer
    if (this.media == null || this.direction !== 'in' || shown == null) return
    const ready = shown.state === 'done' && shown.path !== ''
    if (!ready) {
      // removed from this browser (or not there yet): nothing to show
      if (this.loaded != null) this.media.dispose()
      this.loaded = undefined
      return
    }
    if (this.loaded === shown.path) return
    const path = this.loaded = shown.path
    this.model.fileBlob(shown.id).then(bytes => {
      if (this.loaded === path) this.media?.show(bytes)
    }, (err: Error) => { this.error.textContent = err.message })
  }

  /** Shows the file the user picked and sent from this page */
  showPicked (file: Blob): void {
    if (this.direction === 'out') this.media?.show(file)
  }

  /** Lets go of object URLs (the conversation is closing) */
  dispose (): void {
    this.card.dispose()
    this.media?.dispose()
    this.loaded = undefined
  }
}
