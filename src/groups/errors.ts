import { ParleyError } from '../errors/index.ts'

/** Thrown when a group change does not decode, is not signed by its author, or is malformed */
export class InvalidGroupChangeError extends ParleyError {
  static override name = 'InvalidGroupChangeError'
  override name = 'InvalidGroupChangeError'
  override readonly kind = 'permanent'
  override readonly code = 'INVALID_GROUP_CHANGE'

  constructor (message = 'Invalid group change') {
    super(message)
  }
}

/** Thrown when a group change is not allowed in the state it changes (not an admin, not a member, too many members) */
export class GroupChangeRefusedError extends ParleyError {
  static override name = 'GroupChangeRefusedError'
  override name = 'GroupChangeRefusedError'
  override readonly kind = 'refused'
  override readonly code = 'GROUP_CHANGE_REFUSED'

  constructor (message = 'The group change is not allowed') {
    super(message)
  }
}
