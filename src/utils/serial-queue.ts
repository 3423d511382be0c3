/**
 * Runs async operations one at a time, in the order they were asked for; one that fails does not
 * stop the next. A read-check-write sequence run here is atomic against every other one run
 * here (a quota check and the write it allows, a counter and the change it counts).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  async run<T> (fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn)
    this.tail = result.catch(() => {})
    return result
  }

  /** Resolves once everything queued so far has run */
  async idle (): Promise<void> {
    await this.tail
  }
}
