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

/** Thrown when no group has the id or name given */
export class UnknownGroupError extends ParleyError {
  static override name = 'UnknownGroupError'
  override name = 'UnknownGroupError'
  override readonly kind = 'not-found'
  override readonly code = 'UNKNOWN_GROUP'

  constructor (message = 'No such group') {
    super(message)
  }
}

/** Thrown when a name given for a group is the name of more than one: its id tells them apart */
export class AmbiguousGroupNameError extends ParleyError {
  static override name = 'AmbiguousGroupNameError'
  override name = 'AmbiguousGroupNameError'
  override readonly kind = 'bad-input'
  override readonly code = 'AMBIGUOUS_GROUP_NAME'

  constructor (message = 'More than one group has this name: give its id') {
    super(message)
  }
}

/** Thrown when this node acts in a group it is no longer a member of */
export class NotGroupMemberError extends ParleyError {
  static override name = 'NotGroupMemberError'
  override name = 'NotGroupMemberError'
  override readonly kind = 'refused'
  override readonly code = 'NOT_GROUP_MEMBER'

  constructor (message = 'This node is not a member of the group') {
    super(message)
  }
}

/** Thrown when a group name given is empty or too long */
export class InvalidGroupNameError extends ParleyError {
  static override name = 'InvalidGroupNameError'
  override name = 'InvalidGroupNameError'
  override readonly kind = 'bad-input'
  override readonly code = 'INVALID_GROUP_NAME'

  constructor (message = 'A group name is 1 to 64 characters') {
    super(message)
  }
}
