import assert from 'node:assert/strict'
import { TempDirs } from '../helpers/temp-dir.ts'
import { waitForEvent } from '../helpers/events.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import type { GroupState } from '../../src/groups/group-log.ts'
import type { MessageRecord } from '../../src/storage/types.ts'
import type { Parley } from '../../src/parley.ts'

/** Resolves once `node` holds `group` in a state `check` accepts (now, or after a `group` event) */
async function holds (node: Parley, group: string, check: (state: GroupState) => boolean, what: string): Promise<GroupState> {
  const event = waitForEvent<GroupState>(node.groups, 'group', s => s.id === group && check(s), 30_000)
  const now = await node.groups.get(group).catch(() => undefined)
  if (now != null && check(now)) {
    event.catch(() => {})
    return now
  }
  return event.catch(err => { throw new Error(`${what}: ${err.message}`) })
}

const same = (a: GroupState, b: GroupState): boolean => a.name === b.name && a.members.join() === b.members.join() && a.admins.join() === b.admins.join() && a.heads.join() === b.heads.join()

describe('groups between real nodes', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const net = new TestNetwork()

  before(async () => {
    // the relay holds mail: a member offline gets the changes made meanwhile when it returns
    await net.startRelay(await dirs.make(), true)
  })

  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  it('members added get the group; a member offline through a removal and a rename catches up; all hold the same state', async () => {
    const alice = await net.start(await dirs.make())
    const bob = await net.start(await dirs.make())
    const carolDir = await dirs.make()
    let carol = await net.start(carolDir)
    const dave = await net.start(await dirs.make())
    const ids = [alice, bob, carol, dave].map(n => n.peerId.toString())

    const group = await alice.groups.create('Orienteers')
    await alice.groups.add(group.id, [bob.peerId, carol.peerId, dave.peerId])
    for (const member of [bob, carol, dave]) {
      await holds(member, group.id, s => s.members.length === 4, 'a member to get the group')
    }
    assert.deepEqual((await bob.groups.get('Orienteers')).members, [...ids].sort())

    // Carol goes offline; Dave is removed and the group renamed meanwhile
    await net.stop(carol)
    await alice.groups.remove(group.id, dave.peerId)
    await alice.groups.rename(group.id, 'Night orienteers')
    await holds(dave, group.id, s => !s.members.includes(ids[3]), 'the removed member to learn of it')
    await holds(bob, group.id, s => s.name === 'Night orienteers', 'Bob to see the rename')

    carol = await net.start(carolDir)
    const caught = await holds(carol, group.id, s => s.name === 'Night orienteers' && !s.members.includes(ids[3]), 'Carol to catch up from her mailbox')
    const reference = await alice.groups.get(group.id)
    assert.ok(same(caught, reference))
    assert.ok(same(await bob.groups.get(group.id), reference))
  })

  it('two admins changing the group at the same moment converge on every member', async () => {
    const alice = await net.start(await dirs.make())
    const bob = await net.start(await dirs.make())
    const carol = await net.start(await dirs.make())
    const erin = await net.start(await dirs.make())
    const group = await alice.groups.create('Cavers')
    await alice.groups.add(group.id, [bob.peerId, carol.peerId])
    await alice.groups.promote(group.id, [bob.peerId])
    await holds(bob, group.id, s => s.admins.length === 2, 'Bob to be an admin')
    await holds(carol, group.id, s => s.admins.length === 2, 'Carol to see it')

    await Promise.all([alice.groups.rename(group.id, 'Potholers'), bob.groups.add(group.id, [erin.peerId])])
    const settled = (s: GroupState): boolean => s.name === 'Potholers' && s.members.includes(erin.peerId.toString())
    const states = await Promise.all([alice, bob, carol, erin].map(async n => holds(n, group.id, settled, 'both changes to arrive')))
    for (const state of states) assert.ok(same(state, states[0]), JSON.stringify(states))
  })

  it('members online exchange texts over the group\'s gossip; a member that lost a sender key recovers by itself', async () => {
    const alice = await net.start(await dirs.make())
    const bob = await net.start(await dirs.make())
    const carol = await net.start(await dirs.make())
    const group = await alice.groups.create('Kayakers')
    await alice.groups.add(group.id, [bob.peerId, carol.peerId])
    for (const member of [bob, carol]) await holds(member, group.id, s => s.members.length === 3, 'a member to get the group')

    const texts = async (node: Parley): Promise<Array<[string, string]>> =>
      (await node.messenger.history()).filter(m => m.conversation === group.id).map(m => [m.direction === 'out' ? 'me' : m.peer, m.text])
    // listening first: the message may be stored while the history is read
    const arrives = async (node: Parley, text: string): Promise<void> => {
      const event = waitForEvent<MessageRecord>(node.groupMessaging, 'message', m => m.text === text, 30_000)
      if ((await texts(node)).some(([, t]) => t === text)) {
        event.catch(() => {})
        return
      }
      await event.catch(err => { throw new Error(`${text}: ${err.message}`) })
    }

    const first = alice.groupMessaging.send(group.id, 'launch at nine')
    await Promise.all([arrives(bob, 'launch at nine'), arrives(carol, 'launch at nine')])
    assert.equal((await first).message.conversation, group.id)
    await bob.groupMessaging.send(group.id, 'bringing the spare paddle')
    await Promise.all([arrives(alice, 'bringing the spare paddle'), arrives(carol, 'bringing the spare paddle')])
    assert.deepEqual(await texts(carol), [[alice.peerId.toString(), 'launch at nine'], [bob.peerId.toString(), 'bringing the spare paddle']])

    // Carol's store loses Alice's key: her next message is read once Carol has asked for it again
    await (carol.groupMessaging as any).senderKeys.forget(group.id, alice.peerId.toString())
    await alice.groupMessaging.send(group.id, 'tide turns at noon')
    await arrives(carol, 'tide turns at noon')
    assert.deepEqual((await texts(carol)).map(([, t]) => t), ['launch at nine', 'bringing the spare paddle', 'tide turns at noon'])
  })
})
