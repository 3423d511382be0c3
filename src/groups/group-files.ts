import type { GroupMessaging } from './group-messaging.ts'
import type { Groups } from './groups.ts'
import type { GroupFileSharing } from '../files/transfers.ts'

/**
 * What file transfers need of groups: a file offered to a group is a group message, and its
 * author serves it to whoever is a member at the time it is asked for (a member removed, or
 * an author who left, ends that)
 */
export function groupFileSharing (groups: Groups, messaging: GroupMessaging, self: string): GroupFileSharing {
  return {
    groupId: async (idOrName, options) => (await groups.record(idOrName, options)).id,
    isMember: async (group, peer, options) => {
      const members = (await groups.get(group, options).catch(() => undefined))?.members ?? []
      return members.includes(peer) && members.includes(self)
    },
    offer: async (group, file, options) => (await messaging.sendFile(group, file, options)).message,
    events: messaging
  }
}
