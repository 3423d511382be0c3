/** Waiting for node states without polling loops; each wait names what it waited for on timeout */

/** Resolves once `check()` holds, re-checking whenever one of `events` fires on `target` */
export async function until (target: EventTarget, events: string[], check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  if (await check()) return
  await new Promise<void>((resolve, reject) => {
    let settled = false
    const finish = (err?: Error): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      for (const type of events) target.removeEventListener(type, listener)
      if (err == null) resolve()
      else reject(err)
    }
    const listener = (): void => {
      Promise.resolve(check()).then(ok => { if (ok) finish() }, finish)
    }
    const timer = setTimeout(() => { finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)) }, timeoutMs)
    for (const type of events) target.addEventListener(type, listener)
  })
}

/** Resolves at the next `type` event on `target`; call it before the event can fire */
export async function nextEvent (target: EventTarget, type: string, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener)
      reject(new Error(`timed out after ${timeoutMs} ms waiting for a "${type}" event`))
    }, timeoutMs)
    const listener = (): void => {
      clearTimeout(timer)
      target.removeEventListener(type, listener)
      resolve()
    }
    target.addEventListener(type, listener)
  })
}
