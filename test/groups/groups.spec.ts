import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { logger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MemoryLevel } from 'memory-level'
import { nodeCryptoProvider } from '../../src/crypto/provider/index.ts'
import { GroupUpdate } from '../../src/messenger/pb/content.ts'
import { Groups } from '../../src/groups/groups.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import type { Db } from '../../src/storage/tables.ts'
import type { GroupState } from '../../src/groups/group-log.ts'
import type { PeerId } from '@libp2p/interface'

/** A member: its groups over a store of its own */
interface Member {
  name: string
  peer: PeerId
  id: string
  groups: Groups
  store: LevelStore
}

/**
 * Members whose updates travel through a post office the test controls, as the outbox would
 * carry them over pairwise sessions: held until `deliver`, in the order sent per recipient
 */
class PostOffice {
  readonly held: Array<{ from: string, to: string, update: Uint8Array }> = []
  readonly members = new Map<string, Member>()

  async member (name: string): Promise<Member> {
    const identity = await generateKeyPair('Ed25519')
    const peer = peerIdFromPrivateKey(identity)
    const store = new LevelStore(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db)
    await store.open()
    const id = peer.toString()
    const groups = new Groups({
      store: store.groups,
      identity,
      self: peer,
      provider: nodeCryptoProvider(),
      send: async (to, update) => { this.held.push({ from: id, to, update: GroupUpdate.encode(update) }) },
      log: logger(`parley:test:groups:${name}`)
    })
    const member = { name, peer, id, groups, store }
    this.members.set(id, member)
    return member
  }

  /** Hands over what is held (and what that causes), optionally only what `only` allows, until nothing is left */
  async deliver (only: (m: { from: string, to: string }) => boolean = () => true): Promise<void> {
    for (let i = 0; i < this.held.length;) {
      const item = this.held[i]
      if (!only(item)) { i++; continue }
      this.held.splice(i, 1)
      await this.members.get(item.to)!.groups.receive(item.from, GroupUpdate.decode(item.update), { known: true, also: [] })
      i = 0
    }
  }

  async close (): Promise<void> {
    for (const m of this.members.values()) await m.store.close()
  }
}

const view = (s: GroupState): Pick<GroupState, 'name' | 'members' | 'admins' | 'heads'> => ({ name: s.name, members: s.members, admins: s.admins, heads: s.heads })

describe('groups between members', () => {
  let post: PostOffice
  let alice: Member
  let bob: Member
  let carol: Member
  let dave: Member

  beforeEach(async () => {
    post = new PostOffice()
    alice = await post.member('alice')
    bob = await post.member('bob')
    carol = await post.member('carol')
    dave = await post.member('dave')
  })

  afterEach(async () => { await post.close() })

  it('a new member gets the group, its history and the current secret; every member holds the same state', async () => {
    const group = await alice.groups.create('Ramblers')
    await alice.groups.add('Ramblers', [bob.peer, carol.peer])
    await post.deliver()
    for (const m of [bob, carol]) {
      assert.deepEqual(view(await m.groups.get(group.id)), view(await alice.groups.get(group.id)), m.name)
    }
    assert.deepEqual((await bob.groups.get('Ramblers')).members, [alice.id, bob.id, carol.id].sort())
  })

  it('a removed member keeps the old epoch\'s secret only; those who stay share the new one', async () => {
    const group = await alice.groups.create('Ramblers')
    await alice.groups.add(group.id, [bob.peer, carol.peer])
    await post.deliver()
    await alice.groups.remove(group.id, carol.peer)
    await post.deliver()
    const secrets = async (m: Member): Promise<string | undefined> => {
      const record = await (m.groups as any).find(group.id, {})
      const current = record.currentSecret()
      return current == null ? undefined : Buffer.from(current.secret).toString('hex')
    }
    assert.equal(await secrets(bob), await secrets(alice))
    assert.notEqual(await secrets(carol), await secrets(alice), 'the removed member has no secret of the new epoch')
    assert.ok(!(await carol.groups.get(group.id)).members.includes(carol.id), 'it knows it was removed')
    await assert.rejects(carol.groups.rename(group.id, 'Mine'), { name: 'NotGroupMemberError' })
  })

  it('two admins changing the group at once end with the same state everywhere, and a member added meanwhile gets both changes', async () => {
    const group = await alice.groups.create('Ramblers')
    await alice.groups.add(group.id, [bob.peer, carol.peer])
    await alice.groups.promote(group.id, [bob.peer])
    await post.deliver()
    // at the same moment: Alice renames, Bob adds Dave; neither has seen the other's change
    await alice.groups.rename(group.id, 'Fell walkers')
    await bob.groups.add(group.id, [dave.peer])
    await post.deliver()
    const states = await Promise.all([alice, bob, carol, dave].map(async m => view(await m.groups.get(group.id))))
    for (const state of states) assert.deepEqual(state, states[0])
    assert.equal(states[0].name, 'Fell walkers')
    assert.ok(states[0].members.includes(dave.id))
  })

  it('after a leave each admin chooses a secret, and every member ends on the same one', async () => {
    const group = await alice.groups.create('Ramblers')
    await alice.groups.add(group.id, [bob.peer, carol.peer, dave.peer])
    await alice.groups.promote(group.id, [bob.peer])
    await post.deliver()
    await dave.groups.leave(group.id)
    await post.deliver()
    const current = async (m: Member): Promise<string> => Buffer.from((await (m.groups as any).find(group.id, {})).currentSecret().secret).toString('hex')
    const [a, b, c] = await Promise.all([alice, bob, carol].map(current))
    assert.equal(a, b)
    assert.equal(b, c)
    const record = await (alice.groups as any).find(group.id, {})
    assert.equal(record.secretsOf(record.currentEpoch()).length, 2, 'one from each admin')
    assert.equal((await (dave.groups as any).find(group.id, {})).secretsOf(record.currentEpoch()).length, 0, 'none for the one who left')
  })

  it('keeps a group a stranger sends only if it makes this node a member, and refuses a non-admin\'s change', async () => {
    const group = await alice.groups.create('Ramblers')
    await alice.groups.add(group.id, [bob.peer])
    await post.deliver()
    // Bob, not an admin, tries to add Dave: refused where he makes it
    await assert.rejects(bob.groups.add(group.id, [dave.peer]), { name: 'GroupChangeRefusedError' })
    // Alice's group handed to Carol, who is no member of it: not kept
    const history = (await (alice.groups as any).find(group.id, {})).log.history().map((c: any) => c.bytes)
    await carol.groups.receive(alice.id, { group: Buffer.from(group.id, 'hex'), changes: history, secrets: [] }, { known: true, also: [] })
    assert.deepEqual(await carol.groups.list(), [])
    // garbage changes and a malformed group id change nothing
    await bob.groups.receive(alice.id, { group: Buffer.from(group.id, 'hex'), changes: [new Uint8Array([1, 2, 3])], secrets: [] }, { known: true, also: [] })
    await bob.groups.receive(alice.id, { group: new Uint8Array(3), changes: [], secrets: [] }, { known: true, also: [] })
    assert.deepEqual(view(await bob.groups.get(group.id)), view(await alice.groups.get(group.id)))
  })

  it('finds a group by id or unique name, and says so when a name is ambiguous or unknown', async () => {
    const one = await alice.groups.create('Ramblers')
    await alice.groups.create('Ramblers')
    await assert.rejects(alice.groups.get('Ramblers'), { name: 'AmbiguousGroupNameError' })
    await assert.rejects(alice.groups.get('Nobody'), { name: 'UnknownGroupError' })
    assert.equal((await alice.groups.get(one.id)).id, one.id)
  })
})
