import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MemoryLevel } from 'memory-level'
import { toString as toHex } from 'uint8arrays/to-string'
import { MessageRejectedError } from '../../src/protocols/chat/index.ts'
import { Outbox } from '../../src/messenger/outbox.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import type { Delivery, DeliveryRound } from '../../src/messenger/delivery.ts'
import type { Emit } from '../../src/messenger/events.ts'
import type { SessionCipher } from '../../src/crypto/session/session-cipher.ts'
import { decodeContent } from '../../src/messenger/content.ts'
import { ContentHandlers } from '../../src/messenger/content-handlers.ts'
import { receiptHandler } from '../../src/messenger/handlers/receipt.ts'
import { textHandler } from '../../src/messenger/handlers/text.ts'
import { typingHandler } from '../../src/messenger/handlers/typing.ts'
import type { DepositOptions, DepositResult } from '../../src/protocols/mailbox/index.ts'
import type { Db } from '../../src/storage/tables.ts'
import type { MessageRecord } from '../../src/storage/types.ts'
import type { PeerId } from '@libp2p/interface'

/** A delivery that does what each test says, and records what it was asked */
class StubDelivery implements Delivery {
  replicaTarget = 2
  sent: string[] = []
  deposited: string[] = []
  /** What a direct send does: resolve (delivered) or throw */
  onSend: (text: string, sealedWith: number) => Promise<void> = async () => {}
  onDeposit: (options: DepositOptions) => DepositResult = () => ({ receipts: [], failures: [] })

  constructor (private readonly cipher: StubCipher) {}

  async begin (peer: PeerId): Promise<DeliveryRound> {
    return { peer, relocated: false, tried: new Set() }
  }

  async send (_round: DeliveryRound, message: { envelope: Uint8Array }): Promise<void> {
    const { text, session } = this.cipher.open(message.envelope)
    await this.onSend(text, session)
    this.sent.push(text)
  }

  async deposit (_peer: PeerId, envelope: Uint8Array, options: DepositOptions): Promise<DepositResult> {
    this.deposited.push(this.cipher.open(envelope).text)
    return this.onDeposit(options)
  }

  async greet (): Promise<void> {}
}

/** "Encrypts" as JSON naming the session it was sealed in: a new session counts up */
class StubCipher {
  session = 1
  sealed = 0

  async encrypt (_peer: PeerId, plaintext: Uint8Array, commit: (sealed: { envelope: Uint8Array, sessionRecord: Uint8Array }) => Promise<void>, options: { newSession?: boolean } = {}): Promise<Uint8Array> {
    const content = decodeContent(plaintext)
    if (options.newSession === true) this.session++
    this.sealed++
    const envelope = new TextEncoder().encode(JSON.stringify({ text: content.text ?? '', session: this.session }))
    await commit({ envelope, sessionRecord: new Uint8Array([this.session]) })
    return envelope
  }

  open (envelope: Uint8Array): { text: string, session: number } {
    return JSON.parse(new TextDecoder().decode(envelope))
  }
}

describe('Outbox (with a stubbed delivery and cipher)', () => {
  let store: LevelStore
  let cipher: StubCipher
  let delivery: StubDelivery
  let outbox: Outbox
  let statuses: MessageRecord[]
  let peer: PeerId
  let handlers: ContentHandlers

  const enqueue = async (text: string): Promise<MessageRecord> => store.messages.addOutgoing({
    id: toHex(crypto.getRandomValues(new Uint8Array(16)), 'base16'),
    peer: peer.toString(),
    direction: 'out',
    text,
    timestamp: Date.now(),
    status: 'sending'
  })
  const statusOf = async (record: MessageRecord): Promise<MessageRecord | undefined> => store.messages.get(record.peer, 'out', record.id)

  beforeEach(async () => {
    store = new LevelStore(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db)
    await store.open()
    cipher = new StubCipher()
    delivery = new StubDelivery(cipher)
    statuses = []
    const emit: Emit = (type, detail) => { if (type === 'status') statuses.push(detail as MessageRecord) }
    handlers = new ContentHandlers()
    handlers.register('text', textHandler())
    handlers.register('receipt', receiptHandler(store.messages))
    outbox = new Outbox({ delivery, messages: store.messages, keys: store.keys, handlers, cipher: cipher as unknown as SessionCipher, emit, log: defaultLogger().forComponent('test') }, { retryBaseMs: 60_000 })
    peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    await outbox.start([])
  })

  afterEach(async () => {
    await outbox.stop()
    await store.close()
  })

  it('delivers a peer\'s messages in order and empties the outbox', async () => {
    const records = [await enqueue('one'), await enqueue('two'), await enqueue('three')]
    await outbox.flush(peer.toString())
    assert.deepEqual(delivery.sent, ['one', 'two', 'three'])
    for (const record of records) assert.equal((await statusOf(record))?.status, 'delivered')
    assert.deepEqual(await store.messages.outbox(), [])
    assert.deepEqual(statuses.map(s => s.status), ['delivered', 'delivered', 'delivered'])
  })

  it('encrypts a message once: a retry sends the same envelope', async () => {
    const record = await enqueue('again')
    delivery.onSend = async () => { throw new Error('connection refused') }
    await outbox.flush(peer.toString())
    assert.equal((await statusOf(record))?.status, 'queued')
    delivery.onSend = async () => {}
    await outbox.flush(peer.toString())
    assert.equal((await statusOf(record))?.status, 'delivered')
    assert.equal(cipher.sealed, 1)
  })

  it('fails a message the recipient refuses for good, and goes on with the next', async () => {
    const refused = await enqueue('refused')
    const next = await enqueue('next')
    delivery.onSend = async text => { if (text === 'refused') throw new MessageRejectedError('blocked') }
    await outbox.flush(peer.toString())
    const failed = await statusOf(refused)
    assert.equal(failed?.status, 'failed')
    assert.equal(failed?.error, 'blocked')
    assert.equal((await statusOf(next))?.status, 'delivered')
  })

  it('leaves the rest with the mailbox once the peer does not answer: stored with the storers\' receipts', async () => {
    const first = await enqueue('first')
    const second = await enqueue('second')
    delivery.onSend = async () => { throw new Error('no route') }
    const storer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    delivery.onDeposit = () => ({ receipts: [{ storer }, { storer: other }] as unknown as DepositResult['receipts'], failures: [] })
    await outbox.flush(peer.toString())
    assert.deepEqual(delivery.deposited, ['first', 'second'])
    for (const record of [first, second]) {
      const stored = await statusOf(record)
      assert.equal(stored?.status, 'stored')
      assert.deepEqual(stored?.holders, [storer.toString(), other.toString()])
    }
    // held by the replica target: a flush does not deposit again
    await outbox.flush(peer.toString())
    assert.deepEqual(delivery.deposited, ['first', 'second'])
  })

  it('stamps a deposit for a peer that never wrote back, and not a receipt', async () => {
    delivery.onSend = async () => { throw new Error('no route') }
    const stamps: Array<number | undefined> = []
    delivery.onDeposit = options => { stamps.push(options.stampBits); return { receipts: [], failures: [] } }
    await enqueue('hello stranger')
    await outbox.enqueueControl(peer.toString(), { kind: 'receipt', delivers: ['00'.repeat(16)] })
    await outbox.flush(peer.toString())
    // (enqueueing the receipt flushed too: the flush asked for meanwhile went round again)
    assert.ok(stamps.length > 0 && stamps.length % 2 === 0)
    for (let i = 0; i < stamps.length; i += 2) {
      assert.ok(typeof stamps[i] === 'number' && stamps[i]! > 0, 'the message is stamped')
      assert.equal(stamps[i + 1], undefined, 'the receipt is not')
    }
  })

  it('starts a new session once when the peer cannot open ours, and resends what was pending in it', async () => {
    const a = await enqueue('a')
    const b = await enqueue('b')
    delivery.onSend = async (_text, session) => {
      if (session === 1) throw new MessageRejectedError('unknown prekey', { newSession: true })
    }
    await outbox.flush(peer.toString())
    assert.deepEqual(delivery.sent, ['a', 'b'])
    assert.equal((await statusOf(a))?.status, 'delivered')
    assert.equal((await statusOf(b))?.status, 'delivered')
    assert.equal(cipher.session, 2, 'one new session, not one per message')
  })

  it('fails a message the new session does not carry either, without starting a third', async () => {
    const a = await enqueue('a')
    delivery.onSend = async () => { throw new MessageRejectedError('unknown prekey', { newSession: true }) }
    await outbox.flush(peer.toString())
    assert.equal((await statusOf(a))?.status, 'failed')
    assert.equal(cipher.session, 2)
  })

  it('sends typing only directly: never left in a mailbox, and nothing of it kept either way', async () => {
    handlers.register('typing', typingHandler(store.settings))
    await outbox.enqueueControl(peer.toString(), { kind: 'typing', typing: true })
    await outbox.flush(peer.toString())
    assert.deepEqual(delivery.sent, [''])
    delivery.onSend = async () => { throw new Error('no route') }
    await outbox.enqueueControl(peer.toString(), { kind: 'typing', typing: false })
    await outbox.flush(peer.toString())
    assert.deepEqual(delivery.deposited, [], 'typing is never deposited')
    assert.deepEqual(await store.messages.outbox(), [])
    assert.equal((await store.messages.nextExpiry()), undefined)
    const kept = await store.database.sublevel('msg', { valueEncoding: 'view' }).keys().all()
    assert.deepEqual(kept, [], 'no record of either is kept')
  })

  it('asks the storers to hold a disappearing message no longer than its expiry', async () => {
    delivery.onSend = async () => { throw new Error('no route') }
    const expiries: Array<number | undefined> = []
    delivery.onDeposit = options => { expiries.push(options.expiresAt); return { receipts: [], failures: [] } }
    const expiresAt = Date.now() + 60_000
    await store.messages.addOutgoing({ id: toHex(crypto.getRandomValues(new Uint8Array(16)), 'base16'), peer: peer.toString(), direction: 'out', text: 'fleeting', timestamp: Date.now(), status: 'sending', expiresAt })
    await enqueue('lasting')
    await outbox.flush(peer.toString())
    assert.deepEqual(expiries, [expiresAt, undefined])
  })

  it('keeps receipts out of the status events', async () => {
    await outbox.enqueueControl(peer.toString(), { kind: 'receipt', delivers: ['00'.repeat(16)] })
    await outbox.flush(peer.toString())
    assert.deepEqual(delivery.sent, [''])
    assert.deepEqual(statuses, [])
    assert.deepEqual(await store.messages.outbox(), [])
  })
})
