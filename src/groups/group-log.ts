import { toString as toHex } from 'uint8arrays/to-string'
import { TIMER_SECONDS } from '../messenger/constants.ts'
import { MAX_GROUP_MEMBERS, MAX_PENDING_CHANGES } from './constants.ts'
import { GroupChangeRefusedError, InvalidGroupChangeError } from './errors.ts'
import { peerOf } from './change.ts'
import type { VerifiedChange } from './change.ts'

/** A group as every member computes it from the same changes */
export interface GroupState {
  /** The group's id, hex */
  id: string
  name: string
  /** PeerIds, sorted */
  members: string[]
  /** PeerIds, sorted: always members */
  admins: string[]
  /** Disappearing-message timer, seconds (0: off) */
  timer: number
  /** The changes no other change was made on (what the next change names as its parents), sorted */
  heads: string[]
  /** How many changes it is made of */
  version: number
}

/** A membership epoch: the change that started it, the state right after, who was a member during it */
export interface Epoch {
  change: VerifiedChange
  state: GroupState
  members: ReadonlySet<string>
}

/** What became of a change given to the log */
export type AddResult = 'applied' | 'duplicate' | 'pending'

/**
 * A group's membership as a log of signed changes (a DAG: each names the changes it was made
 * on). A change is taken only if its author may make it in the state it changes (the state of
 * its ancestors): admins add, remove, promote, rename and set the timer; any member leaves. The
 * state is the replay of every taken change in one order all members share (parents before
 * children, concurrent changes by id), so two admins changing the group at the same moment leave
 * every member with the same state, whichever change each received first. A change whose
 * parents have not arrived waits (bounded) and is taken when they do; a repeat is a duplicate.
 */
export class GroupLog {
  private readonly changes = new Map<string, VerifiedChange>()
  private readonly pending = new Map<string, VerifiedChange>()
  private cached?: GroupState
  /** The epochs as `epochs` replays them: every group message asks, the log changes rarely */
  private cachedEpochs?: Epoch[]

  constructor (readonly groupId: string) {}

  /**
   * Takes a verified change (see `verifyChange`)
   *
   * @throws {InvalidGroupChangeError} when it belongs to another group, or is a second creation
   * @throws {GroupChangeRefusedError} when its author may not make it in the state it changes
   */
  add (change: VerifiedChange): AddResult {
    if (toHex(change.change.group, 'base16') !== this.groupId) throw new InvalidGroupChangeError('the change belongs to another group')
    if (this.changes.has(change.id) || this.pending.has(change.id)) return 'duplicate'
    if (change.change.create != null && [...this.changes.values()].some(c => c.change.create != null)) {
      throw new InvalidGroupChangeError('the group was created already')
    }
    if (!change.parents.every(p => this.changes.has(p))) {
      this.pending.set(change.id, change)
      // the oldest waiting goes first: whatever names it brings it again
      while (this.pending.size > MAX_PENDING_CHANGES) this.pending.delete(this.pending.keys().next().value!)
      return 'pending'
    }
    this.take(change)
    this.takeWaiting()
    return 'applied'
  }

  /** The group as the taken changes make it */
  state (): GroupState {
    this.cached ??= replay(this.groupId, order(this.changes, this.changes.keys()))
    return this.cached
  }

  /**
   * The changes that started a membership epoch (the creation, each removal and each leave), in
   * replay order, each with the state right after it and everyone who was a member at some
   * point of the epoch (those added during it too): who may read what is sent in that epoch, and
   * who may choose its secret (`GroupRecord`)
   */
  epochs (): readonly Epoch[] {
    this.cachedEpochs ??= replayEpochs(this.groupId, this.history())
    return this.cachedEpochs
  }

  /** Whether the taken change `id` is `change` or one it was made on, however far back */
  isAncestor (id: string, change: VerifiedChange): boolean {
    return id === change.id || ancestors(this.changes, change.parents).has(id)
  }

  /** Every taken change, in replay order (to hand a new member the group's history) */
  history (): VerifiedChange[] {
    return order(this.changes, this.changes.keys())
  }

  /** Changes waiting for their parents */
  get waiting (): number {
    return this.pending.size
  }

  private take (change: VerifiedChange): void {
    const base = replay(this.groupId, order(this.changes, ancestors(this.changes, change.parents)))
    check(base, change)
    this.changes.set(change.id, change)
    this.cached = undefined
    this.cachedEpochs = undefined
  }

  /** Takes the waiting changes whose parents are all here now, until none is left to take */
  private takeWaiting (): void {
    for (let progress = true; progress;) {
      progress = false
      for (const [id, change] of this.pending) {
        if (!change.parents.every(p => this.changes.has(p))) continue
        this.pending.delete(id)
        progress = true
        try {
          this.take(change)
        } catch {
          // refused in the state it changes, as it would have been on arrival
        }
      }
    }
  }
}

/** The ids of `from` and everything they descend from */
function ancestors (changes: Map<string, VerifiedChange>, from: string[]): Set<string> {
  const found = new Set<string>()
  const stack = [...from]
  while (stack.length > 0) {
    const id = stack.pop()!
    if (found.has(id)) continue
    found.add(id)
    stack.push(...changes.get(id)?.parents ?? [])
  }
  return found
}

/** `ids` in the order every member replays them: parents first, then the smallest id */
function order (changes: Map<string, VerifiedChange>, ids: Iterable<string>): VerifiedChange[] {
  const chosen = new Set(ids)
  const waitingOn = new Map<string, number>()
  const children = new Map<string, string[]>()
  for (const id of chosen) {
    const parents = changes.get(id)!.parents.filter(p => chosen.has(p))
    waitingOn.set(id, parents.length)
    for (const p of parents) children.set(p, [...children.get(p) ?? [], id])
  }
  const ready = [...chosen].filter(id => waitingOn.get(id) === 0)
  const out: VerifiedChange[] = []
  while (ready.length > 0) {
    ready.sort()
    const id = ready.shift()!
    out.push(changes.get(id)!)
    for (const child of children.get(id) ?? []) {
      const left = waitingOn.get(child)! - 1
      waitingOn.set(child, left)
      if (left === 0) ready.push(child)
    }
  }
  return out
}

/** The state `changes` (in replay order) make */
function replay (groupId: string, changes: VerifiedChange[]): GroupState {
  let state = emptyState(groupId)
  const named = new Set<string>()
  for (const change of changes) {
    state = apply(state, change)
    for (const p of change.parents) named.add(p)
  }
  return { ...state, heads: changes.map(c => c.id).filter(id => !named.has(id)).sort(), version: changes.length }
}

/**
 * Whether the author may make `change` in `state`, the state it was made on
 *
 * @throws {GroupChangeRefusedError}
 */
function check (state: GroupState, { change, author }: VerifiedChange): void {
  if (change.create != null) return
  const who = author.toString()
  if (!state.members.includes(who)) throw new GroupChangeRefusedError('the author is not a member')
  if (change.leave != null) return
  if (!state.admins.includes(who)) throw new GroupChangeRefusedError('only admins change the group')
  if (change.add != null) {
    const added = new Set([...state.members, ...change.add.peers.map(p => peerOf(p).toString())])
    if (added.size > MAX_GROUP_MEMBERS) throw new GroupChangeRefusedError(`a group has at most ${MAX_GROUP_MEMBERS} members`)
  }
  if (change.promote != null && !change.promote.peers.every(p => state.members.includes(peerOf(p).toString()))) {
    throw new GroupChangeRefusedError('only members can be promoted')
  }
  if (change.timer != null && !TIMER_SECONDS.includes(change.timer.seconds)) {
    throw new GroupChangeRefusedError(`a timer of ${change.timer.seconds} s is not one of the allowed ones`)
  }
}

function emptyState (groupId: string): GroupState {
  return { id: groupId, name: '', members: [], admins: [], timer: 0, heads: [], version: 0 }
}

/** Whether `change` starts a membership epoch: someone may no longer read what comes next */
/** The epochs of `history` (in replay order), each with who was a member during it */
function replayEpochs (groupId: string, history: VerifiedChange[]): Epoch[] {
  const out: Array<{ change: VerifiedChange, state: GroupState, members: Set<string> }> = []
  let state = emptyState(groupId)
  for (const change of history) {
    state = apply(state, change)
    if (startsEpoch(change)) out.push({ change, state, members: new Set(state.members) })
    else for (const member of state.members) out.at(-1)?.members.add(member)
  }
  return out
}

export function startsEpoch ({ change }: VerifiedChange): boolean {
  return change.create != null || change.remove != null || change.leave != null
}

/** `state` after `change` (taken: its author was allowed it in the state it changed) */
function apply (state: GroupState, { change, author }: VerifiedChange): GroupState {
  const who = author.toString()
  const peers = (list?: { peers: Uint8Array[] }): string[] => (list?.peers ?? []).map(p => peerOf(p).toString())
  if (change.create != null) return { ...state, name: change.create.name, members: [who], admins: [who] }
  if (change.rename != null) return { ...state, name: change.rename.name }
  if (change.timer != null) return { ...state, timer: change.timer.seconds }
  let members = new Set(state.members)
  let admins = new Set(state.admins)
  if (change.add != null) {
    // concurrent additions may together pass the cap: the ones replayed last do not fit
    for (const peer of peers(change.add)) if (members.size < MAX_GROUP_MEMBERS) members.add(peer)
  }
  if (change.remove != null) {
    const removed = new Set(peers(change.remove))
    members = new Set([...members].filter(m => !removed.has(m)))
  }
  if (change.promote != null) for (const peer of peers(change.promote)) if (members.has(peer)) admins.add(peer)
  if (change.leave != null) members.delete(who)
  admins = new Set([...admins].filter(a => members.has(a)))
  // a group is never left without an admin: the member with the smallest PeerId becomes one
  if (admins.size === 0 && members.size > 0) admins.add([...members].sort()[0])
  return { ...state, members: [...members].sort(), admins: [...admins].sort() }
}
