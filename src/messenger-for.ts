import { SessionCipher } from './crypto/session/session-cipher.ts'
import { Messenger } from './messenger/messenger.ts'
import type { CryptoProvider } from './crypto/provider/types.ts'
import type { MessengerInit } from './messenger/messenger.ts'
import type { ParleyNode } from './node/create-node.ts'
import type { LevelStore } from './storage/level-store.ts'
import type { PrivateKey } from '@libp2p/interface'

/**
 * The messenger over an assembled node: sessions kept in `store`, the node's own prekeys, and
 * peers' bundles fetched through its prekeys service. One place for this wiring, shared by
 * parley.ts and parley.browser.ts, so the two platforms cannot drift apart.
 */
export function messengerFor (node: ParleyNode, store: LevelStore, provider: CryptoProvider, identity: PrivateKey, init?: MessengerInit): Messenger {
  const prekeyService = node.services.prekeys
  const cipher = new SessionCipher({
    provider,
    identity,
    sessions: store.keys,
    prekeys: prekeyService,
    fetchBundle: async (peer, options) => prekeyService.fetchBundle(peer, options)
  })
  return new Messenger({ node, messages: store.messages, contacts: store.contacts, keys: store.keys, files: store.files, cipher }, init)
}
