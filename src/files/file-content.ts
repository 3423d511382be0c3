/**
 * Between transfer records and the offers and statuses that travel inside end-to-end encrypted
 * messages: the content handlers file transfers register with the messenger.
 */
import { toString as toHex } from 'uint8arrays/to-string'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { FILE_ID_BYTES, FILE_KEY_BYTES, HASH_BYTES, MAX_FILE_BYTES, MAX_NAME_BYTES, MAX_TYPE_BYTES } from './constants.ts'
import { safeFileName } from './names.ts'
import { MessageRefusedError } from '../protocols/chat/index.ts'
import { FileStatus } from '../messenger/pb/content.ts'
import type { ContentHandler } from '../messenger/content-handlers.ts'
import type { FileOffer } from '../messenger/pb/content.ts'
import type { FileStore, TransferRecord, TransferState } from '../storage/types.ts'

/**
 * A peer's file offer (in a direct conversation or a group): checked, stored as a message with
 * its transfer record (`waiting`, or `offered` to wait for the user), announced as a transfer. A repeat of the offer leaves the
 * transfer under way as it is.
 */
export function fileOfferHandler (files: FileStore, autoDownloadBytes: number): ContentHandler<'file'> {
  return {
    take: async (incoming) => {
      const offer = incoming.body.offer
      checkOffer(offer)
      const offered = incomingTransfer(offer, incoming.peer, offerState(incoming.known, Number(offer.size), autoDownloadBytes))
      // in a group, fetched from its author as a direct conversation's file is
      if (incoming.conversation !== incoming.peer) offered.group = incoming.conversation
      const file = { id: offered.id, name: offered.name, size: offered.size, type: offered.type }
      const added = await incoming.addMessage({ text: '', file }, { ifNew: [files.putWrite(offered)] })
      if (added != null) incoming.emit('transfer', offered)
    },
    fieldsOf: async (record) => {
      const transfer = record.file != null ? await files.get(record.file.id) : undefined
      if (transfer == null) throw new Error(`the transfer of file ${record.file?.id} is missing`)
      return { file: offerOf(transfer) }
    }
  }
}

/**
 * A peer's word on a transfer with it: received (our offer is done) or cancelled. Stored with
 * the session's new state; a status for a transfer we do not have with that peer changes
 * nothing but the session.
 */
export function fileStatusHandler (files: FileStore): ContentHandler<'file-status'> {
  return {
    take: async (incoming, options) => {
      const status = incoming.body.status
      const transfer = status.id.byteLength === FILE_ID_BYTES ? await files.get(toHex(status.id, 'base16'), options) : undefined
      const updated = transfer?.peer === incoming.peer ? afterPeerStatus(transfer, status.state) : undefined
      if (updated == null) {
        await incoming.commitSession()
        return
      }
      await files.put(updated, { ...options, also: incoming.sessionWrites })
      incoming.emit('transfer', updated)
    },
    fieldsOf: async (record) => {
      if (record.fileStatus == null) throw new Error('a file status record without its status')
      const state = record.fileStatus.state === 'received' ? FileStatus.State.RECEIVED : FileStatus.State.CANCELLED
      return { fileStatus: { id: fromHex(record.fileStatus.id, 'base16'), state } }
    }
  }
}

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
