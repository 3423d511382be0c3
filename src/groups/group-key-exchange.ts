import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { GROUP_ID_BYTES, SENDER_KEY_MAX_AGE_MS } from './constants.ts'
import { MissingKeys } from './missing-keys.ts'
import { chainFromDistribution, keyIdOf } from './sender-keys/sender-chain.ts'
import { KEY_ID_BYTES } from './sender-keys/constants.ts'
import type { GroupRecord } from './group-record.ts'
import type { Groups } from './groups.ts'
import type { WaitingMessage } from './missing-keys.ts'
import type { SenderKeys } from './sender-keys/sender-keys.ts'
import type { SenderKey } from '../messenger/pb/content.ts'
import type { AbortOptions, Logger } from '@libp2p/interface'

export interface GroupKeyExchangeComponents {
  groups: Groups
  senderKeys: SenderKeys
  self: string
  /** Hands a sender key (or a request for one) to a member over the pairwise session, through the outbox */
  sendSenderKey: (peer: string, key: SenderKey) => Promise<void>
  /** Reads again the messages that waited for an author's key, now that it has come */
  reread: (group: string, waiting: WaitingMessage[]) => Promise<void>
  log: Logger
}

/**
 * Sender keys between members: this node's own key (new in each epoch, and once a week), handed
 * to every member and to members added later; the keys members hand this node; and what goes
 * missing: a message whose author's key has not come waits (bounded) while the author is asked
 * for it, and is read when it comes; a member asking for this node's key is answered (bounded)
 * from the iteration it needs.
 */
export class GroupKeyExchange {
  private readonly groups: Groups
  private readonly senderKeys: SenderKeys
  private readonly self: string
  private readonly sendSenderKey: GroupKeyExchangeComponents['sendSenderKey']
  private readonly reread: GroupKeyExchangeComponents['reread']
  private readonly log: Logger
  private readonly missing = new MissingKeys()

  constructor (components: GroupKeyExchangeComponents) {
    this.groups = components.groups
    this.senderKeys = components.senderKeys
    this.self = components.self
    this.sendSenderKey = components.sendSenderKey
    this.reread = components.reread
    this.log = components.log
  }

  /**
   * Makes this node a new key if it has none of the current epoch, or if its key is
   * SENDER_KEY_MAX_AGE_MS old (a key taken from a device reads no more than that), handing it
   * to every member
   */
  async ownKey (record: GroupRecord, options: AbortOptions = {}): Promise<void> {
    const epoch = record.currentEpoch()
    if (record.keyEpoch === epoch && Date.now() - record.keyMadeAt < SENDER_KEY_MAX_AGE_MS) return
    await this.senderKeys.rotate(record.id, options)
    await this.groups.setKeyEpoch(record.id, epoch, Date.now(), options)
    for (const peer of record.state().members.filter(m => m !== this.self)) await this.handOwnKey(record, peer)
  }

  /** Hands this node's key of the current epoch to `peer` (a member added since it was made) */
  async handOwnKey (record: GroupRecord, peer: string): Promise<void> {
    const distribution = await this.senderKeys.distribution(record.id, peer)
    await this.sendSenderKey(peer, { group: fromHex(record.id, 'base16'), distribution: distribution as Uint8Array<ArrayBuffer>, wantedKeyId: new Uint8Array(0), wantedIteration: 0 })
  }

  /** A member's sender key, or its request for this node's (the `sender-key` content kind) */
  async take (from: string, key: SenderKey, options: AbortOptions = {}): Promise<void> {
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
      const waiting = this.missing.arrived(group, from)
      if (waiting.length > 0) this.reread(group, waiting).catch(err => { this.log.error('reading the messages that waited for the key of %s failed - %e', from, err) })
      return
    }
    if (key.wantedKeyId.byteLength !== KEY_ID_BYTES) return
    if (!this.missing.shouldAnswer(group, from)) {
      this.log('%s asked for this node\'s key in group %s too often: not answered', from, group)
      return
    }
    this.log('%s asked for this node\'s key in group %s', from, group)
    await this.ownKey(record, options)
    const distribution = await this.senderKeys.distribution(group, from, key.wantedIteration, options)
    await this.sendSenderKey(from, { group: key.group, distribution: distribution as Uint8Array<ArrayBuffer>, wantedKeyId: new Uint8Array(0), wantedIteration: 0 })
  }

  /**
   * A message of `author`'s that no key here reads (`message` is its sender-key message): kept
   * until the key comes, and the author asked for it, once an interval at most per chain
   */
  async keyMissing (group: string, author: string, waiting: WaitingMessage, message: Uint8Array): Promise<void> {
    this.missing.keep(group, author, waiting)
    const { keyId, message: header } = keyIdOf(message)
    if (!this.missing.shouldAsk(group, author, keyId)) return
    this.log('no key of %s reads its message in group %s: asking for it', author, group)
    await this.sendSenderKey(author, { group: fromHex(group, 'base16'), distribution: new Uint8Array(0), wantedKeyId: fromHex(keyId, 'base16'), wantedIteration: header.iteration })
  }
}
