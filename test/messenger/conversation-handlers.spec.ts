import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { MemoryLevel } from 'memory-level'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { Contacts } from '../../src/messenger/contacts.ts'
import { encodeContent } from '../../src/messenger/content.ts'
import { ContentHandlers } from '../../src/messenger/content-handlers.ts'
import { registerConversationHandlers } from '../../src/messenger/handlers/index.ts'
import { encodeRef } from '../../src/messenger/message-ref.ts'
import { ReceivePipeline } from '../../src/messenger/receive-pipeline.ts'
import { MAX_EDITS, TIMER_SECONDS, TYPING_MIN_INTERVAL_MS } from '../../src/messenger/constants.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import type { Content } from '../../src/messenger/content.ts'
import type { Emit, MessengerEvents } from '../../src/messenger/events.ts'
import type { OpenedMessage, SessionCipher } from '../../src/crypto/session/session-cipher.ts'
import type { Db } from '../../src/storage/tables.ts'
import type { PeerId } from '@libp2p/interface'

/** "Decrypts" an envelope that is the sender's PeerId, a newline, and the content's hex */
const stubCipher = {
  async decrypt (envelope: Uint8Array, commit: (opened: OpenedMessage) => Promise<void>): Promise<OpenedMessage> {
    const [sender, content] = new TextDecoder().decode(envelope).split('\n')
    const opened = { sender: peerIdFromString(sender), plaintext: fromHex(content, 'base16'), sessionRecord: new Uint8Array([1]) }
    await commit(opened)
    return opened
  }
}

const newId = (): Uint8Array<ArrayBuffer> => crypto.getRandomValues(new Uint8Array(16))

/**
 * What a peer may send into a conversation that it should not: each refused (the sender's
 * delivery fails), ignored, or cut down, never a crash and never a change to what it may not
 * touch. Through the receive pipeline with a stubbed cipher, onto a real store.
 */
describe('conversation content from a peer, bad input', () => {
  let store: LevelStore
  let pipeline: ReceivePipeline
  let events: Array<{ type: keyof MessengerEvents, detail: any }>
  let self: PeerId
  let alice: PeerId
  let mallory: PeerId

  const from = async (sender: PeerId, fields: Partial<Content>): Promise<Uint8Array<ArrayBuffer>> => {
    const id = fields.id ?? newId()
    const content = encodeContent({ id, timestamp: BigInt(Date.now()), delivers: [], ...fields })
    await pipeline.fromChat({ id, envelope: new TextEncoder().encode(`${sender.toString()}\n${toHex(content, 'base16')}`), from: sender }, {})
    return id
  }
  const text = async (sender: PeerId, body: string): Promise<string> => toHex(await from(sender, { text: body }), 'base16')
  const ours = async (body: string): Promise<string> =>
    (await store.messages.addOutgoing({ id: toHex(newId(), 'base16'), peer: alice.toString(), direction: 'out', text: body, timestamp: Date.now(), status: 'delivered' })).id

  beforeEach(async () => {
    store = new LevelStore(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db)
    await store.open()
    events = []
    const emit: Emit = (type, detail) => { events.push({ type, detail }) }
    self = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    alice = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    mallory = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const contacts = new Contacts(store.contacts, self, emit)
    await contacts.add(alice, 'alice')
    const handlers = new ContentHandlers()
    registerConversationHandlers(handlers, store.messages, store.settings, TIMER_SECONDS)
    pipeline = new ReceivePipeline({
      messages: store.messages,
      keys: store.keys,
      cipher: stubCipher as unknown as SessionCipher,
      contacts,
      handlers,
      requestQuota: { added: async () => {} },
      enqueueControl: async () => {},
      emit,
      log: defaultLogger().forComponent('test'),
      self: self.toString()
    })
  })

  afterEach(async () => {
    await store.close()
  })

  it('refuses an edit or deletion of a message the sender did not write, and changes nothing', async () => {
    const mine = await ours('my words')
    await assert.rejects(from(alice, { edit: { messageId: fromHex(mine, 'base16'), text: 'her words' } }), { name: 'MessageRefusedError' })
    await assert.rejects(from(alice, { delete: { messageId: fromHex(mine, 'base16') } }), { name: 'MessageRefusedError' })
    assert.equal((await store.messages.get(alice.toString(), 'out', mine))?.text, 'my words')
    assert.equal((await store.messages.get(alice.toString(), 'out', mine))?.deleted, undefined)
  })

  it('refuses a reaction naming a message from outside the conversation', async () => {
    const hers = await text(alice, 'hello')
    await assert.rejects(from(alice, { reaction: { message: encodeRef({ id: hers, author: mallory.toString() }), emoji: '👍' } }), /outside the conversation/)
    await assert.rejects(from(alice, { reaction: { message: encodeRef({ id: hers, author: alice.toString() }), emoji: 'not an emoji' } }), /one emoji/)
    await assert.rejects(from(alice, { reaction: { message: { id: new Uint8Array(3), author: new Uint8Array(3) }, emoji: '👍' } }), /malformed/)
    assert.equal((await store.messages.get(alice.toString(), 'in', hers))?.reactions, undefined)
    await from(alice, { reaction: { message: encodeRef({ id: hers, author: alice.toString() }), emoji: '👍' } })
    assert.deepEqual((await store.messages.get(alice.toString(), 'in', hers))?.reactions, { [alice.toString()]: '👍' })
  })

  it('refuses an edit of a deleted message', async () => {
    const hers = await text(alice, 'soon gone')
    await from(alice, { delete: { messageId: fromHex(hers, 'base16') } })
    await assert.rejects(from(alice, { edit: { messageId: fromHex(hers, 'base16'), text: 'back again' } }), /deleted/)
    const stored = await store.messages.get(alice.toString(), 'in', hers)
    assert.deepEqual([stored?.deleted, stored?.text], [true, ''])
  })

  it('keeps at most MAX_EDITS earlier versions of a message: edits past them are refused', async () => {
    const hers = await text(alice, 'version 0')
    let refused = 0
    for (let i = 1; i <= 2 * MAX_EDITS; i++) {
      await from(alice, { edit: { messageId: fromHex(hers, 'base16'), text: `version ${i}` } }).catch(err => {
        assert.match(err.message, /at most/)
        refused++
      })
    }
    const stored = await store.messages.get(alice.toString(), 'in', hers)
    assert.equal(stored?.edits?.length, MAX_EDITS)
    assert.equal(stored?.text, `version ${MAX_EDITS}`)
    assert.equal(refused, MAX_EDITS)
  })

  it('refuses a timer outside the allowed set', async () => {
    await assert.rejects(from(alice, { timer: { seconds: 7 } }), /not one of the allowed/)
    assert.equal((await store.messages.conversation(alice.toString()))?.timer, undefined)
    await from(alice, { timer: { seconds: 30 } })
    assert.equal((await store.messages.conversation(alice.toString()))?.timer, 30)
  })

  it('takes receipts for ids it does not have without harm, and names no history', async () => {
    const mine = await ours('read me')
    await from(alice, { read: { ids: [newId(), fromHex(mine, 'base16')] } })
    await from(alice, { delivers: [newId()] })
    assert.equal((await store.messages.get(alice.toString(), 'out', mine))?.status, 'read')
    assert.deepEqual((await store.messages.list()).map(m => m.text), ['read me'])
  })

  it('cuts a flood of typing notifications to one per interval, and ignores them with the setting off', async () => {
    for (let i = 0; i < 50; i++) await from(alice, { typing: { typing: true } })
    assert.equal(events.filter(e => e.type === 'typing').length, 0, 'off by default')
    await store.settings.set({ typingIndicators: true })
    const started = Date.now()
    for (let i = 0; i < 200; i++) await from(alice, { typing: { typing: true } })
    await from(alice, { typing: { typing: false } })
    const shown = events.filter(e => e.type === 'typing').map(e => e.detail.typing)
    const intervals = Math.floor((Date.now() - started) / TYPING_MIN_INTERVAL_MS) + 1
    assert.ok(shown.filter(t => t).length <= intervals, `${shown.length} shown in ${Date.now() - started} ms`)
    assert.equal(shown.at(-1), false, 'the stop goes through at once')
    const before = events.length
    await from(mallory, { typing: { typing: true } })
    assert.equal(events.length, before, 'a stranger\'s typing is not shown')
    assert.deepEqual(await store.messages.list(), [], 'typing is never stored')
  })

  it('keeps a message that waited past its expiry in a mailbox out of history', async () => {
    await from(alice, { text: 'too late', expiresAt: BigInt(Date.now() - 1) })
    assert.deepEqual(await store.messages.list(), [])
  })

  it('shows a body of a kind it does not know as unsupported', async () => {
    const id = newId()
    const known = encodeContent({ id, timestamp: 1n, delivers: [] })
    const later = new Uint8Array([...known, 0x9a, 0x06, 0x02, 0x08, 0x01])
    await pipeline.fromChat({ id, envelope: new TextEncoder().encode(`${alice.toString()}\n${toHex(later, 'base16')}`), from: alice }, {})
    const [entry] = await store.messages.list()
    assert.deepEqual([entry.unsupported, entry.text], [true, ''])
  })
})
