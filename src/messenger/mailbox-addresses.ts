import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { equals } from 'uint8arrays/equals'
import { epochAt } from '../protocols/mailbox/index.ts'
import { MAX_ANNOUNCED_ADDRESSES } from './constants.ts'
import type { MailboxIdentities } from '../protocols/mailbox/identities.ts'
import type { MailboxAddress, MailboxAddressStore, WriteOp } from '../storage/types.ts'
import type { MailboxAddresses as AnnouncedAddresses } from './pb/content.ts'
import type { AbortOptions, Logger, PeerId } from '@libp2p/interface'

/** An announcement names this epoch and the next: a peer that hears nothing for a week still has the key of the week after */
export const ANNOUNCED_EPOCHS = 2

/** How far ahead of its own clock a peer's announced epoch may be (clocks differ; more is nonsense) */
const MAX_EPOCHS_AHEAD = ANNOUNCED_EPOCHS + 1

const PUBLIC_KEY_BYTES = 32

export interface MailboxAddressesComponents {
  store: MailboxAddressStore
  identities: MailboxIdentities
  /** Whether the user knows `peer` (a contact, or accepted): only they learn this node's identities */
  knows: (peer: string, options?: AbortOptions) => Promise<boolean>
  log: Logger
}

/** Where mail for a peer goes: its mailbox identity of an epoch (its PeerId, never the peer's) */
export interface MailboxAddressOf {
  peerId: PeerId
  epoch: number
}

/**
 * Mailbox identities between peers. Each side tells the other, inside end-to-end encrypted
 * content, the public keys of its mailbox identities for this epoch and the next
 * (`ANNOUNCED_EPOCHS`); mail for a peer then goes under the mailbox key of its identity for the
 * epoch it is left in, which no storer can link to the peer or to its other epochs. A peer that
 * announced nothing (an earlier release), or whose announcement is out of date, gets its mail
 * in the mailbox derived from its PeerId, which it reads as before.
 *
 * Only peers the user knows (contacts, and peers it accepted or wrote to) are told: a stranger's
 * mail goes on to the requests mailbox, stamped, until the user accepts it. An announcement
 * rides on the next content sent to the peer once this node's window moved on; a peer that
 * announced its own (so it reads announcements) and is sent nothing in a new epoch is sent one
 * alone (`due`).
 */
export class MailboxAddresses {
  private readonly store: MailboxAddressStore
  private readonly identities: MailboxIdentities
  private readonly knows: (peer: string, options?: AbortOptions) => Promise<boolean>
  private readonly log: Logger
  /** Called once what a peer announced is kept */
  onLearned?: (peer: string) => void
  /**
   * How far each peer was told, as stored: read on every message sealed, so kept here after
   * the first read (one entry per peer this node writes to)
   */
  private readonly told = new Map<string, number | undefined>()

  constructor (components: MailboxAddressesComponents, private readonly now: () => number = Date.now) {
    this.store = components.store
    this.identities = components.identities
    this.knows = components.knows
    this.log = components.log
  }

  /** The last epoch an announcement made now covers */
  private windowEnd (): number {
    return epochAt(this.now()) + ANNOUNCED_EPOCHS - 1
  }

  /**
   * This node's identities to announce with content for `peer` (and the epoch they cover
   * through), or undefined when the peer was told them already (unless `always`)
   */
  async announcementFor (peer: string, options: AbortOptions & { always?: boolean } = {}): Promise<{ mailbox: AnnouncedAddresses, through: number } | undefined> {
    const through = this.windowEnd()
    const told = await this.toldThrough(peer, options)
    if (options.always !== true && told != null && told >= through) return undefined
    // a stranger (a request not accepted) goes on writing to the requests mailbox
    if (!await this.knows(peer, options)) return undefined
    const addresses = await Promise.all(Array.from({ length: ANNOUNCED_EPOCHS }, async (_, i) => {
      const identity = await this.identities.forEpoch(through - ANNOUNCED_EPOCHS + 1 + i)
      return { epoch: identity.epoch, publicKey: new Uint8Array(identity.privateKey.publicKey.raw) }
    }))
    return { mailbox: { addresses }, through }
  }

  /** Notes that content carrying this node's identities through `through` is on its way to `peer` (it is retried until delivered) */
  async announced (peer: string, through: number, options: AbortOptions = {}): Promise<void> {
    const told = await this.toldThrough(peer, options)
    if (told != null && told >= through) return
    await this.store.setAnnouncedThrough(peer, through, options)
    this.told.set(peer, through)
  }

  /**
   * The write (for the commit of the content that carried them) that keeps what `peer`
   * announced: well-formed entries of epochs from the current one on, the newest
   * MAX_ANNOUNCED_ADDRESSES of what it had and what came. Undefined when nothing changes.
   */
  async learnWrite (peer: string, announced: AnnouncedAddresses, options: AbortOptions = {}): Promise<WriteOp | undefined> {
    const current = epochAt(this.now())
    const fresh = announced.addresses.filter(a => {
      const fits = a.publicKey.byteLength === PUBLIC_KEY_BYTES && a.epoch >= current - 1 && a.epoch <= current + MAX_EPOCHS_AHEAD
      if (!fits) this.log('%s announced a mailbox identity for epoch %d that is not one to keep', peer, a.epoch)
      return fits
    })
    if (fresh.length === 0) return undefined
    const had = await this.store.theirs(peer, options)
    const byEpoch = new Map<number, MailboxAddress>(had.filter(a => a.epoch >= current - 1).map(a => [a.epoch, a]))
    let changed = had.length !== byEpoch.size
    for (const a of fresh) {
      const before = byEpoch.get(a.epoch)
      if (before != null && equals(before.publicKey, a.publicKey)) continue
      byEpoch.set(a.epoch, { epoch: a.epoch, publicKey: a.publicKey })
      changed = true
    }
    if (!changed) return undefined
    const kept = [...byEpoch.values()].sort((a, b) => b.epoch - a.epoch).slice(0, MAX_ANNOUNCED_ADDRESSES)
    return this.store.theirsWrite(peer, kept)
  }

  /**
   * What `peer` announced was kept (its commit landed): it reads announcements, so it may be
   * due this node's at once, not at the next hourly check (`onLearned`, set by the messenger)
   */
  learned (peer: string): void {
    this.onLearned?.(peer)
  }

  /**
   * Where mail left for `peer` now goes: its identity of the current epoch, if it announced one;
   * else its requests mailbox, if its prekey bundle named one; else (undefined) its PeerId's
   */
  async addressOf (peer: string, options: AbortOptions = {}): Promise<MailboxAddressOf | undefined> {
    const epoch = epochAt(this.now())
    const address = (await this.store.theirs(peer, options)).find(a => a.epoch === epoch)?.publicKey ?? await this.store.requests(peer, options)
    if (address == null) return undefined
    try {
      return { peerId: peerIdFromPublicKey(publicKeyFromRaw(address)), epoch }
    } catch (err: any) {
      // checked for its size when it came; a key that still does not parse is the peer's mistake
      this.log('%s named a mailbox key that is no Ed25519 key - %s', peer, err.message)
      return undefined
    }
  }

  /** Peers that read announcements (they sent theirs) and have not been told this window, with the epoch it covers through */
  async due (options: AbortOptions = {}): Promise<Array<{ peer: string, through: number }>> {
    const through = this.windowEnd()
    const due: Array<{ peer: string, through: number }> = []
    for (const peer of await this.store.announcers(options)) {
      const told = await this.toldThrough(peer, options)
      if ((told == null || told < through) && await this.knows(peer, options)) due.push({ peer, through })
    }
    return due
  }

  private async toldThrough (peer: string, options: AbortOptions): Promise<number | undefined> {
    if (this.told.has(peer)) return this.told.get(peer)
    const told = await this.store.announcedThrough(peer, options)
    this.told.set(peer, told)
    return told
  }
}
