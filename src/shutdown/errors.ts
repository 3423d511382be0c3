import { ParleyError } from '../errors/index.ts'

/** One step of a stop that did not finish cleanly */
export interface StepFailure {
  step: string
  /** `StepTimeoutError` when it overran its budget, else what it threw */
  error: Error
}

/**
 * Thrown (as a `StepFailure`'s error) when a stop step is still running at the end of its
 * budget. The step is abandoned, not cancelled: it may still finish later.
 */
export class StepTimeoutError extends ParleyError {
  static override name = 'StepTimeoutError'
  override name = 'StepTimeoutError'
  override readonly kind = 'transient'
  override readonly code = 'STEP_TIMEOUT'

  constructor (message = 'A stop step overran its budget', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * Thrown by a stop after all of its steps have had their turn when one or more of them overran
 * or failed; `failures` says which and why. The daemon exits with code 1 on it.
 */
export class ShutdownError extends ParleyError {
  static override name = 'ShutdownError'
  override name = 'ShutdownError'
  override readonly kind = 'transient'
  override readonly code = 'SHUTDOWN'
  readonly failures: StepFailure[]

  constructor (failures: StepFailure[], message = `stop did not finish cleanly: ${failures.map(f => `${f.step}: ${f.error.message}`).join('; ')}`) {
    super(message)
    this.failures = failures
  }
}
