/**
 * Input checks shared by both providers, in the style of noble's `abytes`/`anumber`: each names the
 * field it checks; a value of the wrong type is a `TypeError`, a value out of range (wrong length,
 * negative count) is a `RangeError`.
 */

/** Uint8Array, including Buffer and Uint8Arrays from another realm (vm, worker) */
export function isBytes (value: unknown): value is Uint8Array {
  return value instanceof Uint8Array ||
    (ArrayBuffer.isView(value) && value.constructor?.name === 'Uint8Array')
}

function describe (value: unknown): string {
  if (value === null) {
    return 'null'
  }
  if (typeof value === 'object') {
    return value.constructor?.name ?? 'object'
  }
  return typeof value
}

/**
 * Asserts `value` is a Uint8Array, of one of `lengths` when given.
 *
 * @throws TypeError when it is not a Uint8Array
 * @throws RangeError when its length is not one of `lengths`
 */
export function assertBytes (value: unknown, field: string, ...lengths: number[]): asserts value is Uint8Array {
  if (!isBytes(value)) {
    throw new TypeError(`"${field}" must be a Uint8Array, got ${describe(value)}`)
  }
  if (lengths.length > 0 && !lengths.includes(value.length)) {
    throw new RangeError(`"${field}" must be ${lengths.join(' or ')} bytes, got ${value.length}`)
  }
}

/**
 * Asserts `value` is a Uint8Array of `min` to `max` bytes.
 *
 * @throws TypeError when it is not a Uint8Array
 * @throws RangeError when its length is outside the range
 */
export function assertBytesLength (value: unknown, field: string, min: number, max = Infinity): asserts value is Uint8Array {
  assertBytes(value, field)
  if (value.length < min || value.length > max) {
    const range = max === Infinity ? `at least ${min}` : `${min} to ${max}`
    throw new RangeError(`"${field}" must be ${range} bytes, got ${value.length}`)
  }
}

/**
 * Asserts `value` is an array of Uint8Arrays (each named `field[i]` in errors).
 *
 * @throws TypeError when it is not an array, or an element is not a Uint8Array
 */
export function assertBytesArray (value: unknown, field: string): asserts value is readonly Uint8Array[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`"${field}" must be an array of Uint8Arrays, got ${describe(value)}`)
  }
  for (let i = 0; i < value.length; i++) {
    assertBytes(value[i], `${field}[${i}]`)
  }
}

/** Like `assertBytes`, but `undefined` is allowed (an omitted optional argument) */
export function assertOptionalBytes (value: unknown, field: string): asserts value is Uint8Array | undefined {
  if (value !== undefined) {
    assertBytes(value, field)
  }
}

/**
 * Asserts `value` is an integer from `min` to `max`.
 *
 * @throws TypeError when it is not a number
 * @throws RangeError when it is not an integer, or outside the range
 */
export function assertInteger (value: unknown, field: string, min: number, max: number): asserts value is number {
  if (typeof value !== 'number') {
    throw new TypeError(`"${field}" must be a number, got ${describe(value)}`)
  }
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`"${field}" must be an integer from ${min} to ${max}, got ${value}`)
  }
}

/** True when every byte is zero. Runs over the whole array whatever it holds. */
export function isAllZero (bytes: Uint8Array): boolean {
  let acc = 0
  for (const byte of bytes) {
    acc |= byte
  }
  return acc === 0
}
