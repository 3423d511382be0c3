/**
 * @packageDocumentation
 *
 * The Parley core: `createParley()` opens a node kept in a data directory and returns its
 * `Messenger`, the one object user interfaces talk to (send, history, contacts, and `message` /
 * `status` events). See docs/ARCHITECTURE.md for the layers underneath.
 */
export { createParley } from './parley.ts'
export type { Parley, ParleyInit } from './parley.ts'
export { Messenger } from './messenger/messenger.ts'
export type { MessengerEvents, MessengerInit } from './messenger/messenger.ts'
export type { Contact, DeliveryStatus, Direction, MessageRecord } from './storage/types.ts'
