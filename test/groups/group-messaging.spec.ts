import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { logger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MemoryLevel } from 'memory-level'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { nodeCryptoProvider } from '../../src/crypto/provider/index.ts'
import { MEMBER_BURST, SENDER_KEY_MAX_AGE_MS } from '../../src/groups/constants.ts'
import { GroupMessaging } from '../../src/groups/group-messaging.ts'
import { GroupSecret } from '../../src/groups/group-secret.ts'
import { Groups } from '../../src/groups/groups.ts'
import { openEnvelope, sealEnvelope } from '../../src/groups/sender-keys/group-envelope.ts'
import { keyIdOf } from '../../src/groups/sender-keys/sender-chain.ts'
import { SenderKeys } from '../../src/groups/sender-keys/sender-keys.ts'
import { TIMER_SECONDS } from '../../src/messenger/constants.ts'
import { ContentHandlers } from '../../src/messenger/content-handlers.ts'
import { encodeContent } from '../../src/messenger/content.ts'
import { registerConversationHandlers } from '../../src/messenger/handlers/index.ts'
import { MIN_ENVELOPE_BYTES } from '../../src/protocols/mailbox/min-envelope.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import { waitForEvent } from '../helpers/events.ts'
import type { GroupPubSub } from '../../src/groups/group-messaging.ts'
import type { MessageRecord } from '../../src/storage/types.ts'
import type { Db } from '../../src/storage/tables.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'

const provider = nodeCryptoProvider()

/** A member's node as far as groups go: its store, groups, messaging, and what it published */
interface Member {
  id: string
  peer: PeerId
  identity: PrivateKey
  store: LevelStore
  groups: Groups
  messaging: GroupMessaging
}

/**
 * Members joined by hand: group updates and sender keys go straight to the recipient (as the
 * outbox would carry them), a publish runs every other subscriber's topic validator in turn
 * (as gossipsub would), and `verdicts` keeps what each validator said
 */
class Hub {
  readonly members = new Map<string, Member>()
  readonly subscribed = new Map<string, Set<string>>()
  readonly verdicts: string[] = []
  private readonly validators = new Map<string, Map<string, (peer: PeerId, message: { data: Uint8Array }) => Promise<string> | string>>()

  async member (): Promise<Member> {
    const identity = await generateKeyPair('Ed25519')
    const peer = peerIdFromPrivateKey(identity)
    const id = peer.toString()
    const store = new LevelStore(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db)
    await store.open()
    const log = logger('parley:test:group-messaging')
    const groups = new Groups({ store: store.groups, identity, self: peer, provider, send: async (to, update) => this.members.get(to)!.groups.receive(id, update, { known: true, also: [] }), log })
    const validators = new Map<string, any>()
    this.validators.set(id, validators)
    const pubsub = {
      subscribe: (topic: string) => { this.subscribed.set(topic, new Set([...this.subscribed.get(topic) ?? [], id])) },
      unsubscribe: (topic: string) => { this.subscribed.get(topic)?.delete(id) },
      topicValidators: validators,
      getSubscribers: (topic: string) => [...this.subscribed.get(topic) ?? []].filter(m => m !== id).map(m => this.members.get(m)!.peer),
      addEventListener: () => {},
      removeEventListener: () => {},
      publish: async (topic: string, data: Uint8Array) => ({ recipients: await this.publish(id, topic, data) })
    } as unknown as GroupPubSub
    const content = new ContentHandlers()
    registerConversationHandlers(content, store.messages, store.settings, TIMER_SECONDS)
    const messaging = new GroupMessaging({
      groups,
      senderKeys: new SenderKeys(provider, store.senderChains, async ops => store.apply(ops), id),
      pubsub,
      messages: store.messages,
      content,
      identity,
      self: peer,
      provider,
      sendSenderKey: async (to, key) => this.members.get(to)!.messaging.takeSenderKey(id, key),
      sendReceipt: async (to, receipt) => this.members.get(to)!.messaging.takeReceipt(id, receipt),
      settings: store.settings,
      dial: async () => {},
      connected: () => true,
      log
    })
    await messaging.start()
    const member = { id, peer, identity, store, groups, messaging }
    this.members.set(id, member)
    return member
  }

  /** What gossipsub does with a published message: each other subscriber's validator, in turn */
  async publish (from: string, topic: string, data: Uint8Array): Promise<PeerId[]> {
    const reached: PeerId[] = []
    for (const to of this.subscribed.get(topic) ?? []) {
      if (to === from) continue
      const validate = this.validators.get(to)!.get(topic)
      if (validate == null) continue
      this.verdicts.push(await validate(this.members.get(from)!.peer, { data }))
      reached.push(this.members.get(to)!.peer)
    }
    return reached
  }

  async close (): Promise<void> {
    for (const m of this.members.values()) {
      await m.messaging.stop()
      await m.store.close()
    }
  }
}

const texts = async (m: Member, group: string): Promise<string[]> => (await m.store.messages.list({ conversation: group })).map(r => r.text)

describe('group messages between members', () => {
  let hub: Hub
  let alice: Member
  let bob: Member
  let carol: Member
  let group: string

  beforeEach(async () => {
    hub = new Hub()
    ;[alice, bob, carol] = [await hub.member(), await hub.member(), await hub.member()]
    group = (await alice.groups.create('Runners')).id
    await alice.groups.add(group, [bob.peer, carol.peer])
  })

  afterEach(async () => { await hub.close() })

  it('each member reads what another sends, once', async () => {
    await alice.messaging.send(group, 'five miles today')
    await bob.messaging.send(group, 'count me in')
    assert.deepEqual(await texts(carol, group), ['five miles today', 'count me in'])
    assert.deepEqual(await texts(bob, group), ['five miles today', 'count me in'])
  })

  it('replies, reactions, edits and deletions reach every member, each applied to the right message', async () => {
    const { message: question } = await alice.messaging.send(group, 'who has the map?')
    const { message: answer } = await bob.messaging.send(group, 'I do', { replyTo: { id: question.id, author: alice.id } })
    await carol.messaging.react(group, { id: answer.id, author: bob.id }, '👍')
    await alice.messaging.react(group, { id: answer.id, author: bob.id }, '🎉')
    await bob.messaging.edit(group, answer.id, 'I do, and the compass')
    const atCarol = await carol.store.messages.get(group, 'in', answer.id)
    assert.deepEqual(atCarol?.replyTo, { id: question.id, author: alice.id })
    assert.deepEqual(atCarol?.reactions, { [carol.id]: '👍', [alice.id]: '🎉' })
    assert.equal(atCarol?.text, 'I do, and the compass')
    assert.deepEqual((await bob.store.messages.get(group, 'out', answer.id))?.reactions, { [carol.id]: '👍', [alice.id]: '🎉' })

    await alice.messaging.deleteForEveryone(group, question.id)
    for (const m of [bob, carol]) {
      const gone = await m.store.messages.get(group, 'in', question.id)
      assert.deepEqual([gone?.deleted, gone?.text], [true, ''])
    }
  })

  it('the author counts the members its message reached and those who read it (with read receipts on)', async () => {
    const reached = waitForEvent<MessageRecord>(alice.messaging, 'status', m => m.deliveredTo?.length === 2, 10_000)
    const { message } = await alice.messaging.send(group, 'headcount')
    assert.deepEqual((await reached).deliveredTo?.sort(), [bob.id, carol.id].sort())

    await carol.store.settings.set({ readReceipts: false })
    const read = waitForEvent<MessageRecord>(alice.messaging, 'status', m => m.readBy?.length === 1, 10_000)
    assert.equal(await bob.messaging.markRead(group), 1)
    assert.equal(await carol.messaging.markRead(group), 1)
    assert.deepEqual((await read).readBy, [bob.id])
    assert.equal(await bob.messaging.markRead(group), 0, 'read already')
    // a receipt from someone who was never a member counts nothing
    const outsider = await hub.member()
    await alice.messaging.takeReceipt(outsider.id, { group: fromHex(group, 'base16'), delivered: [fromHex(message.id, 'base16')], read: [] })
    const stored = await alice.store.messages.get(group, 'out', message.id)
    assert.deepEqual([stored?.deliveredTo?.length, stored?.readBy], [2, [bob.id]])
  })

  it('a message sent under the group\'s timer disappears at the same time for every member', async () => {
    await alice.groups.setTimer(group, 3_600)
    const before = Date.now()
    const { message } = await bob.messaging.send(group, 'gone in an hour')
    assert.ok(message.expiresAt != null && message.expiresAt >= before + 3_600_000 && message.expiresAt <= Date.now() + 3_600_000)
    for (const m of [alice, carol]) assert.equal((await m.store.messages.get(group, 'in', message.id))?.expiresAt, message.expiresAt)
  })

  it('refuses a member\'s edit or deletion of another member\'s message, and a reaction to a stranger\'s', async () => {
    const { message } = await alice.messaging.send(group, 'original')
    // Bob's node, changed to send what the composer would never let it: an edit of Alice's text
    hub.verdicts.length = 0
    await (bob.messaging as any).publish(await bob.groups.record(group), { id: 'ab'.repeat(16), conversation: group, peer: group, direction: 'out', text: 'forged', timestamp: Date.now(), status: 'sending', seq: 0, kind: 'edit', target: { id: message.id, author: bob.id } }, {})
    await (bob.messaging as any).publish(await bob.groups.record(group), { id: 'ac'.repeat(16), conversation: group, peer: group, direction: 'out', text: '', timestamp: Date.now(), status: 'sending', seq: 0, kind: 'delete', target: { id: message.id, author: bob.id } }, {})
    const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    await (bob.messaging as any).publish(await bob.groups.record(group), { id: 'ad'.repeat(16), conversation: group, peer: group, direction: 'out', text: '', timestamp: Date.now(), status: 'sending', seq: 0, kind: 'reaction', target: { id: message.id, author: stranger }, emoji: '👎' }, {})
    assert.deepEqual(hub.verdicts, ['reject', 'reject', 'reject', 'reject', 'reject', 'reject'])
    const atCarol = await carol.store.messages.get(group, 'in', message.id)
    assert.deepEqual([atCarol?.text, atCarol?.deleted, atCarol?.reactions], ['original', undefined, undefined])
    await assert.rejects(bob.messaging.edit(group, message.id, 'mine now'), { name: 'MessageNotEditableError' })
  })

  it('pads what it sends: a short and a longer text are as long (but for a few bytes), and no shorter than the least a mailbox storer takes', async () => {
    const published: Uint8Array[] = []
    const publish = hub.publish.bind(hub)
    hub.publish = async (from, on, data) => { published.push(data); return publish(from, on, data) }
    await alice.messaging.send(group, 'k')
    await alice.messaging.send(group, 'k'.repeat(200))
    // (the chain's position, a varint, is all that differs)
    assert.ok(Math.abs(published[0].byteLength - published[1].byteLength) <= 4, `${published[0].byteLength} and ${published[1].byteLength} bytes`)
    assert.ok(Math.min(published[0].byteLength, published[1].byteLength) >= MIN_ENVELOPE_BYTES, `${published[0].byteLength} bytes`)
    assert.deepEqual(await texts(bob, group), ['k', 'k'.repeat(200)])
  })

  it('replaces its own key once it is a week old, and the members read on across the change', async () => {
    const published: Uint8Array[] = []
    const publish = hub.publish.bind(hub)
    hub.publish = async (from, on, data) => { published.push(data); return publish(from, on, data) }
    const keyOf = async (data: Uint8Array): Promise<string> => {
      const secret = GroupSecret.from(provider, (await alice.groups.record(group)).currentSecret()!.secret)
      return keyIdOf((await openEnvelope(provider, secret, data)).message).keyId
    }
    await alice.messaging.send(group, 'monday')
    await alice.messaging.send(group, 'tuesday')
    const record = await alice.groups.record(group)
    await alice.groups.setKeyEpoch(group, record.keyEpoch, Date.now() - SENDER_KEY_MAX_AGE_MS + 60_000)
    await alice.messaging.send(group, 'six days on')
    await alice.groups.setKeyEpoch(group, record.keyEpoch, Date.now() - SENDER_KEY_MAX_AGE_MS)
    await alice.messaging.send(group, 'a week on')
    const keys = await Promise.all(published.map(keyOf))
    assert.equal(new Set(keys.slice(0, 3)).size, 1, 'the same key for six days')
    assert.notEqual(keys[3], keys[0], 'a new key after a week')
    assert.deepEqual(await texts(bob, group), ['monday', 'tuesday', 'six days on', 'a week on'])
    assert.ok((await alice.groups.record(group)).keyMadeAt > Date.now() - 60_000)
  })

  it('a flood from one member is taken up to its burst; the others are heard meanwhile', async () => {
    await bob.messaging.send(group, 'warm up')
    hub.verdicts.length = 0
    for (let i = 0; i < 2 * MEMBER_BURST; i++) await bob.messaging.send(group, `spam ${i}`)
    await alice.messaging.send(group, 'stop it, Bob')
    const atCarol = await texts(carol, group)
    assert.equal(atCarol.filter(t => t.startsWith('spam')).length, MEMBER_BURST - 1, 'the burst, less the first message')
    assert.equal(atCarol.at(-1), 'stop it, Bob')
    assert.ok(hub.verdicts.includes('ignore'))
  })

  it('refuses a message from someone not a member, and one its author\'s chain did not sign', async () => {
    const mallory = await hub.member()
    // Mallory has the epoch secret (say a member leaked it) but is not a member
    const record = await alice.groups.record(group)
    const secret = GroupSecret.from(provider, record.currentSecret()!.secret)
    const topic = await secret.topic()
    const content = encodeContent({ id: new Uint8Array(16).fill(9), timestamp: 1n, delivers: [], text: 'free tickets' })
    hub.verdicts.length = 0
    await hub.publish(mallory.id, topic, await sealEnvelope(provider, secret, mallory.identity, content))
    assert.deepEqual(hub.verdicts, ['reject', 'reject', 'reject'], 'not a member')

    // Alice's real message, altered and sealed again in her name: her chain's signature fails
    let published: Uint8Array | undefined
    const publish = hub.publish.bind(hub)
    hub.publish = async (from, on, data) => { published ??= data; return publish(from, on, data) }
    await alice.messaging.send(group, 'meet at the gate')
    const { message } = await openEnvelope(provider, secret, published!)
    const altered = new Uint8Array(message)
    altered[altered.length - 70] ^= 1
    hub.verdicts.length = 0
    await hub.publish(mallory.id, topic, await sealEnvelope(provider, secret, alice.identity, altered))
    assert.deepEqual(hub.verdicts, ['ignore', 'reject', 'reject'], 'Alice ignores her own; the others refuse it')
    assert.deepEqual(await texts(bob, group), ['meet at the gate'])
  })
})
