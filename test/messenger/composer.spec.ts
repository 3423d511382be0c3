import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MemoryLevel } from 'memory-level'
import { toString as toHex } from 'uint8arrays/to-string'
import { Composer } from '../../src/messenger/composer.ts'
import { Contacts } from '../../src/messenger/contacts.ts'
import { Disappearing } from '../../src/messenger/disappearing.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import type { Emit, MessengerEvents } from '../../src/messenger/events.ts'
import type { ControlFields, Outbox } from '../../src/messenger/outbox.ts'
import type { Db } from '../../src/storage/tables.ts'
import type { PeerId } from '@libp2p/interface'

/** An outbox that records what it is given */
class StubOutbox {
  controls: ControlFields[] = []
  flushed: string[] = []
  async enqueueControl (_peer: string, fields: ControlFields): Promise<void> { this.controls.push(fields) }
  async flush (peer: string): Promise<void> { this.flushed.push(peer) }
}

describe('Composer (with a stubbed outbox)', () => {
  let store: LevelStore
  let outbox: StubOutbox
  let composer: Composer
  let events: Array<{ type: keyof MessengerEvents, detail: any }>
  let self: PeerId
  let bob: PeerId
  let connected: boolean

  const fromBob = async (text: string): Promise<string> => (await store.messages.addIncoming({ id: toHex(crypto.getRandomValues(new Uint8Array(16)), 'base16'), peer: bob.toString(), direction: 'in', text, timestamp: Date.now(), status: 'delivered' })).record.id

  beforeEach(async () => {
    store = new LevelStore(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db)
    await store.open()
    outbox = new StubOutbox()
    events = []
    connected = true
    const emit: Emit = (type, detail) => { events.push({ type, detail }) }
    self = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    bob = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    composer = new Composer({
      self,
      messages: store.messages,
      settings: store.settings,
      contacts: new Contacts(store.contacts, self, emit),
      outbox: outbox as unknown as Outbox,
      disappearing: new Disappearing(store.messages, emit, defaultLogger().forComponent('test')),
      isConnected: () => connected,
      emit
    }, [0, 30])
  })

  afterEach(async () => {
    await store.close()
  })

  it('sends under the conversation\'s timer with an expiry; the timer change itself has none', async () => {
    const set = await composer.setTimer(bob, 30)
    assert.equal(set.expiresAt, undefined)
    const sent = await composer.send(bob, { text: 'fleeting' })
    assert.equal(sent.expiresAt, sent.timestamp + 30_000)
    assert.deepEqual(outbox.flushed, [bob.toString(), bob.toString()])
    await assert.rejects(composer.setTimer(bob, 31), { name: 'InvalidTimerError' })
    await assert.rejects(composer.send(bob, { text: '   ' }), { name: 'InvalidMessageTextError' })
    await assert.rejects(composer.send(self, { text: 'me' }), { name: 'SelfMessageError' })
  })

  it('reacts once per person, replacing its reaction, and sends each change', async () => {
    const id = await fromBob('react to me')
    await composer.react(bob, { id, author: bob.toString() }, '👍')
    const changed = await composer.react(bob, { id, author: bob.toString() }, '🎉')
    assert.deepEqual(changed.reactions, { [self.toString()]: '🎉' })
    assert.deepEqual(outbox.controls.map(c => [c.kind, c.emoji]), [['reaction', '👍'], ['reaction', '🎉']])
    await assert.rejects(composer.react(bob, { id, author: self.toString() }, '👍'), { name: 'UnknownMessageError' }, 'not mine: no such message of mine')
    await assert.rejects(composer.react(bob, { id, author: bob.toString() }, 'ok'), { name: 'InvalidReactionError' })
  })

  it('edits and deletes only the user\'s own messages, keeping the edit history', async () => {
    const mine = await composer.send(bob, { text: 'first' })
    const edited = await composer.edit(bob, mine.id, 'second')
    assert.deepEqual([edited.text, edited.edits?.map(e => e.text)], ['second', ['first']])
    const theirs = await fromBob('theirs')
    await assert.rejects(composer.edit(bob, theirs, 'mine now'), { name: 'MessageNotEditableError' })
    await assert.rejects(composer.remove(bob, theirs), { name: 'MessageNotEditableError' })
    events = []
    const gone = await composer.remove(bob, mine.id)
    assert.deepEqual([gone.deleted, gone.text, gone.edits], [true, '', undefined])
    assert.deepEqual(events.map(e => e.type), ['deleted', 'changed'])
    assert.equal(events[0].detail.text, 'second', 'the record as it was, for those who erase what it carried')
    await assert.rejects(composer.edit(bob, mine.id, 'back'), { name: 'MessageNotEditableError' })
    assert.deepEqual(outbox.controls.map(c => [c.kind, c.target?.id]), [['edit', mine.id], ['delete', mine.id]])
  })

  it('marks read and sends a read receipt for what was unread, unless receipts are off', async () => {
    const one = await fromBob('one')
    const two = await fromBob('two')
    assert.equal(await composer.markRead(bob), 2)
    assert.deepEqual(outbox.controls, [{ kind: 'read', reads: [one, two] }])
    assert.equal(await composer.markRead(bob), 0, 'nothing new')
    await store.settings.set({ readReceipts: false })
    await fromBob('three')
    assert.equal(await composer.markRead(bob), 1)
    assert.equal(outbox.controls.length, 1, 'no receipt with receipts off')
  })

  it('sends typing only with the setting on and the peer connected', async () => {
    assert.equal(await composer.typing(bob, true), false)
    await store.settings.set({ typingIndicators: true })
    connected = false
    assert.equal(await composer.typing(bob, true), false)
    connected = true
    assert.equal(await composer.typing(bob, true), true)
    assert.deepEqual(outbox.controls, [{ kind: 'typing', typing: true }])
  })
})
