import { fromString as fromHex } from 'uint8arrays/from-string'
import { chainFromDistribution, decryptWith, distributionOf, encryptWith, handOut, keyIdOf, newSenderChain } from './sender-chain.ts'
import { MissingSenderKeyError } from './errors.ts'
import { decodeChains, encodeChains } from './stored-chains.ts'
import { SerialQueue } from '../../utils/serial-queue.ts'
import type { SenderChain } from './sender-chain.ts'
import type { CryptoProvider } from '../../crypto/provider/index.ts'
import type { SenderChainStore, WriteOp } from '../../storage/types.ts'
import type { AbortOptions } from '@libp2p/interface'

/**
 * How a group's messages are encrypted, whatever the scheme: sender keys now; MLS, for
 * post-compromise security, can implement the same later
 */
export interface GroupCipher {
  /** Encrypts for the members holding this node's current key; the new state is stored first */
  encrypt (group: string, plaintext: Uint8Array, options?: AbortOptions): Promise<Uint8Array>
  /**
   * Decrypts what `author` sent to the group
   *
   * @throws {MissingSenderKeyError} when no key of the author's reads it: ask the author for it
   */
  decrypt (group: string, author: string, message: Uint8Array, options?: AbortOptions): Promise<Uint8Array>
}

/** A member keeps its current chain and the one before (for mail sent before a rotation) */
const CHAINS_KEPT = 2

/**
 * Sender keys (Signal's construction) over the store: this node's own chain per group, and the
 * chains other members handed it. A rotation (after a removal or a leave, and on a schedule)
 * starts a new own chain, whose distribution goes to the members that remain; a removed
 * member's chains are forgotten, so it can neither read nor be read after.
 */
export class SenderKeys implements GroupCipher {
  /** Every read-then-write of a chain runs here, one at a time: a message key is never used twice */
  private readonly queue = new SerialQueue()

  constructor (private readonly provider: CryptoProvider, private readonly store: SenderChainStore, private readonly apply: (ops: WriteOp[]) => Promise<void>, private readonly self: string) {}

  /**
   * This node's distribution for `group` as `member` may have it (see `handOut`): from the
   * current iteration, or from `wanted` for a member that lost it (a chain is made on first use)
   */
  async distribution (group: string, member: string, wanted?: number, options: AbortOptions = {}): Promise<Uint8Array> {
    return this.queue.run(async () => {
      const [own] = await this.chains(group, this.self, options)
      const { chain, from } = await handOut(this.provider, own ?? await this.newOwnChain(group), member, wanted)
      await this.apply([this.store.putWrite(group, this.self, encodeChains([chain]))])
      return distributionOf(from, fromHex(group, 'base16'))
    })
  }

  /** Starts a new own chain for `group`; returns it (its distribution is for the members to get) */
  async rotate (group: string, options: AbortOptions = {}): Promise<SenderChain> {
    options.signal?.throwIfAborted()
    return this.queue.run(async () => this.newOwnChain(group))
  }

  /** Takes a member's distribution (see `chainFromDistribution` for what is refused) */
  async take (group: string, member: string, distribution: Uint8Array, options: AbortOptions = {}): Promise<void> {
    return this.queue.run(async () => {
      const held = await this.chains(group, member, options)
      const { chain } = chainFromDistribution(distribution, held)
      const others = held.filter(c => c.keyId !== chain.keyId)
      await this.apply([this.store.putWrite(group, member, encodeChains([chain, ...others].slice(0, CHAINS_KEPT)))])
    })
  }

  /** Drops a member's chains (it was removed, or left) */
  async forget (group: string, member: string): Promise<void> {
    return this.queue.run(async () => {
      await this.apply([this.store.deleteWrite(group, member)])
    })
  }

  async encrypt (group: string, plaintext: Uint8Array, options: AbortOptions = {}): Promise<Uint8Array> {
    return this.queue.run(async () => {
      const [own] = await this.chains(group, this.self, options)
      const { message, chain } = await encryptWith(this.provider, own ?? await this.newOwnChain(group), fromHex(group, 'base16'), plaintext)
      // stored before the message leaves: no message key is ever used twice
      await this.apply([this.store.putWrite(group, this.self, encodeChains([chain]))])
      return message
    })
  }

  async decrypt (group: string, author: string, message: Uint8Array, options: AbortOptions = {}): Promise<Uint8Array> {
    return this.queue.run(async () => {
      const { keyId } = keyIdOf(message)
      const chains = await this.chains(group, author, options)
      const chain = chains.find(c => c.keyId === keyId)
      if (chain == null) throw new MissingSenderKeyError(`no key of ${author}'s reads chain ${keyId}`)
      const opened = await decryptWith(this.provider, chain, fromHex(group, 'base16'), message)
      await this.apply([this.store.putWrite(group, author, encodeChains(chains.map(c => c === chain ? opened.chain : c)))])
      return opened.plaintext
    })
  }

  /** A new own chain, stored; the old one goes (nothing new is sent with it) */
  private async newOwnChain (group: string): Promise<SenderChain> {
    const chain = await newSenderChain(this.provider)
    await this.apply([this.store.putWrite(group, this.self, encodeChains([chain]))])
    return chain
  }

  private async chains (group: string, member: string, options: AbortOptions): Promise<SenderChain[]> {
    const stored = await this.store.get(group, member, options)
    return stored == null ? [] : decodeChains(stored)
  }
}
