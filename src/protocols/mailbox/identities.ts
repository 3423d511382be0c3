import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { checkEpoch, mailboxKey } from './keys.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'

const encoder = new TextEncoder()
const SEED_INFO = encoder.encode('parley/mailbox-seed/v1')
const EPOCH_INFO = encoder.encode('parley/mailbox-identity/v1')
const REQUESTS_INFO = encoder.encode('parley/mailbox-requests/v1')
const SEED_BYTES = 32

/** How many epochs' key pairs a user keeps worked out (a fetch reads three, an announcement names two) */
const CACHED_EPOCHS = 8

/**
 * One epoch's mailbox identity: the key pair that owns a mailbox for that epoch, and the key its
 * mail is stored under (`mailboxKey` of the key pair's own PeerId and the epoch). Nothing in it
 * names the user: a storer sees the key, and at a fetch the public key and a signature by it.
 */
export interface EpochIdentity {
  epoch: number
  privateKey: PrivateKey
  /** The PeerId of the epoch's key pair: what a fetch names, and what a contact stores under */
  peerId: PeerId
  /** The 32-byte key its mail is stored under */
  key: Uint8Array
}

/**
 * A user's mailbox identities: for each epoch an Ed25519 key pair of its own, worked out from
 * the user's identity key (HKDF-SHA256 over its raw bytes, then over the epoch), so that a
 * backup or a second start of the same identity owns the same mailboxes, while nobody without
 * the private key can link one epoch's mailbox to another or to the PeerId. Contacts learn the
 * public keys only inside end-to-end encrypted messages (see mailbox-addresses in the messenger).
 */
export class MailboxIdentities {
  private readonly seed: Uint8Array
  private readonly epochs = new Map<number, Promise<EpochIdentity>>()
  private requestsKey?: Promise<PrivateKey>

  constructor (identity: PrivateKey) {
    this.seed = hkdf(sha256, identity.raw, undefined, SEED_INFO, SEED_BYTES)
  }

  /**
   * The mailbox identity of `epoch`
   *
   * @throws RangeError when `epoch` is not an integer from 0 to 2^32 - 1
   */
  async forEpoch (epoch: number): Promise<EpochIdentity> {
    checkEpoch(epoch)
    const cached = this.epochs.get(epoch)
    if (cached != null) return cached
    const made = this.make(epoch)
    this.epochs.set(epoch, made)
    // the oldest first out: epochs are asked for around now
    for (const old of this.epochs.keys()) {
      if (this.epochs.size <= CACHED_EPOCHS) break
      this.epochs.delete(old)
    }
    return made
  }

  /**
   * The key pair of the requests mailbox: the one mailbox whose key others work out without
   * having heard from this user (its public key is in the prekey record, signed by the identity
   * key), for first messages from strangers. One key pair for every epoch: a storer that looks
   * the record up can link it to the user anyway.
   */
  async requests (): Promise<PrivateKey> {
    this.requestsKey ??= generateKeyPairFromSeed('Ed25519', hkdf(sha256, this.seed, undefined, REQUESTS_INFO, SEED_BYTES))
    return this.requestsKey
  }

  private async make (epoch: number): Promise<EpochIdentity> {
    const info = new Uint8Array(EPOCH_INFO.byteLength + 4)
    info.set(EPOCH_INFO)
    new DataView(info.buffer).setUint32(EPOCH_INFO.byteLength, epoch)
    const privateKey = await generateKeyPairFromSeed('Ed25519', hkdf(sha256, this.seed, undefined, info, SEED_BYTES))
    const peerId = peerIdFromPrivateKey(privateKey)
    return { epoch, privateKey, peerId, key: mailboxKey(peerId, epoch) }
  }
}
