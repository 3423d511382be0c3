import { waitForEvent } from './events.ts'
import type { GroupState } from '../../src/groups/group-log.ts'
import type { Parley } from '../../src/parley.ts'

/** Resolves once `node` holds `group` in a state `check` accepts (now, or after a `group` event) */
export async function holds (node: Parley, group: string, check: (state: GroupState) => boolean, what: string): Promise<GroupState> {
  const event = waitForEvent<GroupState>(node.groups, 'group', s => s.id === group && check(s), 30_000)
  const now = await node.groups.get(group).catch(() => undefined)
  if (now != null && check(now)) {
    event.catch(() => {})
    return now
  }
  return event.catch(err => { throw new Error(`${what}: ${err.message}`) })
}
