import { safetyNumber } from '../crypto/safety-number.ts'
import { InvalidPeerError } from '../identity/errors.ts'
import { parsePeerArgument } from '../identity/invite.ts'
import { InvalidMessageTextError } from './errors.ts'
import type { Emit } from './events.ts'
import type { Contact, ContactStore, MessageRequest, Standing, Verified, WriteOp } from '../storage/types.ts'
import type { AbortOptions, PeerId } from '@libp2p/interface'

/** The safety number with a peer, and whether (and when) the user marked it as compared */
export interface Verification {
  peer: string
  safetyNumber: string
  verified: boolean
  /** When it was marked as compared (ms since the epoch), if it is */
  verifiedAt?: number
}

/** The longest petname a contact may have */
const MAX_NAME_LENGTH = 64

/**
 * The people this node knows: contacts (petnames), who the user accepted or blocked, and the
 * message requests of those who wrote without being accepted. Accepting someone (adding them,
 * writing to them, or answering a request) is announced as `accepted`: what they offered while
 * strangers may then be fetched.
 */
export class Contacts {
  constructor (private readonly store: ContactStore, private readonly self: PeerId, private readonly emit: Emit) {}

  async add (peer: PeerId | string, name: string, options: AbortOptions = {}): Promise<Contact> {
    const id = typeof peer === 'string' ? parsePeerArgument(peer) : peer
    const trimmed = name.trim()
    if (trimmed === '' || trimmed.length > MAX_NAME_LENGTH) {
      throw new InvalidMessageTextError(`a contact name must be 1 to ${MAX_NAME_LENGTH} characters`)
    }
    const existing = await this.store.get(id.toString(), options)
    const contact = { peerId: id.toString(), name: trimmed, addedAt: existing?.addedAt ?? Date.now() }
    await this.store.put(contact, options)
    await this.store.setStanding(contact.peerId, 'accepted', options)
    this.emit('contact', { peerId: contact.peerId, contact })
    this.emit('accepted', contact.peerId)
    return contact
  }

  async remove (peer: PeerId | string, options: AbortOptions = {}): Promise<void> {
    const id = typeof peer === 'string' ? await this.resolve(peer, options) : peer
    await this.store.delete(id.toString(), options)
    this.emit('contact', { peerId: id.toString() })
  }

  async list (options: AbortOptions = {}): Promise<Contact[]> {
    return this.store.list(options)
  }

  /** Peers who wrote without being accepted, oldest first: the user accepts or blocks each */
  async requests (options: AbortOptions = {}): Promise<MessageRequest[]> {
    return this.store.requests(options)
  }

  /** Accepts a message request (or any peer): its messages no longer need stamps */
  async accept (peer: PeerId | string, options: AbortOptions = {}): Promise<void> {
    const id = typeof peer === 'string' ? await this.resolve(peer, options) : peer
    await this.store.setStanding(id.toString(), 'accepted', options)
    this.emit('accepted', id.toString())
  }

  /** Writing to someone accepts them (their answers are not message requests), unless blocked */
  async acceptOnWrite (peer: string, options: AbortOptions = {}): Promise<void> {
    if (await this.store.standing(peer, options) == null) {
      await this.store.setStanding(peer, 'accepted', options)
    }
  }

  /** Refuses everything from `peer` from now on (its request is dismissed) */
  async block (peer: PeerId | string, options: AbortOptions = {}): Promise<void> {
    const id = typeof peer === 'string' ? await this.resolve(peer, options) : peer
    await this.store.setStanding(id.toString(), 'blocked', options)
  }

  async unblock (peer: PeerId | string, options: AbortOptions = {}): Promise<void> {
    const id = typeof peer === 'string' ? await this.resolve(peer, options) : peer
    if (await this.store.standing(id.toString(), options) === 'blocked') {
      await this.store.setStanding(id.toString(), undefined, options)
    }
  }

  async standing (peer: string, options: AbortOptions = {}): Promise<Standing | undefined> {
    return this.store.standing(peer, options)
  }

  /** A write recording `peer`'s message request, for the batch that stores its message */
  requestWrite (request: MessageRequest): WriteOp {
    return this.store.requestWrite(request)
  }

  /** Whether `peer` is someone the user knows (accepted, or a contact) */
  async knows (peer: string, standing: Standing | undefined, options: AbortOptions = {}): Promise<boolean> {
    return standing === 'accepted' || await this.store.get(peer, options) != null
  }

  /**
   * The safety number of this node and `peer` (Signal's 60 digits): the same on both sides when
   * neither is being impersonated. Users compare it in person or by a trusted call.
   */
  async safetyNumber (peer: PeerId | string, options: AbortOptions = {}): Promise<string> {
    const id = typeof peer === 'string' ? await this.resolve(peer, options) : peer
    return safetyNumber(
      { identityKey: this.self.publicKey!.raw, id: this.self.toString() },
      { identityKey: id.publicKey!.raw, id: id.toString() }
    )
  }

  /** The safety number with `peer` and the mark the user gave it (see `setVerified`) */
  async verification (peer: PeerId | string, options: AbortOptions = {}): Promise<Verification> {
    const id = typeof peer === 'string' ? await this.resolve(peer, options) : peer
    const verifiedAt = await this.store.verifiedAt(id.toString(), options)
    return { peer: id.toString(), safetyNumber: await this.safetyNumber(id, options), verified: verifiedAt != null, ...(verifiedAt != null ? { verifiedAt } : {}) }
  }

  /**
   * Marks the safety number with `peer` as compared (the user checked it is the same on both
   * devices), or with `verified` false clears the mark. A PeerId is its identity key, so the
   * number never changes for the same peer: the mark says this address is the person's.
   */
  async setVerified (peer: PeerId | string, verified: boolean, options: AbortOptions = {}): Promise<Verification> {
    const id = typeof peer === 'string' ? await this.resolve(peer, options) : peer
    if (id.equals(this.self)) throw new InvalidPeerError('the safety number is compared with someone else')
    await this.store.setVerified(id.toString(), verified ? Date.now() : undefined, options)
    return this.verification(id, options)
  }

  /** Every peer whose safety number the user marked as compared */
  async verifiedPeers (options: AbortOptions = {}): Promise<Verified[]> {
    return this.store.verifiedPeers(options)
  }

  /** A contact's name, else a PeerId, invite or `/p2p/` multiaddr (throws `InvalidPeerError`) */
  async resolve (input: string, options: AbortOptions = {}): Promise<PeerId> {
    const contact = await this.store.getByName(input.trim(), options)
    if (contact != null) {
      return parsePeerArgument(contact.peerId)
    }
    try {
      return parsePeerArgument(input)
    } catch (err: any) {
      throw new InvalidPeerError(`no contact is named "${input.trim().slice(0, 80)}", and ${err.message}`)
    }
  }
}
