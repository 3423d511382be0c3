import { GROUP_PUBLISH_WAIT_MS } from './constants.ts'
import type { GroupPubSub } from './group-messaging.ts'
import type { TopicValidatorResult } from '@libp2p/gossipsub'
import type { AbortOptions, Logger } from '@libp2p/interface'

export interface GroupTopicsComponents {
  pubsub: GroupPubSub
  self: string
  /** Reads a message published on `topic` of `group`: what gossipsub should do with it */
  take: (group: string, topic: string, data: Uint8Array) => Promise<TopicValidatorResult>
  /** Dials a member (to join the group's mesh) */
  dial: (peer: string) => Promise<void>
  /** Whether this node has a connection to a member */
  connected: (peer: string) => boolean
  log: Logger
}

/** How many members a change makes this node dial at once (gossipsub needs only a few to join the mesh) */
const MEMBERS_DIALLED = 8

/**
 * The groups' gossip topics as this node takes part in them: each subscribed with a validator
 * that reads what is published on it; the members dialled when a group changes, and a publish
 * made to wait (briefly) for them and for their subscriptions, since gossipsub hands a message
 * only to the peers it knows listen.
 */
export class GroupTopics {
  /** topic -> group id, for the topics this node is subscribed to */
  private readonly topics = new Map<string, string>()
  /** group -> the dials to its members its last change started (see `ready`) */
  private readonly reaching = new Map<string, Promise<void>>()

  constructor (private readonly components: GroupTopicsComponents) {}

  /** The topics this node is subscribed to, and their groups */
  entries (): IterableIterator<[string, string]> {
    return this.topics.entries()
  }

  /** The group whose topic `topic` is, if this node is subscribed to it */
  groupOf (topic: string): string | undefined {
    return this.topics.get(topic)
  }

  /** Subscribes to `topic` of `group`, its messages read by `take` */
  join (topic: string, group: string): void {
    if (this.topics.has(topic)) return
    this.topics.set(topic, group)
    const { pubsub } = this.components
    pubsub.topicValidators.set(topic, async (_peer, message) => this.components.take(group, topic, message.data))
    pubsub.subscribe(topic)
  }

  /** Leaves `group`'s topics other than `keep` */
  leaveOthers (group: string, keep: ReadonlySet<string>): void {
    for (const [topic, of] of [...this.topics]) {
      if (of === group && !keep.has(topic)) this.leave(topic)
    }
  }

  /** Leaves every topic */
  leaveAll (): void {
    for (const topic of [...this.topics.keys()]) this.leave(topic)
  }

  /** Dials (up to a few of) `members` of `group`, which a publish to it waits for */
  reach (group: string, members: string[]): void {
    const dials = members.filter(m => m !== this.components.self).slice(0, MEMBERS_DIALLED).map(async peer => this.components.dial(peer).catch(err => {
      this.components.log('could not reach %s of group %s - %s', peer, group, err.message)
    }))
    const reached = Promise.all(dials).then(() => {})
    this.reaching.set(group, reached)
    void reached.then(() => { if (this.reaching.get(group) === reached) this.reaching.delete(group) })
  }

  /**
   * Resolves once a publish to `topic` of `group` can reach its members online: the dials its
   * last change started are done, and every member this node is connected to has subscribed (each
   * wait at most GROUP_PUBLISH_WAIT_MS). The first message right after a group is made or joined,
   * or its epoch changed, would otherwise go out before any member listens.
   */
  async ready (group: string, topic: string, members: string[], options: AbortOptions): Promise<void> {
    await this.membersReached(group, options)
    await this.membersListen(topic, members, options)
  }

  private leave (topic: string): void {
    this.topics.delete(topic)
    this.components.pubsub.topicValidators.delete(topic)
    this.components.pubsub.unsubscribe(topic)
  }

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

  private async membersListen (topic: string, members: string[], options: AbortOptions): Promise<void> {
    const { pubsub, self, connected } = this.components
    const listening = (): boolean => {
      const subscribed = new Set(pubsub.getSubscribers(topic).map(String))
      return members.every(m => m === self || subscribed.has(m) || !connected(m))
    }
    if (listening()) return
    await new Promise<void>(resolve => {
      const done = (): void => {
        clearTimeout(timer)
        pubsub.removeEventListener('subscription-change', onChange)
        options.signal?.removeEventListener('abort', done)
        resolve()
      }
      const onChange = (): void => { if (listening()) done() }
      const timer = setTimeout(done, GROUP_PUBLISH_WAIT_MS)
      pubsub.addEventListener('subscription-change', onChange)
      options.signal?.addEventListener('abort', done)
    })
  }
}
