/**
 * One run of `task` per key at a time. A call while a key's run is under way does not start a
 * second one: it makes the running one go round again when it ends (so work added meanwhile is
 * not left behind) and shares its result. Rounds stop once no call asked for another, or when
 * `active()` turns false (the owner is stopping).
 */
export class CoalescingRuns<K, T> {
  private readonly runs = new Map<K, { run: Promise<T | undefined>, again: boolean }>()

  constructor (private readonly task: (key: K) => Promise<T>, private readonly active: () => boolean) {}

  /** Resolves with the last round's result, or undefined if no round ran (not active) */
  async run (key: K): Promise<T | undefined> {
    const current = this.runs.get(key)
    if (current != null) {
      current.again = true
      return current.run
    }
    const entry: { run: Promise<T | undefined>, again: boolean } = { run: Promise.resolve(undefined), again: true }
    entry.run = (async () => {
      let last: T | undefined
      try {
        while (entry.again && this.active()) {
          entry.again = false
          last = await this.task(key)
        }
        return last
      } finally {
        this.runs.delete(key)
      }
    })()
    this.runs.set(key, entry)
    return entry.run
  }

  /** Every run under way (to wait for at stop) */
  underWay (): Array<Promise<unknown>> {
    return [...this.runs.values()].map(entry => entry.run)
  }
}
