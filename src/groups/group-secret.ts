import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { toString as toHex } from 'uint8arrays/to-string'
import type { CryptoProvider } from '../crypto/provider/index.ts'
import type { Ed25519PrivateKey } from '@libp2p/interface'

/** A group secret is 32 random bytes, new at each membership epoch */
export const GROUP_SECRET_BYTES = 32

const encoder = new TextEncoder()
const TOPIC = encoder.encode('parley group topic v1')
const MAILBOX = encoder.encode('parley group mailbox v1')
const AUTHOR = encoder.encode('parley group author v1')
const NO_SALT = new Uint8Array(32)

/**
 * What a group's members share beside their sender keys, and outsiders do not: the secret of the
 * current membership epoch, handed to each member over its pairwise session with each change
 * (a removal or a leave starts a new epoch with a new secret, so a former member loses the topic
 * and the mailbox with the keys). From it come names that say nothing of the group to those who
 * carry its traffic: the gossipsub topic (never the group id in the clear), the group mailbox's
 * identity, and the key that hides a message's author from storers.
 */
export class GroupSecret {
  private constructor (private readonly provider: CryptoProvider, readonly secret: Uint8Array) {}

  static fresh (provider: CryptoProvider): GroupSecret {
    return new GroupSecret(provider, provider.randomBytes(GROUP_SECRET_BYTES))
  }

  /** @throws RangeError when `secret` is not GROUP_SECRET_BYTES long */
  static from (provider: CryptoProvider, secret: Uint8Array): GroupSecret {
    if (secret.byteLength !== GROUP_SECRET_BYTES) throw new RangeError(`a group secret is ${GROUP_SECRET_BYTES} bytes, got ${secret.byteLength}`)
    return new GroupSecret(provider, secret)
  }

  /** The gossipsub topic of this epoch: a hash that names neither the group nor its members */
  async topic (): Promise<string> {
    return `/parley/group/${toHex(await this.provider.hkdfSha256(this.secret, NO_SALT, TOPIC, 32), 'base16')}`
  }

  /**
   * The group mailbox's own identity: an Ed25519 key every member of the epoch derives alike.
   * Its PeerId is the recipient the group's envelopes are deposited for (under its weekly
   * mailbox keys, as a user's), and it signs the members' fetch proofs, so that storers serve a
   * group as they serve a user and no proof names a member.
   */
  async mailboxIdentity (): Promise<Ed25519PrivateKey> {
    return generateKeyPairFromSeed('Ed25519', await this.provider.hkdfSha256(this.secret, NO_SALT, MAILBOX, 32))
  }

  /** The AES-256-GCM key that hides who wrote a group envelope from those who store or relay it */
  async authorKey (): Promise<Uint8Array> {
    return this.provider.hkdfSha256(this.secret, NO_SALT, AUTHOR, 32)
  }
}
