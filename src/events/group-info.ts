import type { GroupState } from '../groups/group-log.ts'

/** A group as the interfaces show it (the control API, its events) */
export interface GroupInfo {
  id: string
  name: string
  /** PeerIds */
  members: string[]
  /** PeerIds, all members */
  admins: string[]
  /** Disappearing-message timer, seconds (0: off) */
  timer: number
}

export function groupInfo ({ id, name, members, admins, timer }: GroupState): GroupInfo {
  return { id, name, members, admins, timer }
}

