import { TopicValidatorResult } from '@libp2p/gossipsub'
import { TypedEventEmitter } from 'main-event'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { MESSAGE_ID_BYTES } from '../protocols/chat/index.ts'
import { pad, unpad } from '../crypto/padding.ts'
import { decodeContent, encodeContent, textFits } from '../messenger/content.ts'
import { GROUP_ID_BYTES, GROUP_PUBLISH_WAIT_MS, MAX_RATED_MEMBERS, MEMBER_BURST, MEMBER_MESSAGES_PER_MINUTE, SENDER_KEY_MAX_AGE_MS } from './constants.ts'
import { MemberRate } from './member-rate.ts'
import { MissingKeys } from './missing-keys.ts'
import { NotGroupMemberError } from './errors.ts'
import { GroupSecret } from './group-secret.ts'
import { openEnvelope, sealEnvelope } from './sender-keys/group-envelope.ts'
import { chainFromDistribution, keyIdOf } from './sender-keys/sender-chain.ts'
import { KEY_ID_BYTES } from './sender-keys/constants.ts'
import type { Groups } from './groups.ts'
import type { GroupMailbox } from './group-mailbox.ts'
import type { EpochSecret, GroupRecord } from './group-record.ts'
import type { SenderKeys } from './sender-keys/sender-keys.ts'
import type { CryptoProvider } from '../crypto/provider/types.ts'
import type { SenderKey } from '../messenger/pb/content.ts'
import type { MessageRecord, MessageStore } from '../storage/types.ts'
import type { GossipSub } from '@libp2p/gossipsub'
import type { AbortOptions, Logger, PeerId, PrivateKey } from '@libp2p/interface'

/** What group messaging needs of gossipsub (libp2p's `services.pubsub`) */
export type GroupPubSub = Pick<GossipSub, 'subscribe' | 'unsubscribe' | 'publish' | 'topicValidators' | 'getSubscribers' | 'addEventListener' | 'removeEventListener'>

export interface GroupMessagingEvents {
  /** A member's message arrived in a group (the conversation is the group's id) */
  message: CustomEvent<MessageRecord>
  /** This node's message to a group was published (its status says to how many it went) */
  status: CustomEvent<MessageRecord>
}

/** What became of a message sent to a group */
export interface GroupSendResult {
  message: MessageRecord
  /** The members gossipsub handed it to directly */
  delivered: number
  /** The group's other members */
  members: number
}

export interface GroupMessagingComponents {
  groups: Groups
  senderKeys: SenderKeys
  pubsub: GroupPubSub
  messages: MessageStore
  identity: PrivateKey
  self: PeerId
  provider: CryptoProvider
  /** Hands a sender key (or a request for one) to a member over the pairwise session, through the outbox */
  sendSenderKey: (peer: string, key: SenderKey) => Promise<void>
  /** Opens a connection to a member, so that gossipsub can reach it (failures are the caller's to ignore) */
  dial: (peer: string) => Promise<void>
  /** Whether this node has an open connection to `peer` */
  connected: (peer: string) => boolean
  /** Where each message is also left for the members offline; none, online members only */
  mailbox?: GroupMailbox
  log: Logger
}

const { Accept: ACCEPT, Ignore: IGNORE, Reject: REJECT } = TopicValidatorResult

/** An epoch's secret, ready to open envelopes with */
type OpenedSecret = EpochSecret & { opened: GroupSecret }

/**
 * Messages to a group: encrypted once with this node's sender key, wrapped so that only members
 * of the epoch learn the author, and published on the group's gossipsub topic, a name derived
 * from the epoch's secret. Members take a message in the topic's validator: a message that does
 * not open, is not from a member or does not verify is rejected, and gossipsub does not pass it
 * on. A message whose author's key has not arrived waits (bounded) while the author is asked
 * for it, and is read when the key comes: a lost sender key heals by itself.
 *
 * This node's sender key is new in each epoch (a member removed, or one who left, cannot read
 * what follows), made at the first message of the epoch and handed to every member then; a
 * member added later gets it when it joins.
 */
export class GroupMessaging extends TypedEventEmitter<GroupMessagingEvents> {
  private readonly groups: Groups
  private readonly senderKeys: SenderKeys
  private readonly pubsub: GroupPubSub
  private readonly messages: MessageStore
  private readonly identity: PrivateKey
  private readonly self: string
  private readonly provider: CryptoProvider
  private readonly sendSenderKey: GroupMessagingComponents['sendSenderKey']
  private readonly dial: GroupMessagingComponents['dial']
  private readonly connected: GroupMessagingComponents['connected']
  private readonly mailbox?: GroupMailbox
  /** Deposits under way (a stop waits for them; one cut short is pending on disk) */
  private readonly deposits = new Set<Promise<void>>()
  readonly log: Logger
  /** topic -> group id, for the topics this node is subscribed to */
  private readonly topics = new Map<string, string>()
  /** group -> members as last seen, to hand this node's key to those added since */
  private readonly members = new Map<string, Set<string>>()
  /** group -> the dials to its members its last change started (see `membersReached`) */
  private readonly reaching = new Map<string, Promise<void>>()
  /** Messages waiting for keys, and requests for keys both ways */
  private readonly missing = new MissingKeys()
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
    this.identity = components.identity
    this.self = components.self.toString()
    this.provider = components.provider
    this.sendSenderKey = components.sendSenderKey
    this.dial = components.dial
    this.connected = components.connected
    this.mailbox = components.mailbox
    this.log = components.log
  }

  /** Joins the topics of every group this node is a member of, and follows their changes */
  async start (options: AbortOptions = {}): Promise<void> {
    this.groups.addEventListener('group', this.onGroup)
    for (const state of await this.groups.list(options)) await this.follow(state.id, { greet: false })
  }

  /** Leaves every group's topic; resolves once the deposits under way have ended */
  async stop (): Promise<void> {
    this.groups.removeEventListener('group', this.onGroup)
    for (const topic of this.topics.keys()) {
      this.pubsub.topicValidators.delete(topic)
      this.pubsub.unsubscribe(topic)
    }
    this.topics.clear()
    await Promise.allSettled(this.deposits)
  }

  /**
   * Sends a text to a group: stored in its history, published to the members online, and left
   * once in the group's mailbox for those offline. Resolves once published: the record
   * (`delivered` when gossipsub handed it to at least one member, else `queued`), how many
   * members gossipsub handed it to directly, and how many others the group has. The deposit
   * goes on after (noted on disk first, so nothing is lost to a stop); its storers land in the
   * record's `holders` and a `status` event.
   *
   * @throws {NotGroupMemberError} when this node is not a member of the group
   */
  async send (idOrName: string, text: string, options: AbortOptions = {}): Promise<GroupSendResult> {
    const record = await this.groups.record(idOrName, options)
    const state = record.state()
    if (!state.members.includes(this.self)) throw new NotGroupMemberError(`this node is not a member of group ${state.name}`)
    const secret = record.currentSecret()
    if (secret == null) throw new NotGroupMemberError(`no secret of group ${state.name}'s current epoch has arrived yet`)
    await this.ownKeyForEpoch(record, options)
    const id = crypto.getRandomValues(new Uint8Array(MESSAGE_ID_BYTES))
    const timestamp = Date.now()
    // padded to a bucket, as 1:1 content is: a message's length tells relays and storers little
    const plaintext = pad(encodeContent({ id, timestamp: BigInt(timestamp), delivers: [], text }))
    const sealed = await this.senderKeys.encrypt(record.id, plaintext, options)
    const envelope = await sealEnvelope(this.provider, GroupSecret.from(this.provider, secret.secret), this.identity, sealed)
    const stored = await this.messages.addOutgoing({
      id: toHex(id, 'base16'), conversation: record.id, peer: record.id, direction: 'out', text, timestamp, status: 'sending'
    }, { ...options, outbox: false })
    const topic = await GroupSecret.from(this.provider, secret.secret).topic()
    this.join(topic, record.id)
    await this.membersReached(record.id, options)
    await this.connectedMembersListen(topic, state.members, options)
    const deposit = this.mailbox?.deposit({ group: record.id, id: stored.id, envelope, sentAt: timestamp }, secret)
    if (deposit != null) this.track(record.id, stored.id, deposit)
    const { recipients } = await this.pubsub.publish(topic, envelope)
    const updated = await this.messages.setStatus(record.id, stored.id, recipients.length > 0 ? 'delivered' : 'queued')
    const message = updated ?? stored
    this.safeDispatchEvent('status', { detail: message })
    return { message, delivered: recipients.length, members: state.members.length - 1 }
  }

  /** Reads envelopes fetched from the mailbox of an epoch of `group`, in the order given */
  async takeFromMailbox (group: string, secret: EpochSecret, envelopes: Uint8Array[]): Promise<void> {
    const record = await this.groups.record(group)
    const opened = GroupSecret.from(this.provider, secret.secret)
    for (const data of envelopes) await this.read(record, { ...secret, opened }, data, { rated: false })
  }

  /** Notes where a deposit landed when it ends */
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
   * Resolves once the dials to the group's members that its last change started are done, or
   * after GROUP_PUBLISH_WAIT_MS: the first message right after a group is made or joined would
   * otherwise go out before any member is connected
   */
  private async membersReached (group: string, options: AbortOptions): Promise<void> {
    const reaching = this.reaching.get(group)
    if (reaching == null) return
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([
      reaching,
      new Promise<void>(resolve => { timer = setTimeout(resolve, GROUP_PUBLISH_WAIT_MS) }),
      ...options.signal != null ? [new Promise<void>(resolve => { options.signal?.addEventListener('abort', () => { resolve() }, { once: true }) })] : []
    ])
    clearTimeout(timer)
  }

  /**
   * Resolves once every member this node is connected to has subscribed to `topic`, or after
   * GROUP_PUBLISH_WAIT_MS: right after a group is joined (or its epoch changes) the members'
   * subscriptions take a moment to arrive, and gossipsub hands a message only to the peers it
   * knows are subscribed (the group mailbox is for those offline)
   */
  private async connectedMembersListen (topic: string, members: string[], options: AbortOptions): Promise<void> {
    const listening = (): boolean => {
      const subscribed = new Set(this.pubsub.getSubscribers(topic).map(String))
      return members.every(m => m === this.self || subscribed.has(m) || !this.connected(m))
    }
    if (listening()) return
    await new Promise<void>(resolve => {
      const done = (): void => {
        clearTimeout(timer)
        this.pubsub.removeEventListener('subscription-change', onChange)
        options.signal?.removeEventListener('abort', done)
        resolve()
      }
      const onChange = (): void => { if (listening()) done() }
      const timer = setTimeout(done, GROUP_PUBLISH_WAIT_MS)
      this.pubsub.addEventListener('subscription-change', onChange)
      options.signal?.addEventListener('abort', done)
    })
  }

  /** A member's sender key, or its request for this node's (the `sender-key` content kind) */
  async takeSenderKey (from: string, key: SenderKey, options: AbortOptions = {}): Promise<void> {
    if (key.group.byteLength !== GROUP_ID_BYTES) return
    const group = toHex(key.group, 'base16')
    const record = await this.groups.record(group, options).catch(() => undefined)
    if (record == null || !record.state().members.includes(from) || !record.state().members.includes(this.self)) {
      this.log('a sender key for group %s from %s, who is not a member with this node, ignored', group, from)
      return
    }
    if (key.distribution.byteLength > 0) {
      const { group: named } = chainFromDistribution(key.distribution)
      if (toHex(named, 'base16') !== group) return
      await this.senderKeys.take(group, from, key.distribution, options)
      // not awaited: this runs inside the decrypt of the message that brought the key, and
      // reading what waited for it stores messages, which waits for that decrypt to finish
      this.readWaiting(group, from).catch(err => { this.log.error('reading the messages that waited for the key of %s failed - %e', from, err) })
      return
    }
    if (key.wantedKeyId.byteLength !== KEY_ID_BYTES) return
    if (!this.missing.shouldAnswer(group, from)) {
      this.log('%s asked for this node\'s key in group %s too often: not answered', from, group)
      return
    }
    this.log('%s asked for this node\'s key in group %s', from, group)
    await this.ownKeyForEpoch(record, options)
    const distribution = await this.senderKeys.distribution(group, from, key.wantedIteration, options)
    await this.sendSenderKey(from, { group: key.group, distribution: distribution as Uint8Array<ArrayBuffer>, wantedKeyId: new Uint8Array(0), wantedIteration: 0 })
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
        this.join(topic, group)
      }
    }
    for (const [topic, of] of this.topics) {
      if (of === group && !wanted.has(topic)) this.leave(topic)
    }
    const before = this.members.get(group)
    const now = new Set(state.members)
    this.members.set(group, now)
    if (before != null) {
      for (const gone of [...before].filter(m => !now.has(m))) await this.senderKeys.forget(group, gone)
      if (member && record.keyEpoch === record.currentEpoch()) {
        // this node's key of this epoch, to members added since it was handed out
        for (const added of [...now].filter(m => !before.has(m) && m !== this.self)) await this.handOwnKey(record, added)
      }
    }
    if (member && greet) {
      // gossipsub reaches only peers it is connected to: a send meanwhile waits for these
      const dials = state.members.filter(m => m !== this.self).slice(0, 8).map(async peer => this.dial(peer).catch(err => {
        this.log('could not reach %s of group %s - %s', peer, group, err.message)
      }))
      const reached = Promise.all(dials).then(() => {})
      this.reaching.set(group, reached)
      void reached.then(() => { if (this.reaching.get(group) === reached) this.reaching.delete(group) })
    }
  }

  /**
   * Makes this node a new key if it has none of the current epoch, or if its key is
   * SENDER_KEY_MAX_AGE_MS old (a key taken from a device reads no more than that), handing it
   * to every member
   */
  private async ownKeyForEpoch (record: GroupRecord, options: AbortOptions): Promise<void> {
    const epoch = record.currentEpoch()
    if (record.keyEpoch === epoch && Date.now() - record.keyMadeAt < SENDER_KEY_MAX_AGE_MS) return
    await this.senderKeys.rotate(record.id, options)
    await this.groups.setKeyEpoch(record.id, epoch, Date.now(), options)
    for (const peer of record.state().members.filter(m => m !== this.self)) await this.handOwnKey(record, peer)
  }

  private async handOwnKey (record: GroupRecord, peer: string): Promise<void> {
    const distribution = await this.senderKeys.distribution(record.id, peer)
    await this.sendSenderKey(peer, { group: fromHex(record.id, 'base16'), distribution: distribution as Uint8Array<ArrayBuffer>, wantedKeyId: new Uint8Array(0), wantedIteration: 0 })
  }

  private join (topic: string, group: string): void {
    if (this.topics.has(topic)) return
    this.topics.set(topic, group)
    this.pubsub.topicValidators.set(topic, async (_peer, message) => this.take(topic, message.data))
    this.pubsub.subscribe(topic)
  }

  /** A message published to a group's topic: read with the current epoch's secret of that topic */
  private async take (topic: string, data: Uint8Array): Promise<TopicValidatorResult> {
    const group = this.topics.get(topic)
    if (group == null) return IGNORE
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

  private leave (topic: string): void {
    this.topics.delete(topic)
    this.pubsub.topicValidators.delete(topic)
    this.pubsub.unsubscribe(topic)
  }

  /**
   * A group message, from gossip or the group's mailbox, under an epoch's secret: read and
   * stored (accepted, so gossipsub passes it on), refused if it does not open, is not from a
   * member of that epoch or does not verify, or kept waiting for its author's key. `rated`
   * (gossip) holds each member to its rate; the mailbox's storers hold deposits to theirs, and
   * what a member missed comes from there all at once. `retry` is a message that waited for its
   * author's key.
   */
  private async read (record: GroupRecord, secret: OpenedSecret, data: Uint8Array, { rated = false, retry = false }): Promise<TopicValidatorResult> {
    const group = record.id
    try {
      const opened = await openEnvelope(this.provider, secret.opened, data)
      const author = opened.author.toString()
      if (author === this.self) return IGNORE
      if (!record.membersDuring(secret.epoch).has(author)) {
        this.log('a message in group %s from %s, not a member, refused', group, author)
        return REJECT
      }
      if (rated && !retry && !this.rate.take(group, author)) {
        this.log('%s sends to group %s faster than its members take: ignored', author, group)
        return IGNORE
      }
      let plaintext: Uint8Array
      try {
        plaintext = await this.senderKeys.decrypt(group, author, opened.message)
      } catch (err: any) {
        if (err.name !== 'MissingSenderKeyError') throw err
        this.missing.keep(group, author, { secret, data })
        await this.ask(group, author, opened.message)
        // passed on all the same: it opened under the epoch's secret and names a member, and the
        // author's key travels beside it (pairwise) to every member. Held back here, it reached
        // only the members the author was connected to (CI: a member's first message of an
        // epoch never reached a third member it had no connection to)
        return retry ? IGNORE : ACCEPT
      }
      await this.store(group, author, plaintext)
      return ACCEPT
    } catch (err: any) {
      this.log('a message in group %s refused - %s', group, err.message)
      return err.name === 'OldSenderKeyMessageError' ? IGNORE : REJECT
    }
  }

  /** The secret of the current epoch whose topic is `topic` */
  private async secretOfTopic (record: GroupRecord, topic: string): Promise<OpenedSecret | undefined> {
    for (const secret of record.secretsOf(record.currentEpoch() ?? '')) {
      const opened = GroupSecret.from(this.provider, secret.secret)
      if (await opened.topic() === topic) return { ...secret, opened }
    }
  }

  private async store (group: string, author: string, plaintext: Uint8Array): Promise<void> {
    const content = decodeContent(unpad(plaintext))
    if (content.text == null || !textFits(content.text) || content.id.byteLength !== MESSAGE_ID_BYTES) {
      this.log('a message in group %s from %s is not a text: not shown yet', group, author)
      return
    }
    const { record, added } = await this.messages.addIncoming({
      id: toHex(content.id, 'base16'), conversation: group, peer: author, direction: 'in', text: content.text, timestamp: Number(content.timestamp), status: 'delivered'
    })
    if (added) this.safeDispatchEvent('message', { detail: record })
  }

  /** Asks `author` for its key, once an interval at most per chain */
  private async ask (group: string, author: string, message: Uint8Array): Promise<void> {
    const { keyId, message: header } = keyIdOf(message)
    if (!this.missing.shouldAsk(group, author, keyId)) return
    this.log('no key of %s reads its message in group %s: asking for it', author, group)
    await this.sendSenderKey(author, { group: fromHex(group, 'base16'), distribution: new Uint8Array(0), wantedKeyId: fromHex(keyId, 'base16'), wantedIteration: header.iteration })
  }

  private async readWaiting (group: string, author: string): Promise<void> {
    const waiting = this.missing.arrived(group, author)
    if (waiting.length === 0) return
    const record = await this.groups.record(group)
    for (const { secret, data } of waiting) {
      await this.read(record, { ...secret, opened: GroupSecret.from(this.provider, secret.secret) }, data, { retry: true })
    }
  }
}
