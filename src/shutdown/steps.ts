import { ShutdownError, StepTimeoutError } from './errors.ts'
import type { StepFailure } from './errors.ts'
import type { Logger } from '@libp2p/interface'

export interface StopStep {
  /** Named in the log and in `ShutdownError` */
  name: string
  /** How long it may run before it is abandoned and the next step starts */
  budgetMs: number
  run(): unknown
}

/**
 * Runs `steps` one after another, each for at most its budget. A step that throws or overruns
 * does not keep the later ones from running (a hung libp2p stop must not leave the databases
 * open, nor node-datachannel's threads running at exit); once all have had their turn, that
 * throws a `ShutdownError` naming them. A nested `ShutdownError` is flattened into it.
 */
export async function stopInSteps (steps: StopStep[], log: Logger): Promise<void> {
  const failures: StepFailure[] = []
  for (const step of steps) {
    const started = Date.now()
    const outcome = await withinBudget(step, log)
    if (outcome == null) {
      log('%s stopped in %d ms', step.name, Date.now() - started)
    } else if (outcome instanceof ShutdownError) {
      failures.push(...outcome.failures)
    } else {
      log.error('%s did not stop cleanly after %d ms - %e', step.name, Date.now() - started, outcome)
      failures.push({ step: step.name, error: outcome })
    }
  }
  if (failures.length > 0) throw new ShutdownError(failures)
}

/** What went wrong with `step`, or undefined when it finished within its budget */
async function withinBudget (step: StopStep, log: Logger): Promise<Error | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  let abandoned = false
  const running = (async () => { await step.run() })()
  // an abandoned step may still settle; say so, and never leave its rejection unhandled
  running.then(
    () => { if (abandoned) log('%s finished after its budget', step.name) },
    (err) => { if (abandoned) log.error('%s failed after its budget - %e', step.name, err) }
  )
  const overrun = new Promise<Error>(resolve => {
    timer = setTimeout(() => {
      abandoned = true
      resolve(new StepTimeoutError(`still running after its ${step.budgetMs} ms budget`))
    }, step.budgetMs)
  })
  try {
    return await Promise.race([running.then(() => undefined, (err: any) => toError(err)), overrun])
  } finally {
    clearTimeout(timer)
  }
}

function toError (err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}

/**
 * Waits for `work` for at most `ms`: true if it settled (resolved or rejected) in time. For a
 * grace period, where running out of time is expected and not an error.
 */
export async function settledWithin (work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const settled = work.then(() => true, () => true)
  const expired = new Promise<boolean>(resolve => { timer = setTimeout(() => { resolve(false) }, ms) })
  try {
    return await Promise.race([settled, expired])
  } finally {
    clearTimeout(timer)
  }
}
