export { ERROR_KINDS, ParleyError, errorInfo, errorKind, httpStatusFor, isErrorKind, isParleyError, knownErrorKind } from './parley-error.ts'
export type { ErrorInfo, ErrorKind } from './parley-error.ts'
