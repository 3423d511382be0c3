import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { MemoryLevel } from 'memory-level'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { Contacts } from '../../src/messenger/contacts.ts'
import { ReceivePipeline } from '../../src/messenger/receive-pipeline.ts'
import { encodeContent } from '../../src/messenger/content.ts'
import { ContentHandlers } from '../../src/messenger/content-handlers.ts'
import { receiptHandler } from '../../src/messenger/handlers/receipt.ts'
import { textHandler } from '../../src/messenger/handlers/text.ts'
import { unsupportedHandler } from '../../src/messenger/handlers/unsupported.ts'
import { mintStamp } from '../../src/protocols/mailbox/stamp.ts'
import { UnknownPrekeyError } from '../../src/crypto/pqxdh/errors.ts'
import { DuplicateMessageError } from '../../src/crypto/ratchet/errors.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import type { ControlFields } from '../../src/messenger/outbox.ts'
import type { Emit, MessengerEvents } from '../../src/messenger/events.ts'
import type { OpenedMessage, SessionCipher } from '../../src/crypto/session/session-cipher.ts'
import type { FetchedEnvelope } from '../../src/protocols/mailbox/index.ts'
import type { Db } from '../../src/storage/tables.ts'
import type { MessageRecord } from '../../src/storage/types.ts'
import type { PeerId } from '@libp2p/interface'

interface StubEnvelope {
  sender: string
  id: string
  timestamp: number
  text?: string
  delivers?: string[]
  /** The decrypt throws this error's name instead */
  fails?: 'unknown-prekey' | 'duplicate'
  /** A body of a kind a later release added (field 99), instead of a text */
  later?: true
}

/** "Decrypts" JSON envelopes: what a real session would have opened */
const stubCipher = {
  async decrypt (envelope: Uint8Array, commit: (opened: OpenedMessage) => Promise<void>): Promise<OpenedMessage> {
    const e: StubEnvelope = JSON.parse(new TextDecoder().decode(envelope))
    if (e.fails === 'unknown-prekey') throw new UnknownPrekeyError('no such one-time prekey')
    if (e.fails === 'duplicate') throw new DuplicateMessageError('seen')
    const known = encodeContent({ id: fromHex(e.id, 'base16'), timestamp: BigInt(e.timestamp), ...(e.text != null && e.later == null ? { text: e.text } : {}), delivers: (e.delivers ?? []).map(d => fromHex(d, 'base16')) })
    const opened = {
      sender: peerIdFromString(e.sender),
      plaintext: e.later === true ? new Uint8Array([...known, 0x9a, 0x06, 0x02, 0x08, 0x01]) : known,
      sessionRecord: new Uint8Array([1])
    }
    await commit(opened)
    return opened
  }
}

const newId = (): string => toHex(crypto.getRandomValues(new Uint8Array(16)), 'base16')
const bytesOf = (hex: string): Uint8Array<ArrayBuffer> => fromHex(hex, 'base16') as Uint8Array<ArrayBuffer>
const encode = (e: StubEnvelope): Uint8Array<ArrayBuffer> => new TextEncoder().encode(JSON.stringify(e)) as Uint8Array<ArrayBuffer>

describe('ReceivePipeline (with a stubbed cipher)', () => {
  let store: LevelStore
  let pipeline: ReceivePipeline
  let contacts: Contacts
  let events: Array<{ type: keyof MessengerEvents, detail: unknown }>
  let controls: Array<{ peer: string, fields: ControlFields }>
  let quotaChecks: MessageRecord[]
  let alice: PeerId

  const envelope = (fields: Partial<StubEnvelope> = {}): StubEnvelope => ({ sender: alice.toString(), id: newId(), timestamp: Date.now(), text: 'hi', ...fields })
  const mailboxItem = async (e: StubEnvelope, stamped: boolean): Promise<FetchedEnvelope> => {
    const key = crypto.getRandomValues(new Uint8Array(32))
    const hash = crypto.getRandomValues(new Uint8Array(32))
    return { key, hash, envelope: encode(e), storedAt: Date.now(), ...(stamped ? { stamp: await mintStamp(key, hash, 4) } : {}) }
  }

  beforeEach(async () => {
    store = new LevelStore(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db)
    await store.open()
    events = []
    controls = []
    quotaChecks = []
    const emit: Emit = (type, detail) => { events.push({ type, detail }) }
    const self = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    alice = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    contacts = new Contacts(store.contacts, self, emit)
    const handlers = new ContentHandlers()
    handlers.register('text', textHandler())
    handlers.register('receipt', receiptHandler(store.messages))
    handlers.register('unsupported', unsupportedHandler())
    pipeline = new ReceivePipeline({
      messages: store.messages,
      keys: store.keys,
      cipher: stubCipher as unknown as SessionCipher,
      contacts,
      handlers,
      requestQuota: { added: async record => { quotaChecks.push(record) } },
      enqueueControl: async (peer, fields) => { controls.push({ peer, fields }) },
      emit,
      self: self.toString(),
      log: defaultLogger().forComponent('test')
    }, { stampBits: 4 })
  })

  afterEach(async () => {
    await store.close()
  })

  it('stores a stranger\'s message as a request, announces it once, and has the quota check it', async () => {
    const e = envelope()
    await pipeline.fromChat({ id: bytesOf(e.id), envelope: encode(e), from: alice }, {})
    await pipeline.fromChat({ id: bytesOf(e.id), envelope: encode(e), from: alice }, {})
    assert.deepEqual((await store.messages.list()).map(m => m.text), ['hi'])
    assert.deepEqual(events.map(e => e.type), ['message', 'request'])
    assert.deepEqual((await store.contacts.requests()).map(r => r.peerId), [alice.toString()])
    assert.equal((events[1].detail as { peerId: string }).peerId, alice.toString())
    assert.equal(quotaChecks.length, 1)
  })

  it('keeps a message of a kind this release cannot read as an unsupported entry, announced like any other', async () => {
    await contacts.add(alice, 'alice')
    const e = envelope({ later: true })
    await pipeline.fromChat({ id: bytesOf(e.id), envelope: encode(e), from: alice }, {})
    const [entry] = await store.messages.list()
    assert.equal(entry.unsupported, true)
    assert.equal(entry.text, '')
    assert.deepEqual(events.map(e => e.type), ['contact', 'accepted', 'message'])
  })

  it('refuses an empty text', async () => {
    const e = envelope({ text: '' })
    await assert.rejects(pipeline.fromChat({ id: bytesOf(e.id), envelope: encode(e), from: alice }, {}), /empty or too long/)
  })

  it('refuses a message whose id is not the encrypted one', async () => {
    const e = envelope()
    await assert.rejects(pipeline.fromChat({ id: bytesOf(newId()), envelope: encode(e), from: alice }, {}), { name: 'MessageRefusedError' })
    assert.deepEqual(await store.messages.list(), [])
  })

  it('refuses everything from a blocked peer', async () => {
    await contacts.block(alice)
    const e = envelope()
    await assert.rejects(pipeline.fromChat({ id: bytesOf(e.id), envelope: encode(e), from: alice }, {}), /does not accept messages from you/)
  })

  it('tells the sender to start a new session when the prekey it used is gone', async () => {
    const e = envelope({ fails: 'unknown-prekey' })
    await assert.rejects(pipeline.fromChat({ id: bytesOf(e.id), envelope: encode(e), from: alice }, {}), (err: any) => err.name === 'MessageRefusedError' && err.newSession === true)
  })

  it('marks our messages delivered on a receipt, without a history entry', async () => {
    const sent = await store.messages.addOutgoing({ id: newId(), peer: alice.toString(), direction: 'out', text: 'out', timestamp: Date.now(), status: 'stored' })
    const e = envelope({ text: undefined, delivers: [sent.id] })
    await pipeline.fromChat({ id: bytesOf(e.id), envelope: encode(e), from: alice }, {})
    assert.equal((await store.messages.get(alice.toString(), 'out', sent.id))?.status, 'delivered')
    assert.deepEqual(events.map(e => e.type), ['status'])
    assert.deepEqual((await store.messages.list()).map(m => m.text), ['out'])
  })

  it('takes mailbox mail in the order it was written, drops what never opens or is here already, and queues one receipt per sender', async () => {
    await contacts.add(alice, 'alice')
    const now = Date.now()
    const later = await mailboxItem(envelope({ text: 'second', timestamp: now + 1 }), false)
    const earlier = await mailboxItem(envelope({ text: 'first', timestamp: now }), false)
    const unreadable = await mailboxItem(envelope({ fails: 'unknown-prekey' }), false)
    const repeat = await mailboxItem(envelope({ fails: 'duplicate' }), false)
    const done = await pipeline.fromMailbox([later, earlier, unreadable, repeat], {})
    assert.deepEqual((await store.messages.list()).map(m => m.text), ['first', 'second'])
    assert.equal(done.length, 4, 'all four may be deleted by the storers')
    assert.equal(controls.length, 1)
    assert.equal(controls[0].peer, alice.toString())
    assert.equal(controls[0].fields.delivers?.length, 2)
  })

  it('refuses a stranger\'s unstamped mail (the storers may drop it) and takes a stamped one', async () => {
    const unstamped = await mailboxItem(envelope({ text: 'spam' }), false)
    const stamped = await mailboxItem(envelope({ text: 'hello, we met at the conference' }), true)
    const done = await pipeline.fromMailbox([unstamped, stamped], {})
    assert.equal(done.length, 2)
    assert.deepEqual((await store.messages.list()).map(m => m.text), ['hello, we met at the conference'])
  })
})
