import type { CallSummary, Direction, MessageRecord } from '../storage/types.ts'

/** A call as its history lists it: one entry per call, written by each side as the call ends */
export interface CallEntry extends CallSummary {
  /** The call's id */
  id: string
  /** The other side (a PeerId) */
  peer: string
  /** `out`: this side called */
  direction: Direction
  /** When it started (the caller's clock for a call that came in) */
  timestamp: number
}

/** The call entries of a history (its other messages left out), in the order given */
export function callEntries (history: MessageRecord[]): CallEntry[] {
  return history.flatMap(m => m.call == null ? [] : [{ id: m.id, peer: m.peer, direction: m.direction, timestamp: m.timestamp, ...m.call }])
}
