import { MAX_PAGE_BYTES, PAGE_ITEM_FRAMING_BYTES } from './constants.ts'
import type { ItemPosition, MailboxItem, MailboxStore } from './store.ts'
import type { AbortOptions } from '@libp2p/interface'

/**
 * The pages of one fetch: the keys' items in turn, in storage order, each page going on from
 * where the last stopped. Every item is read from the store once, however many pages there
 * are: the one that did not fit a page is kept for the next. (Reading each key anew for every
 * page made a fetch read 30 to 250 times what the storer held.) With `since`, each key's items
 * start at the first stored at or after that time.
 */
export class FetchPages {
  private readonly store: MailboxStore
  private readonly keys: Uint8Array[]
  private index = 0
  private after?: ItemPosition
  private pending?: MailboxItem

  constructor (store: MailboxStore, keys: Uint8Array[], private readonly since?: number) {
    this.store = store
    this.keys = keys
  }

  /**
   * The next page: items up to `MAX_PAGE_BYTES`, counting their framing (one item at least,
   * whatever its size). Empty once every key is read.
   */
  async next (options: AbortOptions = {}): Promise<MailboxItem[]> {
    const page: MailboxItem[] = []
    let bytes = 0
    const fits = (item: MailboxItem): boolean => {
      const size = item.envelope.byteLength + (item.stamp?.byteLength ?? 0) + PAGE_ITEM_FRAMING_BYTES
      if (page.length > 0 && bytes + size > MAX_PAGE_BYTES) return false
      bytes += size
      page.push(item)
      return true
    }
    if (this.pending != null) fits(this.pending)
    this.pending = undefined
    for (; this.index < this.keys.length; this.index++, this.after = undefined) {
      const from = this.after != null ? { after: this.after } : this.since != null ? { since: this.since } : {}
      for await (const item of this.store.entries(this.keys[this.index], { ...options, ...from })) {
        this.after = item
        if (!fits(item)) {
          this.pending = item
          return page
        }
      }
    }
    return page
  }
}
