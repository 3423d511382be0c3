import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { GroupChange, signChange, verifyChange } from '../../src/groups/change.ts'
import { MAX_GROUP_MEMBERS, MAX_PENDING_CHANGES } from '../../src/groups/constants.ts'
import { GroupLog } from '../../src/groups/group-log.ts'
import type { VerifiedChange } from '../../src/groups/change.ts'
import type { PrivateKey } from '@libp2p/interface'

const GROUP = new Uint8Array(16).fill(1)
const GROUP_ID = toHex(GROUP, 'base16')

describe('group membership log', () => {
  let alice: PrivateKey
  let bob: PrivateKey
  let carol: PrivateKey
  let dave: PrivateKey
  const id = (key: PrivateKey): string => peerIdFromPrivateKey(key).toString()
  const bytes = (key: PrivateKey): Uint8Array<ArrayBuffer> => peerIdFromPrivateKey(key).toMultihash().bytes
  const change = async (key: PrivateKey, parents: VerifiedChange[], op: Partial<GroupChange>): Promise<VerifiedChange> =>
    signChange(key, { group: GROUP, parents: parents.map(p => fromHex(p.id, 'base16')), timestamp: 1n, ...op })

  before(async () => {
    [alice, bob, carol, dave] = await Promise.all([0, 1, 2, 3].map(async () => generateKeyPair('Ed25519')))
  })

  /** Alice creates the group and adds Bob and Carol; Bob is promoted */
  async function founded (): Promise<{ log: GroupLog, changes: VerifiedChange[] }> {
    const create = await change(alice, [], { create: { name: 'Hikers' } })
    const add = await change(alice, [create], { add: { peers: [bytes(bob), bytes(carol)] } })
    const promote = await change(alice, [add], { promote: { peers: [bytes(bob)] } })
    const log = new GroupLog(GROUP_ID)
    for (const c of [create, add, promote]) assert.equal(log.add(c), 'applied')
    return { log, changes: [create, add, promote] }
  }

  it('builds the state from signed changes: creator first admin, admins add and promote', async () => {
    const { log } = await founded()
    const state = log.state()
    assert.equal(state.name, 'Hikers')
    assert.deepEqual(state.members, [id(alice), id(bob), id(carol)].sort())
    assert.deepEqual(state.admins, [id(alice), id(bob)].sort())
    assert.equal(state.version, 3)
    assert.equal(state.heads.length, 1)
  })

  it('refuses a change by a non-admin, or by someone not a member, in the state it changes', async () => {
    const { log, changes } = await founded()
    const head = changes.at(-1)!
    await assert.rejects(async () => log.add(await change(carol, [head], { add: { peers: [bytes(dave)] } })), { name: 'GroupChangeRefusedError' })
    await assert.rejects(async () => log.add(await change(dave, [head], { rename: { name: 'Mine' } })), { name: 'GroupChangeRefusedError' })
    await assert.rejects(async () => log.add(await change(alice, [head], { promote: { peers: [bytes(dave)] } })), /only members/)
    await assert.rejects(async () => log.add(await change(alice, [head], { timer: { seconds: 7 } })), /not one of the allowed/)
    assert.equal(log.state().version, 3)
    // a member leaves without being an admin
    assert.equal(log.add(await change(carol, [head], { leave: {} })), 'applied')
    assert.ok(!log.state().members.includes(id(carol)))
  })

  it('refuses a forged or malformed change, and a second creation', async () => {
    const { log, changes } = await founded()
    const honest = await change(alice, [changes.at(-1)!], { rename: { name: 'Renamed' } })
    const forged = GroupChange.decode(honest.bytes)
    forged.rename = { name: 'Forged' }
    await assert.rejects(verifyChange(GroupChange.encode(forged)), { name: 'InvalidGroupChangeError' })
    const otherAuthor = GroupChange.encode({ ...GroupChange.decode(honest.bytes), author: bytes(bob) })
    await assert.rejects(verifyChange(otherAuthor), /not signed by its author/)
    await assert.rejects(verifyChange(new Uint8Array([1, 2, 3])), { name: 'InvalidGroupChangeError' })
    const { rename: _rename, ...noOperation } = GroupChange.decode(honest.bytes)
    await assert.rejects(verifyChange(GroupChange.encode(noOperation)), /exactly one operation/)
    await assert.rejects(async () => log.add(await change(alice, [], { create: { name: 'Again' } })), /created already/)
  })

  it('takes a change padded with unknown fields as the same change (its id does not change)', async () => {
    const { log, changes } = await founded()
    const remove = await change(alice, [changes.at(-1)!], { remove: { peers: [bytes(carol)] } })
    assert.equal(log.add(remove), 'applied')
    // an unknown field (number 20, varint 1) appended: not covered by the signature
    const padded = await verifyChange(new Uint8Array([...remove.bytes, 0xa0, 0x01, 0x01]))
    assert.equal(padded.id, remove.id)
    assert.equal(log.add(padded), 'duplicate')
  })

  it('takes a repeat once, and a change before its parents once they come', async () => {
    const { changes } = await founded()
    const rename = await change(bob, [changes[2]], { rename: { name: 'Later' } })
    const log = new GroupLog(GROUP_ID)
    // everything arrives backwards
    assert.equal(log.add(rename), 'pending')
    assert.equal(log.add(changes[2]), 'pending')
    assert.equal(log.add(changes[1]), 'pending')
    assert.equal(log.waiting, 3)
    assert.equal(log.add(changes[0]), 'applied')
    assert.equal(log.waiting, 0)
    assert.equal(log.state().name, 'Later')
    assert.equal(log.add(rename), 'duplicate')
    assert.equal(log.state().version, 4)
  })

  it('converges when two admins change the group at the same moment, whatever each member received first', async () => {
    const { changes } = await founded()
    const head = changes.at(-1)!
    // Alice removes Carol and renames; Bob, not having seen that, adds Dave and renames
    const fromAlice = await change(alice, [head], { remove: { peers: [bytes(carol)] } })
    const aliceRename = await change(alice, [fromAlice], { rename: { name: 'By Alice' } })
    const fromBob = await change(bob, [head], { add: { peers: [bytes(dave)] } })
    const bobRename = await change(bob, [fromBob], { rename: { name: 'By Bob' } })
    const states = []
    for (const arrival of [[fromAlice, aliceRename, fromBob, bobRename], [fromBob, bobRename, fromAlice, aliceRename], [bobRename, aliceRename, fromBob, fromAlice]]) {
      const log = new GroupLog(GROUP_ID)
      for (const c of [...changes, ...arrival]) log.add(c)
      states.push(log.state())
    }
    assert.deepEqual(states[1], states[0])
    assert.deepEqual(states[2], states[0])
    assert.deepEqual(states[0].members, [id(alice), id(bob), id(dave)].sort(), 'both membership changes hold')
    assert.equal(states[0].heads.length, 2, 'two heads, for the next change to merge')
    // the next change names both heads, and is checked against the merged state
    const log = new GroupLog(GROUP_ID)
    for (const c of [...changes, fromAlice, aliceRename, fromBob, bobRename]) log.add(c)
    const merge = await signChange(bob, { group: GROUP, parents: states[0].heads.map(h => fromHex(h, 'base16')), timestamp: 2n, rename: { name: 'Merged' } })
    assert.equal(log.add(merge), 'applied')
    assert.deepEqual(log.state().heads, [merge.id])
  })

  it('never leaves a group without an admin, and holds at most MAX_GROUP_MEMBERS members', async () => {
    const create = await change(alice, [], { create: { name: 'Solo' } })
    const add = await change(alice, [create], { add: { peers: [bytes(bob), bytes(carol)] } })
    const leave = await change(alice, [add], { leave: {} })
    const log = new GroupLog(GROUP_ID)
    for (const c of [create, add, leave]) log.add(c)
    assert.deepEqual(log.state().admins, [[id(bob), id(carol)].sort()[0]])

    const many = await Promise.all(Array.from({ length: MAX_GROUP_MEMBERS }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toMultihash().bytes))
    const admin = id(bob) === log.state().admins[0] ? bob : carol
    await assert.rejects(async () => log.add(await change(admin, [leave], { add: { peers: many } })), /at most/)
  })

  it('keeps at most MAX_PENDING_CHANGES changes waiting for their parents', async () => {
    const log = new GroupLog(GROUP_ID)
    const orphan = await change(alice, [], { create: { name: 'x' } })
    for (let i = 0; i < 2 * MAX_PENDING_CHANGES; i++) {
      log.add(await change(alice, [orphan], { rename: { name: `n${i}` } }))
    }
    assert.equal(log.waiting, MAX_PENDING_CHANGES)
  })
})
