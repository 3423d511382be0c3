/**
 * Between transfer records and the offers and statuses that travel inside end-to-end encrypted
 * messages: what the messenger needs to send and take them.
 */
import { toString as toHex } from 'uint8arrays/to-string'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { FILE_ID_BYTES, FILE_KEY_BYTES, HASH_BYTES, MAX_FILE_BYTES, MAX_NAME_BYTES, MAX_TYPE_BYTES } from '../files/constants.ts'
import { safeFileName } from '../files/names.ts'
import { MessageRefusedError } from '../protocols/chat/index.ts'
import { FileStatus } from '../crypto/session/pb/session.ts'
import type { FileOffer } from '../crypto/session/pb/session.ts'
import type { TransferRecord, TransferState } from '../storage/types.ts'

const encoder = new TextEncoder()

/** The offer a transfer record of ours puts in its message */
export function offerOf (transfer: TransferRecord): FileOffer {
  return {
    id: fromHex(transfer.id, 'base16'),
    name: transfer.name,
    size: BigInt(transfer.size),
    type: transfer.type,
    root: fromHex(transfer.root, 'base16'),
    key: fromHex(transfer.key, 'base64')
  }
}

/**
 * Checks a peer's offer: the id, root and key lengths, a size a tree can describe, and the name
 * and type within their limits (the name is also sanitised before it names a file here).
 *
 * @throws {MessageRefusedError} naming the rule broken
 */
export function checkOffer (offer: FileOffer): void {
  if (offer.id.byteLength !== FILE_ID_BYTES || offer.root.byteLength !== HASH_BYTES || offer.key.byteLength !== FILE_KEY_BYTES) {
    throw new MessageRefusedError('a file offer has a malformed id, root or key')
  }
  if (offer.size > BigInt(MAX_FILE_BYTES)) {
    throw new MessageRefusedError(`a file offer may describe at most ${MAX_FILE_BYTES} bytes`)
  }
  if (encoder.encode(offer.name).byteLength > MAX_NAME_BYTES || encoder.encode(offer.type).byteLength > MAX_TYPE_BYTES) {
    throw new MessageRefusedError(`a file's name and type are at most ${MAX_NAME_BYTES} bytes each`)
  }
}

/** The transfer record an incoming offer starts: `waiting` to be fetched, or `offered` to a user who has to accept the sender first */
export function incomingTransfer (offer: FileOffer, peer: string, state: TransferState, now = Date.now()): TransferRecord {
  return {
    id: toHex(offer.id, 'base16'),
    peer,
    direction: 'in',
    name: safeFileName(offer.name),
    size: Number(offer.size),
    type: offer.type,
    root: toHex(offer.root, 'base16'),
    key: toHex(offer.key, 'base64'),
    state,
    path: '',
    bytes: 0,
    createdAt: now,
    updatedAt: now
  }
}

/**
 * The state an incoming offer starts in: `waiting` (it downloads at once) from a peer the user
 * knows and up to `autoDownloadBytes`, else `offered` (it waits for the user)
 */
export function offerState (known: boolean, size: number, autoDownloadBytes: number): 'waiting' | 'offered' {
  return known && size <= autoDownloadBytes ? 'waiting' : 'offered'
}

/** What a peer's file status makes of our transfer, or undefined when it changes nothing */
export function afterPeerStatus (transfer: TransferRecord, state: FileStatus.State, now = Date.now()): TransferRecord | undefined {
  if (transfer.state === 'done' || transfer.state === 'cancelled' || transfer.state === 'failed') return undefined
  if (state === FileStatus.State.RECEIVED) {
    // only the recipient can say it received a file we sent
    return transfer.direction === 'out' ? { ...transfer, state: 'done', updatedAt: now } : undefined
  }
  return { ...transfer, state: 'cancelled', error: 'cancelled by the peer', updatedAt: now }
}
