import { peerIdFromMultihash, peerIdFromPrivateKey } from '@libp2p/peer-id'
import { sha256 } from '@noble/hashes/sha2.js'
import * as Digest from 'multiformats/hashes/digest'
import { toString as toHex } from 'uint8arrays/to-string'
import { GROUP_ID_BYTES, MAX_CHANGE_BYTES, MAX_GROUP_MEMBERS, MAX_GROUP_NAME_LENGTH, MAX_PARENTS } from './constants.ts'
import { InvalidGroupChangeError } from './errors.ts'
import { GroupChange } from './pb/group.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'

export { GroupChange }

/** A change checked: signed by its author, well formed; `id` is the hash of its encoding */
export interface VerifiedChange {
  /** SHA-256 of its canonical signed encoding, hex */
  id: string
  change: GroupChange
  author: PeerId
  /** Its parents' ids, hex */
  parents: string[]
  /** The canonical signed encoding, as it travels on */
  bytes: Uint8Array
}

/** Signs `change` (without its signature) with the author's identity key */
export async function signChange (key: PrivateKey, change: Omit<GroupChange, 'signature' | 'author'>): Promise<VerifiedChange> {
  const unsigned: GroupChange = { ...change, author: peerIdFromPrivateKey(key).toMultihash().bytes, signature: new Uint8Array(0) }
  const signature = await key.sign(GroupChange.encode(unsigned))
  return verifyChange(GroupChange.encode({ ...unsigned, signature: signature as Uint8Array<ArrayBuffer> }))
}

/**
 * Decodes a change from a peer and checks it: within the size limits, exactly one operation,
 * an author that is an Ed25519 PeerId whose key made the signature
 *
 * @throws {InvalidGroupChangeError}
 */
export async function verifyChange (bytes: Uint8Array): Promise<VerifiedChange> {
  if (bytes.byteLength > MAX_CHANGE_BYTES) throw new InvalidGroupChangeError(`a group change is at most ${MAX_CHANGE_BYTES} bytes`)
  let change: GroupChange
  try {
    change = GroupChange.decode(bytes, { limits: { parents: MAX_PARENTS, add: { peers: MAX_GROUP_MEMBERS }, remove: { peers: MAX_GROUP_MEMBERS }, promote: { peers: MAX_GROUP_MEMBERS } } })
  } catch (err: any) {
    throw new InvalidGroupChangeError(`the group change does not decode: ${err.message}`)
  }
  if (change.group.byteLength !== GROUP_ID_BYTES) throw new InvalidGroupChangeError('the group id is malformed')
  if (change.parents.some(p => p.byteLength !== 32)) throw new InvalidGroupChangeError('a parent id is malformed')
  const ops = [change.create, change.add, change.remove, change.promote, change.leave, change.rename, change.timer].filter(op => op != null)
  if (ops.length !== 1) throw new InvalidGroupChangeError('a group change has exactly one operation')
  if ((change.create != null) !== (change.parents.length === 0)) throw new InvalidGroupChangeError('only the creation has no parents')
  const name = change.create?.name ?? change.rename?.name
  if (name != null && (name.trim() === '' || name.length > MAX_GROUP_NAME_LENGTH)) throw new InvalidGroupChangeError(`a group name is 1 to ${MAX_GROUP_NAME_LENGTH} characters`)
  const author = peerOf(change.author)
  const signed = GroupChange.encode({ ...change, signature: new Uint8Array(0) })
  if (author.publicKey == null || !await author.publicKey.verify(signed, change.signature)) {
    throw new InvalidGroupChangeError('the group change is not signed by its author')
  }
  // the id is the hash of the change as this node encodes it, not of the bytes received: the
  // same change with unknown fields appended (which the signature does not cover) is the same
  // change, never a second one to replay
  const canonical = GroupChange.encode(change)
  return { id: toHex(sha256(canonical), 'base16'), change, author, parents: change.parents.map(p => toHex(p, 'base16')), bytes: canonical }
}

/**
 * A PeerId from the bytes a change carries
 *
 * @throws {InvalidGroupChangeError} when they are not an Ed25519 PeerId
 */
export function peerOf (bytes: Uint8Array): PeerId {
  try {
    const peer = peerIdFromMultihash(Digest.decode(bytes))
    if (peer.type !== 'Ed25519') throw new Error(`a ${peer.type} key`)
    return peer
  } catch (err: any) {
    throw new InvalidGroupChangeError(`a PeerId in the group change is malformed: ${err.message}`)
  }
}
