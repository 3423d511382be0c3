import type { MessageRecord } from '../../src/storage/types.ts'

/**
 * Resolves with the detail of the first event of `type` that satisfies `predicate` (by default
 * a messenger event's message record). Rejects after `timeoutMs`
 * with a message naming what was awaited, so a hung test says why.
 */
export async function waitForEvent<T = MessageRecord> (
  target: EventTarget,
  type: string,
  predicate: (detail: T) => boolean = () => true,
  timeoutMs = 20_000
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener)
      reject(new Error(`timed out after ${timeoutMs} ms waiting for a "${type}" event`))
    }, timeoutMs)
    const listener = (evt: Event): void => {
      const detail = (evt as CustomEvent<T>).detail
      if (predicate(detail)) {
        clearTimeout(timer)
        target.removeEventListener(type, listener)
        resolve(detail)
      }
    }
    target.addEventListener(type, listener)
  })
}

/**
 * Resolves once `check()` is true, re-checking whenever one of `events` fires on `target`.
 * For states (a connection, a reservation) that may already hold or come about later.
 */
export async function until (
  target: EventTarget,
  events: string[],
  check: () => boolean,
  timeoutMs = 20_000,
  what = 'a condition'
): Promise<void> {
  if (check()) return
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { done(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)) }, timeoutMs)
    const listener = (): void => {
      if (check()) { done(); resolve() }
    }
    const done = (): void => {
      clearTimeout(timer)
      for (const e of events) target.removeEventListener(e, listener)
    }
    for (const e of events) target.addEventListener(e, listener)
  })
}

/**
 * Like `until`, for a check that reads storage: runs it at once and again after each of
 * `events` (never two at a time; an event during a check runs it once more afterwards).
 */
export async function untilAsync (
  target: EventTarget,
  events: string[],
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
  what = 'a condition'
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let running = false
    let again = false
    let finished = false
    const timer = setTimeout(() => { done(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)) }, timeoutMs)
    const run = (): void => {
      if (finished) return
      if (running) { again = true; return }
      running = true
      check().then(ok => {
        running = false
        if (ok) { done(); resolve() } else if (again) { again = false; run() }
      }, err => { done(); reject(err) })
    }
    const done = (): void => {
      finished = true
      clearTimeout(timer)
      for (const e of events) target.removeEventListener(e, run)
    }
    for (const e of events) target.addEventListener(e, run)
    run()
  })
}
