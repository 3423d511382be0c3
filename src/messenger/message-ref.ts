import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { MESSAGE_ID_BYTES, MessageRefusedError } from '../protocols/chat/index.ts'
import type { MessageRef as WireRef } from './pb/content.ts'
import type { MessageRef } from '../storage/types.ts'

/** A reference to an earlier message as it travels: the id's bytes and the author's PeerId bytes */
export function encodeRef (ref: MessageRef): WireRef {
  return { id: fromHex(ref.id, 'base16'), author: peerIdFromString(ref.author).toMultihash().bytes }
}

/**
 * A reference from a peer, checked: a message id of the right length and an author that is a
 * PeerId
 *
 * @throws {MessageRefusedError} when it is missing or malformed
 */
export function decodeRef (ref: WireRef | undefined): MessageRef {
  if (ref == null || ref.id.byteLength !== MESSAGE_ID_BYTES) throw new MessageRefusedError('the message reference is missing or malformed')
  try {
    return { id: toHex(ref.id, 'base16'), author: peerIdFromMultihash(Digest.decode(ref.author)).toString() }
  } catch {
    throw new MessageRefusedError('the message reference names no PeerId')
  }
}

/** A message id from a peer (an edit's or a deletion's target), checked */
export function decodeId (id: Uint8Array): string {
  if (id.byteLength !== MESSAGE_ID_BYTES) throw new MessageRefusedError('the message id is malformed')
  return toHex(id, 'base16')
}
