import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { signChange } from '../../src/groups/change.ts'
import { MAX_SECRETS_PER_EPOCH } from '../../src/groups/constants.ts'
import { GroupRecord } from '../../src/groups/group-record.ts'
import type { GroupChange, VerifiedChange } from '../../src/groups/change.ts'
import type { PrivateKey } from '@libp2p/interface'

const GROUP = new Uint8Array(16).fill(2)
const GROUP_ID = toHex(GROUP, 'base16')
const secret = (fill: number): Uint8Array => new Uint8Array(32).fill(fill)

describe('a group as a member holds it: epochs and their secrets', () => {
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

  /** Alice creates it with her secret, adds Bob and Carol, promotes Bob */
  async function founded (): Promise<{ record: GroupRecord, head: VerifiedChange, create: VerifiedChange }> {
    const create = await change(alice, [], { create: { name: 'Climbers' } })
    const record = GroupRecord.created(create, 1)
    assert.equal(record.takeSecret({ epoch: create.id, from: id(alice), secret: secret(1) }), 'taken')
    const add = await change(alice, [create], { add: { peers: [bytes(bob), bytes(carol)] } })
    const promote = await change(alice, [add], { promote: { peers: [bytes(bob)] } })
    for (const c of [add, promote]) assert.equal(record.add(c), 'applied')
    return { record, head: promote, create }
  }

  it('takes an epoch\'s secret only from its creator or remover', async () => {
    const { record, head, create } = await founded()
    assert.equal(record.takeSecret({ epoch: create.id, from: id(bob), secret: secret(9) }), 'refused', 'Bob did not create the group')
    const remove = await change(bob, [head], { remove: { peers: [bytes(carol)] } })
    record.add(remove)
    assert.equal(record.currentEpoch(), remove.id)
    assert.equal(record.currentSecret(), undefined, 'no secret for the new epoch yet')
    assert.equal(record.takeSecret({ epoch: remove.id, from: id(alice), secret: secret(2) }), 'refused', 'Alice did not remove Carol')
    assert.equal(record.takeSecret({ epoch: remove.id, from: id(bob), secret: secret(3) }), 'taken')
    assert.deepEqual(record.currentSecret()?.secret, secret(3))
    assert.equal(record.takeSecret({ epoch: remove.id, from: id(bob), secret: secret(3) }), 'known')
    assert.equal(record.takeSecret({ epoch: remove.id, from: id(bob), secret: secret(4) }), 'refused', 'a second, different secret from the same chooser')
    assert.equal(record.takeSecret({ epoch: 'ab'.repeat(32), from: id(bob), secret: secret(4) }), 'refused', 'no such epoch')
  })

  it('after a leave, takes one from each admin and uses the smallest PeerId\'s, whichever came first', async () => {
    const { record, head } = await founded()
    const leave = await change(carol, [head], { leave: {} })
    record.add(leave)
    assert.equal(record.takeSecret({ epoch: leave.id, from: id(carol), secret: secret(5) }), 'refused', 'the one who left')
    const [first, second] = [alice, bob].sort((a, b) => id(a) < id(b) ? -1 : 1)
    assert.equal(record.takeSecret({ epoch: leave.id, from: id(second), secret: secret(6) }), 'taken')
    assert.deepEqual(record.currentSecret()?.secret, secret(6))
    assert.equal(record.takeSecret({ epoch: leave.id, from: id(first), secret: secret(7) }), 'taken')
    assert.deepEqual(record.currentSecret(), { epoch: leave.id, from: id(first), secret: secret(7) })
    assert.deepEqual(record.secretsOf(leave.id).map(s => s.from), [id(first), id(second)])
  })

  it('hands a member the secrets of the epochs it was a member in, and no others', async () => {
    const { record, head, create } = await founded()
    const removeCarol = await change(alice, [head], { remove: { peers: [bytes(carol)] } })
    record.add(removeCarol)
    record.takeSecret({ epoch: removeCarol.id, from: id(alice), secret: secret(8) })
    const addDave = await change(alice, [removeCarol], { add: { peers: [bytes(dave)] } })
    record.add(addDave)
    assert.deepEqual(record.secretsFor(id(carol)).map(s => s.epoch), [create.id], 'removed: not the secret after')
    assert.deepEqual(record.secretsFor(id(dave)).map(s => s.epoch), [removeCarol.id], 'added later: from the epoch it joined in')
    assert.deepEqual(record.secretsFor(id(bob)).map(s => s.epoch), [create.id, removeCarol.id])
  })

  it('holds at most MAX_SECRETS_PER_EPOCH secrets for one epoch', async () => {
    const { record, head } = await founded()
    const others = await Promise.all(Array.from({ length: MAX_SECRETS_PER_EPOCH }, async () => generateKeyPair('Ed25519')))
    let last = await change(alice, [head], { add: { peers: others.map(bytes) } })
    record.add(last)
    last = await change(alice, [last], { promote: { peers: others.map(bytes) } })
    record.add(last)
    const leave = await change(carol, [last], { leave: {} })
    record.add(leave)
    const admins = [alice, bob, ...others]
    const results = admins.map((admin, i) => record.takeSecret({ epoch: leave.id, from: id(admin), secret: secret(i) }))
    assert.equal(results.filter(r => r === 'taken').length, MAX_SECRETS_PER_EPOCH)
    assert.equal(results.filter(r => r === 'refused').length, admins.length - MAX_SECRETS_PER_EPOCH)
  })

  it('stores and reads back its changes, secrets, join time and request flag, checking every change again', async () => {
    const { record, head, create } = await founded()
    const rename = await change(bob, [head], { rename: { name: 'Boulderers' } })
    record.add(rename)
    record.request = true
    const back = await GroupRecord.decode(GROUP_ID, record.encode())
    assert.deepEqual(back.state(), record.state())
    assert.deepEqual(back.secretsOf(create.id), record.secretsOf(create.id))
    assert.equal(back.joinedAt, 1)
    assert.equal(back.request, true)

    const tampered = record.encode()
    const at = Buffer.from(tampered).indexOf(Buffer.from('Boulderers'))
    tampered[at] ^= 1
    await assert.rejects(GroupRecord.decode(GROUP_ID, tampered), { name: 'InvalidGroupChangeError' })
  })
})
