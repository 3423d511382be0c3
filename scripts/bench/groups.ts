/** A group message to every member, against a 1:1 message in the same run (issue 17) */
import { MEMBER_BURST } from '../../src/groups/constants.ts'
import { progress } from './log.ts'
import { identified, startParley, startRelay, timeLoop } from './parley.ts'
import { sleep } from './stats.ts'
import { withTempDirs } from './temp-dirs.ts'
import { until } from './wait.ts'
import type { BenchConfig, Figures } from './config.ts'
import type { GroupState } from '../../src/groups/group-log.ts'
import type { Parley } from '../../src/parley.ts'
import type { MessageRecord } from '../../src/storage/types.ts'

/** Members of the benched group, the sender included */
export const GROUP_BENCH_MEMBERS = 10

/**
 * `group_send_all_*`: a text sent to a group of GROUP_BENCH_MEMBERS (one encryption, one
 * publish) until every other member has stored it, on loopback, all nodes in this process. The
 * members bootstrap from one relay, as users do; the group's gossip mesh forms over their own
 * connections. Sends stay within a member's burst (MEMBER_BURST), past which members ignore it.
 */
export async function groupSend (config: BenchConfig): Promise<Figures> {
  const iterations = Math.min(config.quick ? 10 : 50, MEMBER_BURST - 10)
  const warmup = 5
  return withTempDirs(async dirs => {
    const nodes: Parley[] = []
    try {
      const relay = await startRelay(dirs)
      nodes.push(relay)
      const members: Parley[] = []
      for (let i = 0; i < GROUP_BENCH_MEMBERS; i++) {
        const member = await startParley(dirs, { bootstrap: relay.addresses(), mailboxHost: false })
        nodes.push(member)
        members.push(member)
        await identified(relay, member.peerId)
      }
      const [sender, ...others] = members
      const group = await sender.groups.create('bench')
      await sender.groups.add(group.id, others.map(m => m.peerId))
      await Promise.all(others.map(async m => until(m.groups, ['group'], async () => (await m.groups.get(group.id).catch(() => undefined) as GroupState | undefined)?.members.length === GROUP_BENCH_MEMBERS, 60_000, 'a member to hold the group')))
      // the members' subscriptions and the mesh: a heartbeat or two
      await sleep(2_000)
      let missed = 0
      let count = 0
      const once = async (): Promise<void> => {
        // told apart by its text: a member may store it before the send resolves
        const text = `${count++} `.padEnd(config.messageBytes, 'x')
        const waiting = new Set(others)
        const all = new Promise<void>((resolve, reject) => {
          const listeners = new Map<Parley, (evt: Event) => void>()
          const timer = setTimeout(() => {
            missed += waiting.size
            for (const [m, l] of listeners) m.groupMessaging.removeEventListener('message', l)
            reject(new Error(`${waiting.size} members did not get a group message within 30 s`))
          }, 30_000)
          for (const m of others) {
            const listener = (evt: Event): void => {
              if ((evt as CustomEvent<MessageRecord>).detail.text !== text) return
              waiting.delete(m)
              m.groupMessaging.removeEventListener('message', listener)
              if (waiting.size === 0) {
                clearTimeout(timer)
                resolve()
              }
            }
            listeners.set(m, listener)
            m.groupMessaging.addEventListener('message', listener)
          }
        })
        await sender.groupMessaging.send(group.id, text)
        await all
      }
      const { p50, p99, totalMs } = await timeLoop(warmup, iterations, once)
      progress(`  ${iterations} group messages to ${others.length} members in ${Math.round(totalMs)} ms`)
      return { group_send_all_us: p50, group_send_all_p99_us: p99, group_members: GROUP_BENCH_MEMBERS, group_send_missed: missed }
    } finally {
      await Promise.all(nodes.map(async n => n.stop()))
    }
  })
}
