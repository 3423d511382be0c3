import { GROUP_ID_BYTES } from './constants.ts'

const GROUP_ID = new RegExp(`^[0-9a-f]{${GROUP_ID_BYTES * 2}}$`)

/**
 * Whether a conversation id is a group's (its id, lowercase hex) rather than a direct
 * conversation's (the peer's PeerId, base58, never all hex of this length)
 */
export function isGroupId (id: string): boolean {
  return GROUP_ID.test(id)
}
