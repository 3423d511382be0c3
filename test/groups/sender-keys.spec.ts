import assert from 'node:assert/strict'
import { MemoryLevel } from 'memory-level'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import { SenderKeys } from '../../src/groups/sender-keys/sender-keys.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import type { Db } from '../../src/storage/tables.ts'

const provider = defaultProvider()
const GROUP = '05'.repeat(16)
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const read = (b: Uint8Array): string => new TextDecoder().decode(b)

/** A member: its own store, and its sender keys over it */
async function member (name: string): Promise<{ name: string, store: LevelStore, keys: SenderKeys }> {
  const store = new LevelStore(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db)
  await store.open()
  return { name, store, keys: new SenderKeys(provider, store.senderChains, async ops => { await store.apply(ops) }, name) }
}

describe('sender keys over the store', () => {
  it('members read each other once they hold the keys; a missing key says whose to ask for', async () => {
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map(member))
    await bob.keys.take(GROUP, 'alice', await alice.keys.distribution(GROUP, 'bob'))
    const first = await alice.keys.encrypt(GROUP, text('hello group'))
    assert.equal(read(await bob.keys.decrypt(GROUP, 'alice', first)), 'hello group')
    await assert.rejects(carol.keys.decrypt(GROUP, 'alice', first), (err: any) => err.name === 'MissingSenderKeyError' && err.message.includes('alice'))
    // the state is kept: a repeat is refused, the next one reads
    await assert.rejects(bob.keys.decrypt(GROUP, 'alice', first), { name: 'OldSenderKeyMessageError' })
    assert.equal(read(await bob.keys.decrypt(GROUP, 'alice', await alice.keys.encrypt(GROUP, text('again')))), 'again')
  })

  it('never uses a message key twice, however many messages go at once', async () => {
    const [alice, bob] = await Promise.all(['alice', 'bob'].map(member))
    await bob.keys.take(GROUP, 'alice', await alice.keys.distribution(GROUP, 'bob'))
    const sent = await Promise.all(Array.from({ length: 20 }, async (_, i) => alice.keys.encrypt(GROUP, text(`m${i}`))))
    const read20 = await Promise.all(sent.map(async m => read(await bob.keys.decrypt(GROUP, 'alice', m))))
    assert.equal(new Set(read20).size, 20)
  })

  it('after a rotation and a forget, a removed member reads nothing new; the others read both chains', async () => {
    const [alice, bob, mallory] = await Promise.all(['alice', 'bob', 'mallory'].map(member))
    for (const m of [bob, mallory]) await m.keys.take(GROUP, 'alice', await alice.keys.distribution(GROUP, m.name))
    const before = await alice.keys.encrypt(GROUP, text('before the removal'))
    // mallory removed: alice rotates and gives the new chain to bob only
    await alice.keys.rotate(GROUP)
    await bob.keys.take(GROUP, 'alice', await alice.keys.distribution(GROUP, 'bob'))
    const after = await alice.keys.encrypt(GROUP, text('after the removal'))
    await assert.rejects(mallory.keys.decrypt(GROUP, 'alice', after), { name: 'MissingSenderKeyError' })
    assert.equal(read(await bob.keys.decrypt(GROUP, 'alice', after)), 'after the removal')
    assert.equal(read(await bob.keys.decrypt(GROUP, 'alice', before)), 'before the removal', 'late mail of the chain before')
    await bob.keys.forget(GROUP, 'mallory')
    assert.equal(await bob.store.senderChains.get(GROUP, 'mallory'), undefined)
  })

  it('hands a member that lost the key the chain again from the message it could not read, never from before it joined', async () => {
    const [alice, bob, dave] = await Promise.all(['alice', 'bob', 'dave'].map(member))
    await bob.keys.take(GROUP, 'alice', await alice.keys.distribution(GROUP, 'bob'))
    const early = await alice.keys.encrypt(GROUP, text('before Dave'))
    await dave.keys.take(GROUP, 'alice', await alice.keys.distribution(GROUP, 'dave'))
    const missed = [await alice.keys.encrypt(GROUP, text('one')), await alice.keys.encrypt(GROUP, text('two'))]
    // Bob loses his store's key; he asks from the iteration of the first message he cannot read
    await bob.keys.forget(GROUP, 'alice')
    await assert.rejects(bob.keys.decrypt(GROUP, 'alice', missed[0]), { name: 'MissingSenderKeyError' })
    await bob.keys.take(GROUP, 'alice', await alice.keys.distribution(GROUP, 'bob', 1))
    assert.deepEqual([read(await bob.keys.decrypt(GROUP, 'alice', missed[0])), read(await bob.keys.decrypt(GROUP, 'alice', missed[1]))], ['one', 'two'])
    // Dave, handed the chain at iteration 1, asks from iteration 0: he gets it from 1 on only
    await dave.keys.forget(GROUP, 'alice')
    await dave.keys.take(GROUP, 'alice', await alice.keys.distribution(GROUP, 'dave', 0))
    await assert.rejects(dave.keys.decrypt(GROUP, 'alice', early), { name: 'OldSenderKeyMessageError' })
    assert.equal(read(await dave.keys.decrypt(GROUP, 'alice', missed[1])), 'two')
  })
})
