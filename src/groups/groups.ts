import { peerIdFromString } from '@libp2p/peer-id'
import { TypedEventEmitter } from 'main-event'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { toString as toHex } from 'uint8arrays/to-string'
import { SerialQueue } from '../utils/serial-queue.ts'
import { peerOf, signChange, verifyChange } from './change.ts'
import { GROUP_ID_BYTES, GROUP_UPDATE_BUDGET_BYTES, MAX_GROUP_NAME_LENGTH } from './constants.ts'
import { AmbiguousGroupNameError, InvalidGroupNameError, NotGroupMemberError, UnknownGroupError } from './errors.ts'
import { startsEpoch } from './group-log.ts'
import { GroupRecord } from './group-record.ts'
import { GroupSecret } from './group-secret.ts'
import type { GroupChange, VerifiedChange } from './change.ts'
import type { GroupState } from './group-log.ts'
import type { EpochSecret } from './group-record.ts'
import type { CryptoProvider } from '../crypto/provider/types.ts'
import type { GroupUpdate } from '../messenger/pb/content.ts'
import type { GroupStore, WriteOp } from '../storage/types.ts'
import type { AbortOptions, Logger, PeerId, PrivateKey } from '@libp2p/interface'

export interface GroupsEvents {
  /** A group was created, joined or changed here (its state as it is now) */
  group: CustomEvent<GroupState>
}

export interface GroupsComponents {
  store: GroupStore
  /** This node's identity key: it signs the changes this node makes */
  identity: PrivateKey
  self: PeerId
  provider: CryptoProvider
  /** Hands `update` to `peer` over the pairwise session, through the outbox (never lost) */
  send: (peer: string, update: GroupUpdate) => Promise<void>
  log: Logger
}

/** What a peer's group update is taken with */
export interface ReceiveOptions extends AbortOptions {
  /** Whether the user knows the sender: a group a stranger adds this node to is a request */
  known: boolean
  /** Writes that land with the group's (the session's new state) */
  also: WriteOp[]
}

/**
 * The groups this node is a member of: creating one, changing its membership and settings as an
 * admin, leaving, and taking what other members send.
 *
 * Every change is signed by its author and handed to each member over their pairwise sessions,
 * through the outbox like a receipt (a member offline gets it when it returns). A new member
 * gets the group's whole history and the secrets of the epoch it joins; a member removed gets
 * the removal, and not the new epoch's secret, which its remover chooses and hands only to those
 * who stay. After a leave, each admin chooses one (`GroupRecord`). Where two admins changed the
 * group at once, each member merges the changes the same way (`GroupLog`), and an admin passes a
 * change made concurrently with its own addition on to the members it added, who could not
 * have got it from its author.
 */
export class Groups extends TypedEventEmitter<GroupsEvents> {
  private readonly store: GroupStore
  private readonly identity: PrivateKey
  private readonly self: string
  private readonly provider: CryptoProvider
  private readonly send: GroupsComponents['send']
  private readonly log: Logger
  /** Groups read so far (their changes verified once) */
  private readonly records = new Map<string, GroupRecord>()
  private loadedAll = false
  /** One change at a time: a group is read, changed and stored without another change between */
  private readonly queue = new SerialQueue()

  constructor (components: GroupsComponents) {
    super()
    this.store = components.store
    this.identity = components.identity
    this.self = components.self.toString()
    this.provider = components.provider
    this.send = components.send
    this.log = components.log
  }

  /** Every group this node is (or was) a member of, as it is now */
  async list (options: AbortOptions = {}): Promise<GroupState[]> {
    await this.loadAll(options)
    return [...this.records.values()].map(r => r.state())
  }

  /**
   * The group with this id, or this name when only one has it
   *
   * @throws {UnknownGroupError}
   * @throws {AmbiguousGroupNameError}
   */
  async get (idOrName: string, options: AbortOptions = {}): Promise<GroupState> {
    return (await this.find(idOrName, options)).state()
  }

  /**
   * The group with this id, or this name when only one has it, as this node holds it
   *
   * @throws {UnknownGroupError}
   * @throws {AmbiguousGroupNameError}
   */
  async record (idOrName: string, options: AbortOptions = {}): Promise<GroupRecord> {
    return this.find(idOrName, options)
  }

  /** Notes the epoch this node's own sender key was made in */
  async setKeyEpoch (group: string, epoch: string | undefined, madeAt: number, options: AbortOptions = {}): Promise<void> {
    await this.queue.run(async () => {
      const record = await this.find(group, options)
      record.keyEpoch = epoch
      record.keyMadeAt = madeAt
      await this.store.put(record.id, record.encode(), options)
    })
  }

  /** Starts a group with this node as its only member and admin */
  async create (name: string, options: AbortOptions = {}): Promise<GroupState> {
    checkName(name)
    return this.queue.run(async () => {
      const group = this.provider.randomBytes(GROUP_ID_BYTES) as Uint8Array<ArrayBuffer>
      const create = await signChange(this.identity, { group, parents: [], timestamp: BigInt(Date.now()), create: { name } })
      const record = GroupRecord.created(create, Date.now())
      record.takeSecret({ epoch: create.id, from: this.self, secret: GroupSecret.fresh(this.provider).secret })
      await this.save(record, [], options)
      return record.state()
    })
  }

  /** Adds members (admins only); each gets the group's history and the current epoch's secret */
  async add (idOrName: string, peers: PeerId[], options: AbortOptions = {}): Promise<GroupState> {
    return this.change(idOrName, { add: { peers: peers.map(p => p.toMultihash().bytes) } }, options)
  }

  /** Removes a member (admins only) and starts a new epoch that it cannot read */
  async remove (idOrName: string, peer: PeerId, options: AbortOptions = {}): Promise<GroupState> {
    return this.change(idOrName, { remove: { peers: [peer.toMultihash().bytes] } }, options)
  }

  /** Makes members admins (admins only) */
  async promote (idOrName: string, peers: PeerId[], options: AbortOptions = {}): Promise<GroupState> {
    return this.change(idOrName, { promote: { peers: peers.map(p => p.toMultihash().bytes) } }, options)
  }

  /** Renames the group (admins only) */
  async rename (idOrName: string, name: string, options: AbortOptions = {}): Promise<GroupState> {
    checkName(name)
    return this.change(idOrName, { rename: { name } }, options)
  }

  /** Sets the group's disappearing-message timer (admins only) */
  async setTimer (idOrName: string, seconds: number, options: AbortOptions = {}): Promise<GroupState> {
    return this.change(idOrName, { timer: { seconds } }, options)
  }

  /** Leaves the group: the other members are told; the group stays listed here, without this node */
  async leave (idOrName: string, options: AbortOptions = {}): Promise<GroupState> {
    return this.change(idOrName, { leave: {} }, options)
  }

  /**
   * Takes a member's update of a group: its changes (each checked against the state it changes;
   * one refused does not stop the rest), and the epoch secrets it hands over. A group this node
   * did not know is kept only if the update makes this node a member of it.
   */
  async receive (from: string, update: GroupUpdate, options: ReceiveOptions): Promise<void> {
    await this.queue.run(async () => {
      if (update.group.byteLength !== GROUP_ID_BYTES) {
        this.log('%s sent an update of a malformed group id', from)
        return this.commitOnly(options)
      }
      const id = toHex(update.group, 'base16')
      const known = await this.load(id, options)
      const record = known ?? GroupRecord.joined(id, Date.now(), !options.known)
      const applied: VerifiedChange[] = []
      for (const bytes of update.changes) {
        try {
          const change = await verifyChange(bytes)
          if (record.add(change) === 'applied') applied.push(change)
        } catch (err: any) {
          this.log('a change of group %s from %s refused - %s', id, from, err.message)
        }
      }
      const state = record.state()
      if (known == null && !state.members.includes(this.self)) {
        this.log('%s sent a group this node is not a member of', from)
        return this.commitOnly(options)
      }
      // a secret comes from the member that chose it, or from an admin passing it on
      const relays = state.admins.includes(from)
      for (const offered of update.secrets) {
        try {
          const chooser = peerOf(offered.from).toString()
          if (chooser !== from && !relays) continue
          const result = record.takeSecret({ epoch: toHex(offered.epoch, 'base16'), from: chooser, secret: offered.secret })
          if (result === 'refused') this.log('a secret for group %s from %s refused', id, from)
        } catch (err: any) {
          this.log('a secret for group %s from %s refused - %s', id, from, err.message)
        }
      }
      const chosen = this.chooseAfterLeaves(record, applied)
      await this.save(record, options.also, options)
      await this.passOn(record, applied, chosen)
    })
  }

  /** The admin's part after leaves it just learnt of: a secret for each such epoch it is still in */
  private chooseAfterLeaves (record: GroupRecord, applied: VerifiedChange[]): EpochSecret[] {
    const chosen: EpochSecret[] = []
    for (const change of applied) {
      if (change.change.leave == null || !record.mayChoose(change.id, this.self)) continue
      if (record.secretsOf(change.id).some(s => s.from === this.self)) continue
      const secret = { epoch: change.id, from: this.self, secret: GroupSecret.fresh(this.provider).secret }
      if (record.takeSecret(secret) === 'taken') chosen.push(secret)
    }
    return chosen
  }

  /**
   * After changes from others: secrets this node chose go to the members of their epochs, and a
   * change made concurrently with an addition by this node goes to the members it added (the
   * change's author did not know them)
   */
  private async passOn (record: GroupRecord, applied: VerifiedChange[], chosen: EpochSecret[]): Promise<void> {
    const state = record.state()
    const others = state.members.filter(m => m !== this.self)
    // this node's additions, read once: each member is checked against them
    const ownAdds = record.log.history().filter(c => c.author.toString() === this.self && c.change.add != null)
    for (const peer of others) {
      const addedBy = ownAdds.filter(c => c.change.add!.peers.some(p => peerOf(p).toString() === peer))
      const changes = applied.filter(c => c.author.toString() !== peer && addedBy.some(add => !record.log.isAncestor(add.id, c)))
      const allowed = record.secretsFor(peer)
      const secrets = [...chosen, ...changes.filter(startsEpoch).flatMap(c => record.secretsOf(c.id))]
        .filter(s => allowed.some(own => own.epoch === s.epoch && own.from === s.from))
      if (changes.length === 0 && secrets.length === 0) continue
      await this.sendUpdates(peer, record, changes, secrets)
    }
  }

  /** Makes, checks and stores a change of this node's, then hands it to whoever must have it */
  private async change (idOrName: string, op: Partial<GroupChange>, options: AbortOptions): Promise<GroupState> {
    return this.queue.run(async () => {
      const record = await this.find(idOrName, options)
      const before = record.state()
      if (!before.members.includes(this.self)) throw new NotGroupMemberError(`this node is not a member of group ${before.name}`)
      const change = await signChange(this.identity, {
        group: fromHex(record.id, 'base16'),
        parents: before.heads.map(h => fromHex(h, 'base16')),
        timestamp: BigInt(Date.now()),
        ...op
      })
      // refused here as every member would refuse it (not an admin, too many members)
      record.add(change)
      const after = record.state()
      const secrets: EpochSecret[] = []
      if (change.change.remove != null) {
        const secret = { epoch: change.id, from: this.self, secret: GroupSecret.fresh(this.provider).secret }
        record.takeSecret(secret)
        secrets.push(secret)
      }
      await this.save(record, [], options)
      const added = new Set(op.add?.peers.map(p => peerOf(p).toString()) ?? [])
      const told = new Set([...before.members, ...after.members].filter(m => m !== this.self))
      for (const peer of told) {
        if (added.has(peer) && !before.members.includes(peer)) {
          // a new member: the whole history, and the secrets of the epoch it joins
          await this.sendUpdates(peer, record, record.log.history(), record.secretsFor(peer))
        } else {
          await this.sendUpdates(peer, record, [change], after.members.includes(peer) ? secrets : [])
        }
      }
      return after
    })
  }

  /** Hands `changes` and `secrets` to `peer`, in as many updates as their size needs (the secrets with the last) */
  private async sendUpdates (peer: string, record: GroupRecord, changes: VerifiedChange[], secrets: EpochSecret[]): Promise<void> {
    const group = fromHex(record.id, 'base16')
    let batch: Array<Uint8Array<ArrayBuffer>> = []
    let bytes = 0
    for (const change of changes) {
      if (batch.length > 0 && bytes + change.bytes.byteLength > GROUP_UPDATE_BUDGET_BYTES) {
        await this.send(peer, { group, changes: batch, secrets: [] })
        batch = []
        bytes = 0
      }
      batch.push(change.bytes as Uint8Array<ArrayBuffer>)
      bytes += change.bytes.byteLength
    }
    await this.send(peer, {
      group,
      changes: batch,
      secrets: secrets.map(s => ({ epoch: fromHex(s.epoch, 'base16'), secret: s.secret as Uint8Array<ArrayBuffer>, from: peerIdFromString(s.from).toMultihash().bytes }))
    })
  }

  private async save (record: GroupRecord, also: WriteOp[], options: AbortOptions): Promise<void> {
    await this.store.put(record.id, record.encode(), { ...options, also })
    this.records.set(record.id, record)
    this.safeDispatchEvent('group', { detail: record.state() })
  }

  /** Lands the session's writes alone: the update changed nothing here */
  private async commitOnly (options: ReceiveOptions): Promise<void> {
    if (options.also.length > 0) await this.store.commit(options.also, options)
  }

  private async find (idOrName: string, options: AbortOptions): Promise<GroupRecord> {
    const byId = /^[0-9a-f]{32}$/.test(idOrName) ? await this.load(idOrName, options) : undefined
    if (byId != null) return byId
    await this.loadAll(options)
    const named = [...this.records.values()].filter(r => r.state().name === idOrName)
    if (named.length > 1) throw new AmbiguousGroupNameError(`${named.length} groups are called ${idOrName}: give the id of the one you mean`)
    if (named.length === 0) throw new UnknownGroupError(`no group is called ${idOrName}`)
    return named[0]
  }

  private async load (id: string, options: AbortOptions): Promise<GroupRecord | undefined> {
    const held = this.records.get(id)
    if (held != null) return held
    const stored = await this.store.get(id, options)
    if (stored == null) return undefined
    const record = await GroupRecord.decode(id, stored)
    this.records.set(id, record)
    return record
  }

  private async loadAll (options: AbortOptions): Promise<void> {
    if (this.loadedAll) return
    for (const { group } of await this.store.list(options)) await this.load(group, options)
    this.loadedAll = true
  }
}

/** @throws {InvalidGroupNameError} when `name` is not one a group may have */
function checkName (name: string): void {
  if (name.trim() === '' || name.length > MAX_GROUP_NAME_LENGTH) throw new InvalidGroupNameError(`a group name is 1 to ${MAX_GROUP_NAME_LENGTH} characters`)
}
