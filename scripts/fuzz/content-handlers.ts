import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MemoryLevel } from 'memory-level'
import { Contacts } from '../../src/messenger/contacts.ts'
import { decodeContent, encodeContent } from '../../src/messenger/content.ts'
import { ContentHandlers } from '../../src/messenger/content-handlers.ts'
import { TIMER_SECONDS } from '../../src/messenger/constants.ts'
import { registerConversationHandlers } from '../../src/messenger/handlers/index.ts'
import { encodeRef } from '../../src/messenger/message-ref.ts'
import { ReceivePipeline } from '../../src/messenger/receive-pipeline.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { nodeCryptoProvider } from '../../src/crypto/provider/index.ts'
import { signChange } from '../../src/groups/change.ts'
import { groupReceiptHandler, groupUpdateHandler, senderKeyHandler } from '../../src/groups/group-content.ts'
import { GroupMessaging } from '../../src/groups/group-messaging.ts'
import { Groups } from '../../src/groups/groups.ts'
import { distributionOf, newSenderChain } from '../../src/groups/sender-keys/sender-chain.ts'
import { SenderKeys } from '../../src/groups/sender-keys/sender-keys.ts'
import type { GroupPubSub } from '../../src/groups/group-messaging.ts'
import type { DecoderTarget } from './decoders.ts'
import type { OpenedMessage, SessionCipher } from '../../src/crypto/session/session-cipher.ts'
import type { Db } from '../../src/storage/tables.ts'

/**
 * What a contact's node does with any decrypted content: the receive pipeline and every
 * conversation handler (text, receipts, reactions, edits, deletions, timers, reads, typing, and
 * groups' updates and sender keys, from a member of a group this node is in) on
 * a real store, the bytes standing for what a session opened. Each input must be stored,
 * ignored or refused with an Error; the store is shared across inputs, so later ones meet the
 * messages, reactions and tombstones earlier ones left.
 */
export async function contentHandlersTarget (): Promise<DecoderTarget> {
  const aliceIdentity = await generateKeyPair('Ed25519')
  const store = new LevelStore(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db)
  await store.open()
  await store.settings.set({ typingIndicators: true })
  const selfKey = await generateKeyPair('Ed25519')
  const self = peerIdFromPrivateKey(selfKey)
  const alice = peerIdFromPrivateKey(aliceIdentity)
  const contacts = new Contacts(store.contacts, self, () => {})
  await contacts.add(alice, 'alice')
  const handlers = new ContentHandlers()
  registerConversationHandlers(handlers, store.messages, store.settings, TIMER_SECONDS)
  // groups: updates and sender keys from Alice, who made a group with this node in it
  const provider = nodeCryptoProvider()
  const aliceKey = await generateKeyPair('Ed25519')
  const groups = new Groups({ store: store.groups, identity: selfKey, self, provider, send: async () => {}, log: defaultLogger().forComponent('fuzz') })
  const messaging = new GroupMessaging({
    groups,
    senderKeys: new SenderKeys(provider, store.senderChains, async ops => store.apply(ops), self.toString()),
    pubsub: { subscribe: () => {}, unsubscribe: () => {}, publish: async () => ({ recipients: [] }), topicValidators: new Map(), getSubscribers: () => [], addEventListener: () => {}, removeEventListener: () => {} } as unknown as GroupPubSub,
    messages: store.messages,
    content: handlers,
    identity: selfKey,
    self,
    provider,
    sendSenderKey: async () => {},
    sendReceipt: async () => {},
    settings: store.settings,
    dial: async () => {},
    connected: () => false,
    log: defaultLogger().forComponent('fuzz')
  })
  handlers.register('group', groupUpdateHandler(groups))
  handlers.register('sender-key', senderKeyHandler(messaging))
  handlers.register('group-receipt', groupReceiptHandler(messaging))
  const group = new Uint8Array(16).fill(3)
  const create = await signChange(aliceKey, { group, parents: [], timestamp: 1n, create: { name: 'fuzzers' } })
  const add = await signChange(aliceKey, { group, parents: [fromHex(create.id, 'base16')], timestamp: 2n, add: { peers: [self.toMultihash().bytes] } })
  const aliceChain = await newSenderChain(provider)
  let plaintext: Uint8Array = new Uint8Array()
  const cipher = {
    async decrypt (_envelope: Uint8Array, commit: (opened: OpenedMessage) => Promise<void>): Promise<OpenedMessage> {
      const opened = { sender: alice, plaintext: plaintext as Uint8Array<ArrayBuffer>, sessionRecord: new Uint8Array([1]) }
      await commit(opened)
      return opened
    }
  }
  const pipeline = new ReceivePipeline({
    messages: store.messages,
    keys: store.keys,
    cipher: cipher as unknown as SessionCipher,
    contacts,
    handlers,
    requestQuota: { added: async () => {} },
    enqueueControl: async () => {},
    emit: () => {},
    log: defaultLogger().forComponent('fuzz'),
    self: self.toString()
  })
  // one of each kind, naming a message that is there: mutations reach every handler's checks
  const id = new Uint8Array(16).fill(7)
  const ref = encodeRef({ id: '07'.repeat(16), author: alice.toString() })
  const base = { id, timestamp: 1n, delivers: [] }
  const seeds = [
    { ...base, text: 'hi', replyTo: { message: ref }, expiresAt: BigInt(Date.now() + 3_600_000) },
    { ...base, reaction: { message: ref, emoji: '👍' } },
    { ...base, edit: { messageId: id, text: 'edited' } },
    { ...base, delete: { messageId: id } },
    { ...base, timer: { seconds: 30 } },
    { ...base, read: { ids: [id] } },
    { ...base, typing: { typing: true } },
    { ...base, delivers: [id] },
    { ...base, group: { group, changes: [create.bytes, add.bytes] as Array<Uint8Array<ArrayBuffer>>, secrets: [{ epoch: fromHex(create.id, 'base16'), secret: new Uint8Array(32).fill(5), from: alice.toMultihash().bytes }] } },
    { ...base, senderKey: { group, distribution: distributionOf(aliceChain, group) as Uint8Array<ArrayBuffer>, wantedKeyId: new Uint8Array(0), wantedIteration: 0 } },
    { ...base, senderKey: { group, distribution: new Uint8Array(0), wantedKeyId: new Uint8Array(16).fill(1), wantedIteration: 3 } },
    { ...base, groupReceipt: { group, delivered: [id], read: [id] } }
  ].map(content => encodeContent(content))
  return {
    name: 'messenger.handlers',
    decode: async bytes => {
      plaintext = bytes
      // as over a chat stream, whose id must match the encrypted one (a content that does not
      // decode is refused before the id matters)
      const outer = idOf(bytes)
      await pipeline.fromChat({ id: outer as Uint8Array<ArrayBuffer>, envelope: new Uint8Array(1), from: alice }, {})
    },
    seeds
  }
}

/** The id a content carries, or zeros for one that does not decode (which is refused anyway) */
function idOf (bytes: Uint8Array): Uint8Array {
  try {
    return decodeContent(bytes).id
  } catch {
    return new Uint8Array(16)
  }
}
