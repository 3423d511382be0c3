/**
 * The Parley core as the browser bundles it, without the UI: what `npm run build:web` measures
 * against the size budget, and what the app imports. package.json's `browser` field swaps
 * parley.ts, the node's transports and the crypto provider for their `*.browser.ts` versions.
 */
export { createParley } from '../parley.ts'
export type { Parley, ParleyInit } from '../parley.ts'
export { Messenger } from '../messenger/messenger.ts'
export type { MessengerEvents } from '../messenger/messenger.ts'
export type { Contact, DeliveryStatus, MessageRecord } from '../storage/types.ts'
export { formatInvite, parsePeerArgument } from '../identity/invite.ts'
