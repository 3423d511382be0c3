import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MemoryLevel } from 'memory-level'
import { Contacts } from '../../src/messenger/contacts.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import type { Emit, MessengerEvents } from '../../src/messenger/events.ts'
import type { Db } from '../../src/storage/tables.ts'
import type { PeerId } from '@libp2p/interface'

describe('Contacts (on a real contact store)', () => {
  let store: LevelStore
  let contacts: Contacts
  let events: Array<{ type: keyof MessengerEvents, detail: any }>
  let self: PeerId
  let alice: PeerId
  let bob: PeerId

  beforeEach(async () => {
    store = new LevelStore(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db)
    await store.open()
    events = []
    const emit: Emit = (type, detail) => { events.push({ type, detail }) }
    ;[self, alice, bob] = await Promise.all([0, 1, 2].map(async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))))
    contacts = new Contacts(store.contacts, self, emit)
  })

  afterEach(async () => {
    await store.close()
  })

  it('adds a contact under a trimmed petname, accepts it, and announces both', async () => {
    const added = await contacts.add(`parley://${alice.toString()}`, '  Alice  ')
    assert.deepEqual([added.peerId, added.name], [alice.toString(), 'Alice'])
    assert.equal(await contacts.standing(alice.toString()), 'accepted')
    assert.deepEqual(events.map(e => e.type), ['contact', 'accepted'])
    assert.ok(await contacts.knows(alice.toString(), undefined), 'a contact is known whatever its standing says')
    await assert.rejects(contacts.add(bob, ' '), { name: 'InvalidMessageTextError' })
    await assert.rejects(contacts.add(bob, 'x'.repeat(65)), { name: 'InvalidMessageTextError' })
  })

  it('resolves a name, an invite or a PeerId, and names what it cannot', async () => {
    await contacts.add(alice, 'Alice')
    assert.ok((await contacts.resolve(' Alice ')).equals(alice))
    assert.ok((await contacts.resolve(`parley://${bob.toString()}`)).equals(bob))
    await assert.rejects(contacts.resolve('nobody'), (err: any) => err.name === 'InvalidPeerError' && /no contact is named "nobody"/.test(err.message))
  })

  it('accepts on write only a peer the user has not decided on, never a blocked one', async () => {
    await contacts.block(bob)
    await contacts.acceptOnWrite(bob.toString())
    assert.equal(await contacts.standing(bob.toString()), 'blocked')
    await contacts.acceptOnWrite(alice.toString())
    assert.equal(await contacts.standing(alice.toString()), 'accepted')
    await contacts.unblock(bob)
    assert.equal(await contacts.standing(bob.toString()), undefined)
    await contacts.unblock(alice)
    assert.equal(await contacts.standing(alice.toString()), 'accepted', 'unblocking an accepted peer changes nothing')
  })

  it('gives the same safety number on both sides', async () => {
    const aliceSide = new Contacts(store.contacts, alice, () => {})
    assert.equal(await contacts.safetyNumber(alice), await aliceSide.safetyNumber(self))
    assert.match(await contacts.safetyNumber(alice), /^(\d{5} ){11}\d{5}$/)
  })
})
