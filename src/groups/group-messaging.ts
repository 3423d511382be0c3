import { TopicValidatorResult } from '@libp2p/gossipsub'
import { TypedEventEmitter } from 'main-event'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { pad } from '../crypto/padding.ts'
import { encodeContent } from '../messenger/content.ts'
import { MAX_RATED_MEMBERS, MEMBER_BURST, MEMBER_MESSAGES_PER_MINUTE } from './constants.ts'
import { NotGroupMemberError } from './errors.ts'
import { GroupComposer } from './group-composer.ts'
import { takeGroupContent } from './group-incoming.ts'
import { GroupKeyExchange } from './group-key-exchange.ts'
import { GroupReceipts } from './group-receipts.ts'
import { GroupSecret } from './group-secret.ts'
import { GroupTopics } from './group-topics.ts'
import { HeldGossip, writtenAt } from './held-gossip.ts'
import { MemberRate } from './member-rate.ts'
import { openEnvelope, sealEnvelope } from './sender-keys/group-envelope.ts'
import type { GroupSendResult, Published } from './group-composer.ts'
import type { GroupMailbox } from './group-mailbox.ts'
import type { EpochSecret, GroupRecord } from './group-record.ts'
import type { Groups } from './groups.ts'
import type { ReadableMessage } from './held-gossip.ts'
import type { WaitingMessage } from './missing-keys.ts'
import type { SenderKeys } from './sender-keys/sender-keys.ts'
import type { CryptoProvider } from '../crypto/provider/types.ts'
import type { ContentHandlers } from '../messenger/content-handlers.ts'
import type { MessengerEvents } from '../messenger/events.ts'
import type { GroupReceipt, SenderKey } from '../messenger/pb/content.ts'
import type { FileSummary, MessageRecord, MessageRef, MessageStore, SettingsStore, WriteOptions } from '../storage/types.ts'
import type { GossipSub } from '@libp2p/gossipsub'
import type { AbortOptions, Logger, PeerId, PrivateKey } from '@libp2p/interface'

export type { GroupSendResult } from './group-composer.ts'

/** What group messaging needs of gossipsub (libp2p's `services.pubsub`) */
export type GroupPubSub = Pick<GossipSub, 'subscribe' | 'unsubscribe' | 'publish' | 'topicValidators' | 'getSubscribers' | 'addEventListener' | 'removeEventListener'>

/**
 * What group messaging announces, as the messenger does for direct conversations (the
 * conversation is the group's id): a member's new message; this node's message published (its
 * status, later the storers holding it and the members it reached or who read it); a message
 * changed in place (a reaction, an edit, a deletion for everyone), and one deleted, for the parts
 * that erase what it carried; a group read here; a member's file offered (for file transfers)
 */
export type GroupMessagingEvents = Pick<MessengerEvents, 'message' | 'status' | 'changed' | 'deleted' | 'read' | 'transfer'>

export interface GroupMessagingComponents {
  groups: Groups
  senderKeys: SenderKeys
  pubsub: GroupPubSub
  messages: MessageStore
  /** The messenger's content handlers: a group message is read as a direct one is */
  content: ContentHandlers
  identity: PrivateKey
  self: PeerId
  provider: CryptoProvider
  /** Hands a sender key (or a request for one) to a member over the pairwise session, through the outbox */
  sendSenderKey: (peer: string, key: SenderKey) => Promise<void>
  /** Hands a delivery or read receipt to a message's author over the pairwise session, through the outbox */
  sendReceipt: (author: string, receipt: GroupReceipt) => Promise<void>
  /** The user's settings: read receipts are sent and counted only while they are on */
  settings: SettingsStore
  /** Opens a connection to a member, so that gossipsub can reach it (failures are the caller's to ignore) */
  dial: (peer: string) => Promise<void>
  /** Whether this node has an open connection to `peer` */
  connected: (peer: string) => boolean
  /** Where each message is also left for the members offline; none, online members only */
  mailbox?: GroupMailbox
  /** A message stored here disappears at `at` (the messenger's disappearing timer) */
  expires?: (at: number | undefined) => void
  log: Logger
}

const { Accept: ACCEPT, Ignore: IGNORE, Reject: REJECT } = TopicValidatorResult

/** An epoch's secret, ready to open envelopes with */
type OpenedSecret = EpochSecret & { opened: GroupSecret }

/** A group message opened and decrypted, or what gossipsub is to do with it */
type Unsealed = { author: string, plaintext: Uint8Array } | { verdict: TopicValidatorResult }

/** When a decrypted group message says it was written (its author's clock; 0 if it does not decode) */
/**
 * Messages to a group: encrypted once with this node's sender key, wrapped so that only members
 * of the epoch learn the author, published on the group's gossipsub topic (a name derived from
 * the epoch's secret) and left once in the group's mailbox. Members take a message in the
 * topic's validator: one that does not open, is not from a member or does not verify is
 * rejected, and gossipsub does not pass it on. A message whose author's key has not arrived
 * waits (bounded) while the author is asked for it (`GroupKeyExchange`).
 */
export class GroupMessaging extends TypedEventEmitter<GroupMessagingEvents> {
  private readonly groups: Groups
  private readonly senderKeys: SenderKeys
  private readonly pubsub: GroupPubSub
  private readonly messages: MessageStore
  private readonly content: ContentHandlers
  private readonly identity: PrivateKey
  private readonly self: string
  private readonly provider: CryptoProvider
  private readonly mailbox?: GroupMailbox
  private readonly expires: (at: number | undefined) => void
  private readonly keys: GroupKeyExchange
  private readonly composer: GroupComposer
  private readonly receipts: GroupReceipts
  readonly log: Logger
  /** The groups' gossip topics, and the members reached for them */
  private readonly topics: GroupTopics
  /** group -> members as last seen, to hand this node's key to those added since */
  private readonly members = new Map<string, Set<string>>()
  /** Deposits under way (a stop waits for them; one cut short is pending on disk) */
  private readonly deposits = new Set<Promise<void>>()
  /** What gossip brought before a group's mailbox was read since the start */
  private readonly held: HeldGossip
  /** How fast each member's messages are taken */
  private readonly rate = new MemberRate(MEMBER_BURST, MEMBER_MESSAGES_PER_MINUTE, MAX_RATED_MEMBERS)
  private readonly onGroup = (evt: CustomEvent<{ id: string }>): void => {
    this.follow(evt.detail.id).catch(err => { this.log.error('following group %s failed - %e', evt.detail.id, err) })
  }

  constructor (components: GroupMessagingComponents) {
    super()
    this.groups = components.groups
    this.senderKeys = components.senderKeys
    this.pubsub = components.pubsub
    this.messages = components.messages
    this.content = components.content
    this.identity = components.identity
    this.self = components.self.toString()
    this.provider = components.provider
    this.mailbox = components.mailbox
    this.expires = components.expires ?? (() => {})
    this.log = components.log
    this.topics = new GroupTopics({
      pubsub: this.pubsub,
      self: this.self,
      take: async (group, topic, data) => this.take(group, topic, data),
      dial: components.dial,
      connected: components.connected,
      log: this.log
    })
    this.held = new HeldGossip({ release: async (group, messages) => this.deliverInOrder(await this.groups.record(group), messages) })
    this.keys = new GroupKeyExchange({
      groups: this.groups,
      senderKeys: this.senderKeys,
      self: this.self,
      sendSenderKey: components.sendSenderKey,
      reread: async (group, waiting) => this.readWaiting(group, waiting),
      log: this.log
    })
    this.composer = new GroupComposer({
      messages: this.messages,
      self: this.self,
      record: async (idOrName, options) => this.memberRecord(idOrName, options),
      publish: async (record, message, options) => this.publish(record, message, options),
      expires: this.expires,
      emit: (type, record) => { this.safeDispatchEvent(type, { detail: record }) }
    })
    this.receipts = new GroupReceipts({
      groups: this.groups,
      messages: this.messages,
      settings: components.settings,
      send: components.sendReceipt,
      emit: record => { this.safeDispatchEvent('status', { detail: record }) },
      log: this.log
    })
  }

  /** Joins the topics of every group this node is a member of, and follows their changes */
  async start (options: AbortOptions = {}): Promise<void> {
    this.groups.addEventListener('group', this.onGroup)
    for (const state of await this.groups.list(options)) {
      this.held.hold(state.id)
      await this.follow(state.id, { greet: false })
    }
  }

  /**
   * The group's mailbox was read once since the start (`GroupCatchUp`): what gossip brought
   * meanwhile is taken now, in the order it was written
   */
  async caughtUp (group: string): Promise<void> {
    await this.held.release(group)
  }

  /** Leaves every group's topic; resolves once the deposits under way have ended */
  async stop (): Promise<void> {
    this.groups.removeEventListener('group', this.onGroup)
    this.held.clear()
    this.topics.leaveAll()
    await this.receipts.stop()
    await Promise.allSettled(this.deposits)
  }

  /**
   * Sends a text to a group (quoting an earlier message of it, `replyTo`): stored in its
   * history, published to the members online, and left once in the group's mailbox for those
   * offline. Resolves once published: the record (`delivered` when gossipsub handed it to at
   * least one member, else `queued`), how many members gossipsub handed it to directly, and how
   * many others the group has. The deposit goes on after (noted on disk first, so nothing is
   * lost to a stop); its storers land in the record's `holders` and a `status` event.
   *
   * @throws {NotGroupMemberError} when this node is not a member of the group
   */
  async send (idOrName: string, text: string, options: AbortOptions & { replyTo?: MessageRef } = {}): Promise<GroupSendResult> {
    return this.composer.send(idOrName, text, options)
  }

  /**
   * Offers a file to the group (`FileTransfers.sendToGroup` makes the transfer): the message,
   * stored with `options.also` (the transfer's record), published as `send` publishes a text
   */
  async sendFile (idOrName: string, file: FileSummary, options: WriteOptions = {}): Promise<GroupSendResult> {
    return this.composer.sendFile(idOrName, file, options)
  }

  /** Reacts to any member's message with one emoji (empty takes this user's reaction back) */
  async react (idOrName: string, target: MessageRef, emoji: string, options: AbortOptions = {}): Promise<MessageRecord> {
    return this.composer.react(idOrName, target, emoji, options)
  }

  /** Replaces the text of one of this user's messages, for every member */
  async edit (idOrName: string, id: string, text: string, options: AbortOptions = {}): Promise<MessageRecord> {
    return this.composer.edit(idOrName, id, text, options)
  }

  /** Deletes one of this user's messages for every member */
  async deleteForEveryone (idOrName: string, id: string, options: AbortOptions = {}): Promise<MessageRecord> {
    return this.composer.remove(idOrName, id, options)
  }

  /**
   * Marks a group read; with read receipts on, each author learns which of its messages were
   * read. Resolves with how many were unread.
   */
  async markRead (idOrName: string, options: AbortOptions = {}): Promise<number> {
    const record = await this.groups.record(idOrName, options)
    const read = await this.receipts.markRead(record.id, options)
    this.safeDispatchEvent('read', { detail: { conversation: record.id } })
    return read
  }

  /** A member's receipt for messages of this node's (the `group-receipt` content kind) */
  async takeReceipt (from: string, receipt: GroupReceipt, options: AbortOptions = {}): Promise<void> {
    await this.receipts.take(from, receipt, options)
  }

  /** A member's sender key, or its request for this node's (the `sender-key` content kind) */
  async takeSenderKey (from: string, key: SenderKey, options: AbortOptions = {}): Promise<void> {
    await this.keys.take(from, key, options)
  }

  /**
   * Reads envelopes fetched from the mailbox of an epoch of `group`: decrypted in the order
   * given, stored in the order their authors wrote them (storers stamp each deposit as it comes,
   * and two members' deposits may land in either order)
   */
  async takeFromMailbox (group: string, secret: EpochSecret, envelopes: Uint8Array[]): Promise<void> {
    const record = await this.groups.record(group)
    const opened = GroupSecret.from(this.provider, secret.secret)
    const readable: ReadableMessage[] = []
    for (const data of envelopes) {
      const unsealed = await this.unseal(record, { ...secret, opened }, data, { rated: false })
      if ('author' in unsealed) readable.push({ ...unsealed, writtenAt: writtenAt(unsealed.plaintext) })
    }
    await this.deliverInOrder(record, readable)
  }

  /** Takes decrypted messages in the order their authors wrote them */
  private async deliverInOrder (record: GroupRecord, messages: ReadableMessage[]): Promise<void> {
    for (const { author, plaintext } of [...messages].sort((a, b) => a.writtenAt - b.writtenAt)) await this.deliver(record, author, plaintext)
  }

  /**
   * Encrypts a message of this node's for the group once (`message` says what it is, as the
   * content handlers write it), publishes it on the group's topic and leaves it in the group's
   * mailbox
   */
  private async publish (record: GroupRecord, message: MessageRecord, options: AbortOptions): Promise<Published> {
    const state = record.state()
    const secret = record.currentSecret()
    if (secret == null) throw new NotGroupMemberError(`no secret of group ${state.name}'s current epoch has arrived yet`)
    await this.keys.ownKey(record, options)
    const fields = await this.content.fieldsOf(message)
    // padded to a bucket, as 1:1 content is: a message's length tells relays and storers little
    const plaintext = pad(encodeContent({ id: fromHex(message.id, 'base16'), timestamp: BigInt(message.timestamp), delivers: [], ...fields }))
    const sealed = await this.senderKeys.encrypt(record.id, plaintext, options)
    const opened = GroupSecret.from(this.provider, secret.secret)
    const envelope = await sealEnvelope(this.provider, opened, this.identity, sealed)
    const topic = await opened.topic()
    this.topics.join(topic, record.id)
    const deposit = this.mailbox?.deposit({ group: record.id, id: message.id, envelope, sentAt: message.timestamp }, secret)
    if (deposit != null) this.track(record.id, message.id, deposit)
    await this.topics.ready(record.id, topic, state.members, options)
    const { recipients } = await this.pubsub.publish(topic, envelope)
    return { recipients: recipients.length, members: state.members.length - 1 }
  }

  /** The group `idOrName`, this node a member of it */
  private async memberRecord (idOrName: string, options: AbortOptions): Promise<GroupRecord> {
    const record = await this.groups.record(idOrName, options)
    if (!record.state().members.includes(this.self)) throw new NotGroupMemberError(`this node is not a member of group ${record.state().name}`)
    return record
  }

  /** Notes where a deposit landed when it ends (a history entry's `holders`) */
  private track (group: string, id: string, deposit: Promise<string[]>): void {
    const done = deposit.then(async holders => {
      const updated = holders.length > 0 ? await this.messages.setHolders(group, id, holders) : undefined
      if (updated != null) this.safeDispatchEvent('status', { detail: updated })
    }).catch(err => {
      this.log('leaving message %s in the mailbox of group %s failed - %s (it is tried again)', id, group, err.message)
    }).finally(() => { this.deposits.delete(done) })
    this.deposits.add(done)
  }

  /**
   * A group changed (or was read at start): subscribes to its current topics and leaves old
   * ones; hands this node's key to members added since; forgets the keys of members gone
   */
  private async follow (group: string, { greet } = { greet: true }): Promise<void> {
    const record = await this.groups.record(group)
    const state = record.state()
    const member = state.members.includes(this.self)
    const wanted = new Set<string>()
    if (member) {
      for (const { secret } of record.secretsOf(record.currentEpoch() ?? '')) {
        const topic = await GroupSecret.from(this.provider, secret).topic()
        wanted.add(topic)
        this.topics.join(topic, group)
      }
    }
    this.topics.leaveOthers(group, wanted)
    const before = this.members.get(group)
    const now = new Set(state.members)
    this.members.set(group, now)
    if (before != null) {
      for (const gone of [...before].filter(m => !now.has(m))) await this.senderKeys.forget(group, gone)
      if (member && record.keyEpoch === record.currentEpoch()) {
        // this node's key of this epoch, to members added since it was handed out
        for (const added of [...now].filter(m => !before.has(m) && m !== this.self)) await this.keys.handOwnKey(record, added)
      }
    }
    // gossipsub reaches only peers it is connected to: a send meanwhile waits for these
    if (member && greet) this.topics.reach(group, state.members)
  }

  /** A message published to a group's topic: read with the current epoch's secret of that topic */
  private async take (group: string, topic: string, data: Uint8Array): Promise<TopicValidatorResult> {
    try {
      const record = await this.groups.record(group)
      const secret = await this.secretOfTopic(record, topic)
      if (secret == null) return IGNORE
      return await this.read(record, secret, data, { rated: true })
    } catch (err: any) {
      this.log('a message in group %s refused - %s', group, err.message)
      return REJECT
    }
  }

  /**
   * A group message, from gossip or the group's mailbox, under an epoch's secret: read and
   * taken (accepted, so gossipsub passes it on), refused if it does not open, is not from a
   * member of that epoch, does not verify or a content handler refuses it, or kept waiting for
   * its author's key. `rated` (gossip) holds each member to its rate; the mailbox's storers hold
   * deposits to theirs, and what a member missed comes from there all at once. `retry` is a
   * message that waited for its author's key.
   */
  private async read (record: GroupRecord, secret: OpenedSecret, data: Uint8Array, options: { rated?: boolean, retry?: boolean }): Promise<TopicValidatorResult> {
    const opened = await this.unseal(record, secret, data, options)
    if ('verdict' in opened) return opened.verdict
    if (this.held.keep(record.id, opened)) return ACCEPT
    return this.deliver(record, opened.author, opened.plaintext)
  }

  /** Opens and decrypts a group message (see `read`): its author and plaintext, or what to tell gossipsub */
  private async unseal (record: GroupRecord, secret: OpenedSecret, data: Uint8Array, { rated = false, retry = false }): Promise<Unsealed> {
    const group = record.id
    try {
      const opened = await openEnvelope(this.provider, secret.opened, data)
      const author = opened.author.toString()
      if (author === this.self) return { verdict: IGNORE }
      if (!record.membersDuring(secret.epoch).has(author)) {
        this.log('a message in group %s from %s, not a member, refused', group, author)
        return { verdict: REJECT }
      }
      if (rated && !retry && !this.rate.take(group, author)) {
        this.log('%s sends to group %s faster than its members take: ignored', author, group)
        return { verdict: IGNORE }
      }
      try {
        return { author, plaintext: await this.senderKeys.decrypt(group, author, opened.message) }
      } catch (err: any) {
        if (err.name !== 'MissingSenderKeyError') throw err
        await this.keys.keyMissing(group, author, { secret, data }, opened.message)
        // passed on all the same: it opened under the epoch's secret and names a member, and the
        // author's key travels beside it (pairwise) to every member. Held back here, it reached
        // only the members the author was connected to (CI: a member's first message of an
        // epoch never reached a third member it had no connection to)
        return { verdict: retry ? IGNORE : ACCEPT }
      }
    } catch (err: any) {
      this.log('a message in group %s refused - %s', group, err.message)
      return { verdict: err.name === 'OldSenderKeyMessageError' ? IGNORE : REJECT }
    }
  }

  /** Takes a decrypted group message through the content handlers, and announces what it did */
  private async deliver (record: GroupRecord, author: string, plaintext: Uint8Array): Promise<TopicValidatorResult> {
    try {
      const { added, announced } = await takeGroupContent({ content: this.content, messages: this.messages, self: this.self }, record, author, plaintext)
      if (added != null) {
        this.expires(added.expiresAt)
        this.receipts.delivered(record.id, author, added.id)
        this.safeDispatchEvent('message', { detail: added })
      }
      for (const { type, detail } of announced) {
        if (type === 'status' || type === 'changed' || type === 'deleted' || type === 'transfer') this.safeDispatchEvent(type, { detail })
      }
      return ACCEPT
    } catch (err: any) {
      this.log('a message in group %s from %s refused - %s', record.id, author, err.message)
      return REJECT
    }
  }

  /** The secret of the current epoch whose topic is `topic` */
  private async secretOfTopic (record: GroupRecord, topic: string): Promise<OpenedSecret | undefined> {
    for (const secret of record.secretsOf(record.currentEpoch() ?? '')) {
      const opened = GroupSecret.from(this.provider, secret.secret)
      if (await opened.topic() === topic) return { ...secret, opened }
    }
  }

  private async readWaiting (group: string, waiting: WaitingMessage[]): Promise<void> {
    const record = await this.groups.record(group)
    for (const { secret, data } of waiting) {
      await this.read(record, { ...secret, opened: GroupSecret.from(this.provider, secret.secret) }, data, { retry: true })
    }
  }
}
