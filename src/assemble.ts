import { callHandler } from './calls/call-content.ts'
import { Calls } from './calls/calls.ts'
import { SessionCipher } from './crypto/session/session-cipher.ts'
import { NodeEvents } from './events/node-events.ts'
import { FileTransfers } from './files/transfers.ts'
import { groupReceiptHandler, groupUpdateHandler, senderKeyHandler } from './groups/group-content.ts'
import { GroupCatchUp } from './groups/group-catch-up.ts'
import { groupFileSharing } from './groups/group-files.ts'
import { GroupMailbox } from './groups/group-mailbox.ts'
import { GroupMessaging } from './groups/group-messaging.ts'
import { Groups } from './groups/groups.ts'
import { SenderKeys } from './groups/sender-keys/sender-keys.ts'
import { GroupReceipt, GroupUpdate, SenderKey } from './messenger/pb/content.ts'
import { parsePeerArgument } from './identity/invite.ts'
import { dhtReady } from './messenger/dht-ready.ts'
import { Messenger } from './messenger/messenger.ts'
import type { CallsInit } from './calls/calls.ts'
import type { CryptoProvider } from './crypto/provider/types.ts'
import type { MessengerInit } from './messenger/messenger.ts'
import type { ParleyNode } from './node/create-node.ts'
import type { LevelStore } from './storage/level-store.ts'
import type { PrivateKey } from '@libp2p/interface'

export interface CoreInit {
  messenger?: MessengerInit
  /** Where received files go */
  downloadDir: string
  /** A contact's file up to this size downloads at once (FileTransfers' default otherwise) */
  autoDownloadBytes?: number
  /** Runs once libp2p has started, before the messenger (the browser's direct upgrades) */
  afterNodeStart?: () => void
  calls?: CallsInit
}

/** What every node runs over its libp2p node and its store, on every platform */
export interface Core {
  node: ParleyNode
  messenger: Messenger
  files: FileTransfers
  groups: Groups
  groupMessaging: GroupMessaging
  /** Reads the groups' mailboxes (what was sent while this node was away) */
  groupCatchUp: GroupCatchUp
  calls: Calls
  events: NodeEvents
}

/**
 * Builds and starts the parts every node has, wired the same in parley.ts and parley.browser.ts
 * so the two platforms cannot drift apart: the messenger over sessions kept in `store`, this
 * node's prekeys and peers' bundles fetched through its prekeys service; file transfers and
 * groups (which register their kinds of content before the messenger starts); the one event
 * stream. Starts
 * libp2p, then the messenger, then transfers. On a failure stops what it built and rethrows
 * (the caller closes its stores).
 */
export async function startCore (node: ParleyNode, store: LevelStore, provider: CryptoProvider, identity: PrivateKey, init: CoreInit): Promise<Core> {
  const prekeyService = node.services.prekeys
  const cipher = new SessionCipher({
    provider,
    identity,
    sessions: store.keys,
    prekeys: prekeyService,
    fetchBundle: async (peer, options) => {
      const bundle = await prekeyService.fetchBundle(peer, options)
      // where this peer's mail goes until it announces an identity of its own (a stranger's first messages)
      if (bundle.requestsMailbox != null) await store.mailboxAddresses.setRequests(peer.toString(), bundle.requestsMailbox, options)
      return bundle
    }
  })
  const messenger = new Messenger({ node, messages: store.messages, contacts: store.contacts, keys: store.keys, files: store.files, settings: store.settings, mailboxAddresses: store.mailboxAddresses, cipher }, init.messenger)
  const groups = new Groups({
    store: store.groups,
    identity,
    self: node.peerId,
    provider,
    send: async (peer, update) => messenger.sendGroupControl(peer, 'group', GroupUpdate.encode(update)),
    log: node.logger.forComponent('parley:groups')
  })
  const groupMailbox = new GroupMailbox({ mailbox: node.services.mailbox, store: store.groupMailbox, provider, log: node.logger.forComponent('parley:groups:mailbox') })
  const groupMessaging = new GroupMessaging({
    groups,
    senderKeys: new SenderKeys(provider, store.senderChains, async ops => store.apply(ops), node.peerId.toString()),
    pubsub: node.services.pubsub,
    messages: store.messages,
    content: messenger.content,
    identity,
    self: node.peerId,
    provider,
    sendSenderKey: async (peer, key) => messenger.sendGroupControl(peer, 'sender-key', SenderKey.encode(key)),
    sendReceipt: async (author, receipt) => messenger.sendGroupControl(author, 'group-receipt', GroupReceipt.encode(receipt)),
    settings: store.settings,
    dial: async peer => { await node.dial(parsePeerArgument(peer)) },
    connected: peer => node.getConnections(parsePeerArgument(peer)).length > 0,
    mailbox: groupMailbox,
    expires: at => { messenger.scheduleDisappearing(at) },
    log: node.logger.forComponent('parley:groups:messages')
  })
  const files = new FileTransfers({ node, messenger, files: store.files, provider, groups: groupFileSharing(groups, groupMessaging, node.peerId.toString()) }, {
    downloadDir: init.downloadDir,
    ...(init.autoDownloadBytes != null ? { autoDownloadBytes: init.autoDownloadBytes } : {})
  })
  const groupCatchUp = new GroupCatchUp({
    groups,
    mailbox: groupMailbox,
    self: node.peerId.toString(),
    take: async (group, secret, envelopes) => groupMessaging.takeFromMailbox(group, secret, envelopes),
    caughtUp: async group => groupMessaging.caughtUp(group),
    ready: async signal => {
      await dhtReady(node, signal)
      await messenger.firstMailboxCheck()
    },
    log: node.logger.forComponent('parley:groups:mailbox')
  })
  // before the messenger starts: an update or a key may come with the first mail
  messenger.content.register('group', groupUpdateHandler(groups))
  messenger.content.register('sender-key', senderKeyHandler(groupMessaging))
  messenger.content.register('group-receipt', groupReceiptHandler(groupMessaging))
  const callsLog = node.logger.forComponent('parley:calls')
  const calls = new Calls({
    send: async (peer, payload, options) => messenger.sendCallSignal(peer, payload, options),
    sendDirect: async (peer, frame) => node.services.callSignals.send(parsePeerArgument(peer), frame),
    messages: store.messages,
    log: callsLog
  }, init.calls)
  messenger.content.register('call', callHandler(calls, callsLog))
  node.services.callSignals.setHandler(async frame => calls.receiveDirect(frame.from.toString(), frame))
  const events = new NodeEvents(messenger, files, { groups, messaging: groupMessaging }, calls)
  try {
    await node.start()
    init.afterNodeStart?.()
    await messenger.start()
    await files.start()
    await groupMessaging.start()
    groupCatchUp.start()
  } catch (err) {
    await stopGroups({ groupCatchUp, groupMessaging })
    events.close()
    await files.stop().catch(() => {})
    await messenger.stop().catch(() => {})
    await Promise.resolve(node.stop()).catch(() => {})
    throw err
  }
  return { node, messenger, files, groups, groupMessaging, groupCatchUp, calls, events }
}

/** Stops reading the groups' mailboxes and leaves their topics; waits for deposits under way */
export async function stopGroups (core: Pick<Core, 'groupCatchUp' | 'groupMessaging'>): Promise<void> {
  await core.groupCatchUp.stop()
  await core.groupMessaging.stop()
}
