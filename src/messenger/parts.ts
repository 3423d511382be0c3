import { Composer } from './composer.ts'
import { TIMER_SECONDS } from './constants.ts'
import { Contacts } from './contacts.ts'
import { NodeDelivery } from './delivery.ts'
import { Disappearing } from './disappearing.ts'
import { MailboxAddresses } from './mailbox-addresses.ts'
import { registerConversationHandlers } from './handlers/index.ts'
import { MailboxSync } from './mailbox-sync.ts'
import { Outbox } from './outbox.ts'
import { ReceivePipeline } from './receive-pipeline.ts'
import { RequestQuota } from './request-quota.ts'
import type { ContentHandlers } from './content-handlers.ts'
import type { Emit } from './events.ts'
import type { MailboxSyncInit } from './mailbox-sync.ts'
import type { OutboxInit } from './outbox.ts'
import type { ReceivePipelineInit } from './receive-pipeline.ts'
import type { RequestQuotaInit } from './request-quota.ts'
import type { SessionCipher } from '../crypto/session/session-cipher.ts'
import type { ParleyNode } from '../node/create-node.ts'
import type { ContactStore, FileStore, KeyStore, MailboxAddressStore, MessageStore, SettingsStore } from '../storage/types.ts'
import type { Logger } from '@libp2p/interface'

export interface MessengerInit extends OutboxInit, ReceivePipelineInit, MailboxSyncInit {
  /** Bounds on what strangers' pending requests keep (RequestQuota) */
  requests?: RequestQuotaInit
  /**
   * The disappearing-message timers allowed, in seconds, sent or taken (both sides must agree;
   * tests use short ones). @default TIMER_SECONDS
   */
  timers?: readonly number[]
}

export interface MessengerComponents {
  node: ParleyNode
  messages: MessageStore
  contacts: ContactStore
  keys: KeyStore
  files: FileStore
  settings: SettingsStore
  /** Peers' mailbox identities, and how far this node's were announced to each */
  mailboxAddresses: MailboxAddressStore
  cipher: SessionCipher
}

/** The parts a messenger is made of, wired to each other */
export interface MessengerParts {
  people: Contacts
  outbox: Outbox
  pipeline: ReceivePipeline
  sync: MailboxSync
  disappearing: Disappearing
  composer: Composer
  addresses: MailboxAddresses
}

/**
 * Builds the messenger's parts and wires them: they reach each other only through what is
 * passed here, and announce through `emit`; the content kinds of a conversation are registered
 * in `content`. `shutdown` cuts off the deliveries under way when the messenger stops.
 */
export function messengerParts (components: MessengerComponents, init: MessengerInit, content: ContentHandlers, emit: Emit, log: Logger, shutdown: AbortSignal): MessengerParts {
  const timers = init.timers ?? TIMER_SECONDS
  const people = new Contacts(components.contacts, components.node.peerId, emit)
  registerConversationHandlers(content, components.messages, components.settings, timers)
  const addresses = new MailboxAddresses({
    store: components.mailboxAddresses,
    identities: components.node.services.mailbox.identities,
    knows: async (peer, options) => {
      const standing = await people.standing(peer, options)
      return standing !== 'blocked' && await people.knows(peer, standing, options)
    },
    log
  })
  const outbox = new Outbox({ ...components, delivery: new NodeDelivery(components.node, log, shutdown), handlers: content, addresses, emit, log }, init)
  const pipeline = new ReceivePipeline({
    ...components,
    contacts: people,
    addresses,
    handlers: content,
    requestQuota: new RequestQuota(components, log, init.requests),
    enqueueControl: async (peer, fields) => outbox.enqueueControl(peer, fields),
    emit,
    log,
    self: components.node.peerId.toString()
  }, init)
  const disappearing = new Disappearing(components.messages, emit, log)
  const composer = new Composer({
    ...components,
    self: components.node.peerId,
    contacts: people,
    outbox,
    disappearing,
    isConnected: peer => components.node.getConnections(peer).length > 0,
    emit
  }, timers)
  return { people, outbox, pipeline, sync: new MailboxSync(components.node, log, init), disappearing, composer, addresses }
}
