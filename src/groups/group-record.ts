import { peerIdFromString } from '@libp2p/peer-id'
import { equals } from 'uint8arrays/equals'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { GROUP_SECRET_BYTES } from './group-secret.ts'
import { GroupLog } from './group-log.ts'
import { MAX_SECRETS_PER_EPOCH } from './constants.ts'
import { peerOf, verifyChange } from './change.ts'
import { InvalidGroupChangeError } from './errors.ts'
import { StoredGroup } from './pb/group.ts'
import type { VerifiedChange } from './change.ts'
import type { AddResult, GroupState } from './group-log.ts'

/** A secret of an epoch, and the member that chose it */
export interface EpochSecret {
  /** The id of the change that started the epoch, hex */
  epoch: string
  /** PeerId of the member that chose it */
  from: string
  secret: Uint8Array
}

/** What became of a secret offered for an epoch */
export type SecretResult = 'taken' | 'known' | 'refused'

/**
 * One group as a member holds it: its log of changes and the secrets of its epochs.
 *
 * Each epoch (started by the creation, a removal or a leave) has a secret the members of that
 * epoch share and nobody else learns. Its creator or remover chooses it; a member who leaves
 * cannot, so each admin right after the leave chooses one. Where an epoch has several (admins
 * answering the same leave, each before it heard of the others'), every member uses the one
 * chosen by the smallest PeerId, so all end on the same one once all have arrived.
 */
export class GroupRecord {
  /** epoch -> chooser -> secret */
  private readonly secrets = new Map<string, Map<string, Uint8Array>>()

  /** The epoch this node's own sender key was made in (src/groups/group-messaging.ts) */
  keyEpoch?: string
  /** When this node's own sender key was made, ms since the epoch (0: before records said) */
  keyMadeAt = 0

  private constructor (readonly log: GroupLog, public joinedAt: number, public request: boolean) {}

  /** A group this node starts: its creation is `create` */
  static created (create: VerifiedChange, joinedAt: number): GroupRecord {
    const record = new GroupRecord(new GroupLog(toHex(create.change.group, 'base16')), joinedAt, false)
    record.log.add(create)
    return record
  }

  /** A group another member told this node of */
  static joined (groupId: string, joinedAt: number, request: boolean): GroupRecord {
    return new GroupRecord(new GroupLog(groupId), joinedAt, request)
  }

  /**
   * A stored group, its changes checked again (a store is trusted no more than the wire)
   *
   * @throws {InvalidGroupChangeError} when a stored change does not verify or does not fit
   */
  static async decode (groupId: string, bytes: Uint8Array): Promise<GroupRecord> {
    const stored = StoredGroup.decode(bytes)
    const record = new GroupRecord(new GroupLog(groupId), Number(stored.joinedAt), stored.request)
    if (stored.keyEpoch.byteLength > 0) record.keyEpoch = toHex(stored.keyEpoch, 'base16')
    record.keyMadeAt = Number(stored.keyMadeAt)
    for (const change of stored.changes) record.log.add(await verifyChange(change))
    for (const { epoch, from, secret } of stored.secrets) {
      record.takeSecret({ epoch: toHex(epoch, 'base16'), from: peerOf(from).toString(), secret })
    }
    return record
  }

  encode (): Uint8Array {
    const secrets = [...this.secrets].flatMap(([epoch, chosen]) => [...chosen].map(([from, secret]) => ({
      epoch: fromHex(epoch, 'base16'), from: peerIdFromString(from).toMultihash().bytes, secret: secret as Uint8Array<ArrayBuffer>
    })))
    const changes = this.log.history().map(c => c.bytes as Uint8Array<ArrayBuffer>)
    const keyEpoch = this.keyEpoch != null ? fromHex(this.keyEpoch, 'base16') : new Uint8Array(0)
    return StoredGroup.encode({ changes, secrets, joinedAt: BigInt(this.joinedAt), request: this.request, keyEpoch, keyMadeAt: BigInt(this.keyMadeAt) })
  }

  get id (): string {
    return this.log.groupId
  }

  state (): GroupState {
    return this.log.state()
  }

  add (change: VerifiedChange): AddResult {
    return this.log.add(change)
  }

  /** The epoch the group is in now: the last change to start one, in replay order */
  currentEpoch (): string | undefined {
    return this.log.epochs().at(-1)?.change.id
  }

  /** The secret the group uses now: of the current epoch, the one chosen by the smallest PeerId */
  currentSecret (): EpochSecret | undefined {
    const epoch = this.currentEpoch()
    return epoch == null ? undefined : this.secretsOf(epoch)[0]
  }

  /** Every secret held for `epoch`, the one in use first */
  secretsOf (epoch: string): EpochSecret[] {
    return [...this.secrets.get(epoch) ?? []].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([from, secret]) => ({ epoch, from, secret }))
  }

  /** Whether `from` may choose the secret of `epoch`: its creator or remover; for a leave, an admin right after it */
  mayChoose (epoch: string, from: string): boolean {
    const found = this.log.epochs().find(e => e.change.id === epoch)
    if (found == null) return false
    if (found.change.change.leave != null) return found.state.admins.includes(from)
    return found.change.author.toString() === from
  }

  /**
   * Keeps a secret for an epoch of this group: refused when `from` may not choose one for it, or
   * when the epoch already has MAX_SECRETS_PER_EPOCH of them
   *
   * @throws {InvalidGroupChangeError} when the secret is not GROUP_SECRET_BYTES long
   */
  takeSecret (offered: EpochSecret): SecretResult {
    if (offered.secret.byteLength !== GROUP_SECRET_BYTES) throw new InvalidGroupChangeError(`a group secret is ${GROUP_SECRET_BYTES} bytes`)
    if (!this.mayChoose(offered.epoch, offered.from)) return 'refused'
    const chosen = this.secrets.get(offered.epoch) ?? new Map<string, Uint8Array>()
    const held = chosen.get(offered.from)
    if (held != null) return equals(held, offered.secret) ? 'known' : 'refused'
    if (chosen.size >= MAX_SECRETS_PER_EPOCH) return 'refused'
    chosen.set(offered.from, offered.secret)
    this.secrets.set(offered.epoch, chosen)
    return 'taken'
  }

  /** Everyone who has been a member of the group */
  everMembers (): Set<string> {
    return new Set(this.log.epochs().flatMap(e => [...e.members]))
  }

  /** Who was a member at some point of `epoch` (none for an epoch this group does not have) */
  membersDuring (epoch: string): ReadonlySet<string> {
    return this.log.epochs().find(e => e.change.id === epoch)?.members ?? new Set()
  }

  /**
   * The secrets of the epochs whose group mailboxes may still hold messages for `peer`: of each
   * epoch it was a member in that is current or ended (by the clock of the change that ended
   * it) less than `windowMs` before `now`
   */
  mailboxSecrets (peer: string, now: number, windowMs: number): EpochSecret[] {
    const epochs = this.log.epochs()
    return epochs
      .filter((e, i) => e.members.has(peer) && (i === epochs.length - 1 || Number(epochs[i + 1].change.change.timestamp) > now - windowMs))
      .flatMap(e => this.secretsOf(e.change.id))
  }

  /** The secrets `peer` may hold: of every epoch it was a member in */
  secretsFor (peer: string): EpochSecret[] {
    return this.log.epochs().filter(e => e.members.has(peer)).flatMap(e => this.secretsOf(e.change.id))
  }
}
