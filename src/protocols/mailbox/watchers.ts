import { toString as toHex } from 'uint8arrays/to-string'
import { TooManyWatchesError } from './errors.ts'

export interface WatcherLimits {
  /** Watches in all */
  max: number
  /** Watches naming one key */
  perKey: number
  /** Watches from one source (a network, `SourceTags`) */
  perSource: number
}

interface Watch {
  keys: string[]
  source: string
  poke: () => void
}

/**
 * The watches a storer holds: for each mailbox key, whom to tell when something is stored under
 * it. A watch is an open stream of a recipient that proved it owns the keys; the registry only
 * counts them against their limits and calls each one's `poke`.
 */
export class Watchers {
  private readonly byKey = new Map<string, Set<Watch>>()
  private readonly bySource = new Map<string, number>()
  private size = 0

  constructor (private readonly limits: WatcherLimits) {}

  /** How many watches are held */
  get count (): number {
    return this.size
  }

  /**
   * Holds a watch on `keys` from `source`, `poke` called after each deposit under one of them.
   * Returns the function that ends it (once).
   *
   * @throws TooManyWatchesError past a limit
   */
  add (keys: Uint8Array[], source: string, poke: () => void): () => void {
    const watch: Watch = { keys: [...new Set(keys.map(k => toHex(k, 'base16')))], source, poke }
    if (this.size >= this.limits.max) throw new TooManyWatchesError()
    if ((this.bySource.get(source) ?? 0) >= this.limits.perSource) throw new TooManyWatchesError('This storer keeps no more watches from this network')
    if (watch.keys.some(k => (this.byKey.get(k)?.size ?? 0) >= this.limits.perKey)) throw new TooManyWatchesError('This mailbox is watched too many times')
    for (const key of watch.keys) {
      const set = this.byKey.get(key) ?? new Set()
      set.add(watch)
      this.byKey.set(key, set)
    }
    this.bySource.set(source, (this.bySource.get(source) ?? 0) + 1)
    this.size++
    let ended = false
    return () => {
      if (ended) return
      ended = true
      this.remove(watch)
    }
  }

  /** Something was stored under `key`: its watches are told */
  stored (key: Uint8Array): void {
    const watches = this.byKey.get(toHex(key, 'base16'))
    if (watches == null) return
    for (const watch of watches) watch.poke()
  }

  private remove (watch: Watch): void {
    for (const key of watch.keys) {
      const set = this.byKey.get(key)
      set?.delete(watch)
      if (set?.size === 0) this.byKey.delete(key)
    }
    const left = (this.bySource.get(watch.source) ?? 1) - 1
    if (left === 0) this.bySource.delete(watch.source)
    else this.bySource.set(watch.source, left)
    this.size--
  }
}
